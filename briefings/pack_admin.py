"""Packs in the admin: editors may look at every pack (view permission only); superusers may also
change or delete one, for instance to take down a pack that misuses the portal."""

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html

from .pack_models import Pack, PackItem


class PackItemInline(admin.TabularInline):
    model = PackItem
    fields = ["order", "kind", "section", "key_message", "note"]
    autocomplete_fields = ["section", "key_message"]
    extra = 0
    ordering = ["order", "id"]


@admin.register(Pack)
class PackAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "visibility", "item_count", "updated", "link"]
    list_filter = ["visibility"]
    search_fields = ["title", "introduction", "owner__username"]
    list_select_related = ["owner"]
    readonly_fields = ["link", "created", "updated"]
    fields = ["title", "introduction", "owner", "visibility", "link", "created", "updated"]
    autocomplete_fields = ["owner"]
    inlines = [PackItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("items"))

    @admin.display(description="Items", ordering="n")
    def item_count(self, obj):
        return obj.n

    @admin.display(description="Link")
    def link(self, obj):
        if not obj.pk:
            return "-"
        return format_html('<a href="{0}">{0}</a>', obj.get_absolute_url())
