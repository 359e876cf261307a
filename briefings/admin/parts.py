"""Sections, key messages and quotes on their own admin pages.

A section or key message saved or deleted here is an edit of its document: it is recorded as a
revision of the whole document, so the document's history shows it and a deleted section can be
recovered.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..editorial import services
from ..models import KeyMessage, Quote, Section
from ..rendering import reusing
from .conflicts import EditCheckMixin
from .forms import KeyMessageForm, SectionForm
from .saving import ContentAdminMixin, change_summary


class DocumentPartMixin(EditCheckMixin, ContentAdminMixin):
    """For the section and key message admins: a save records a revision of the whole document."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with reusing():
            self.render_posted_form(request, object_id)
            part = self.object_to_change(request, object_id)
            document = part.briefing if part is not None else None
            with services.editing(document, request.user):
                return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        message = self.construct_change_message(request, form, formsets, not change)
        services.record_part_edit(form.instance, change_summary(message))

    def delete_model(self, request, obj):
        briefings = self._before_deleting([obj])
        super().delete_model(request, obj)
        self._after_deleting(request, [obj], briefings)

    def delete_queryset(self, request, queryset):
        objs = list(queryset.select_related("briefing"))
        briefings = self._before_deleting(objs)
        super().delete_queryset(request, queryset)
        self._after_deleting(request, objs, briefings)

    def _before_deleting(self, objs):
        # Without a revision holding them, deleted parts could not be recovered.
        briefings = {obj.briefing_id: obj.briefing for obj in objs}
        for briefing in briefings.values():
            services.ensure_starting_point(briefing)
        return briefings

    def _after_deleting(self, request, objs, briefings):
        for briefing_id, briefing in briefings.items():
            names = ", ".join(f"“{obj}”" for obj in objs if obj.briefing_id == briefing_id)
            services.record_parts_deleted(
                briefing, request.user, f"Deleted {self.opts.verbose_name} {names}."
            )


@admin.register(Section)
class SectionAdmin(DocumentPartMixin, admin.ModelAdmin):
    form = SectionForm
    list_display = ["heading", "briefing", "parent", "order", "status", "theme_list", "updated"]
    list_filter = ["status", "briefing__kind", "briefing__audiences", "themes", "briefing"]
    search_fields = ["heading", "body", "key", "briefing__title"]
    list_select_related = ["briefing", "parent"]
    readonly_fields = ["rendered", "permanent_link"]
    fields = [
        "briefing",
        "parent",
        "order",
        "heading",
        "key",
        "slug",
        "status",
        "themes",
        "body",
        "rendered",
        "permanent_link",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("themes")

    @admin.display(description="Themes")
    def theme_list(self, obj):
        return ", ".join(t.name for t in obj.themes.all())

    @admin.display(description="As it will appear")
    def rendered(self, obj):
        return mark_safe(f'<div class="rendered-preview">{obj.body_html}</div>')  # noqa: S308

    @admin.display(description="Permanent link")
    def permanent_link(self, obj):
        if not obj.pk:
            return "-"
        return format_html('<a href="{0}">{0}</a>', obj.get_permalink())


@admin.register(KeyMessage)
class KeyMessageAdmin(DocumentPartMixin, admin.ModelAdmin):
    form = KeyMessageForm
    fields = ["briefing", "order", "text", "key", "themes"]
    list_display = ["__str__", "briefing", "order"]
    list_filter = ["briefing", "themes"]
    search_fields = ["text"]


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["text", "attribution", "section"]
    search_fields = ["text", "attribution"]
    list_select_related = ["section__briefing"]

    def has_add_permission(self, request):
        return False  # quotes are derived from section bodies

    def has_change_permission(self, request, obj=None):
        return False
