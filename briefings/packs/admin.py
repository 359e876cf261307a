"""Packs in the admin: editors may look at every pack (view permission only); superusers may also
change or delete one, for instance to take down a pack that misuses the portal.

Saves and deletes go through the pack services, and the items inline is held to the same limit as
the trainer's pages, counted with the pack locked (the admin saves in one transaction).
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html

from . import services
from .models import Pack, PackItem


class PackItemFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        deleted = [form for form in self.initial_forms if self._should_delete_form(form)]
        added = [
            form
            for form in self.extra_forms
            if form.has_changed() and not self._should_delete_form(form)
        ]
        try:
            services.ensure_room(self.instance, adding=len(added), removing=len(deleted))
        except services.PackFull as error:
            raise ValidationError(str(error)) from error


class PackItemInline(admin.TabularInline):
    model = PackItem
    formset = PackItemFormSet
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
    fields = [
        "title",
        "introduction",
        "contact",
        "owner",
        "visibility",
        "link",
        "created",
        "updated",
    ]
    autocomplete_fields = ["owner"]
    inlines = [PackItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_item_count()

    @admin.display(description="Items", ordering="item_count")
    def item_count(self, obj):
        return obj.item_count

    @admin.display(description="Link")
    def link(self, obj):
        if not obj.pk:
            return "-"
        return format_html('<a href="{0}">{0}</a>', obj.get_absolute_url())

    def save_model(self, request, obj, form, change):
        services.save_pack(obj)

    def delete_model(self, request, obj):
        services.delete_pack(obj)

    def delete_queryset(self, request, queryset):
        for pack in queryset:
            services.delete_pack(pack)
