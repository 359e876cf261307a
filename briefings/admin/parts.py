"""Sections, key messages and quotes on their own admin pages.

A section or key message saved or deleted here is an edit of its document: it is recorded as a
revision of the whole document, so the document's history shows it and a deleted section can be
recovered.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from ..editorial import services
from ..models import Citation, KeyMessage, Quote, Section
from ..models.references import WORK_FIELDS
from ..rendering import reusing
from .conflicts import EditCheckMixin
from .forms import (
    URL_FIELDS,
    CitationForm,
    KeyMessageForm,
    SectionForm,
    change_account,
    checking_links,
    content_changed,
)
from .preview import preview_frame
from .saving import ContentAdminMixin, change_summary


class DocumentPartMixin(EditCheckMixin, ContentAdminMixin):
    """For the section and key message admins: a save records a revision of the whole document."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with reusing(), checking_links():
            self.render_posted_form(request, object_id)
            part = self.object_to_change(request, object_id)
            document = part.briefing if part is not None else None
            with services.editing(document, request.user):
                return super().changeform_view(request, object_id, form_url, extra_context)

    class Media:
        css = {"all": ["css/admin.css"]}

    def history_view(self, request, object_id, extra_context=None):
        # One history: the document's revisions, where this part's changes are recorded.
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404("No such part of a document.")
        return HttpResponseRedirect(
            reverse("admin:briefings_briefing_revisions", args=[obj.briefing_id])
        )

    # ---- the change form: an account of the change, as on the document's page ---------------

    def save_model(self, request, obj, form, change):
        if change and not content_changed(form):
            return  # nothing to write: the document keeps its "updated" time
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        account = change_account(form.cleaned_data)
        if change and not content_changed(form) and not account.note and not account.comment:
            return  # an untouched form is not a revision
        message = self.construct_change_message(request, form, formsets, not change)
        services.record_part_edit(form.instance, change_summary(message), request.user, account)

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

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("themes")

    @admin.display(description="Themes")
    def theme_list(self, obj):
        return ", ".join(t.name for t in obj.themes.all())

    @admin.display(description="As readers will see it")
    def rendered(self, obj):
        # The saved text drawn with the site's own stylesheet, in a frame so the admin's styles
        # do not change it (the live preview above does the same for a text being typed).
        if not obj.pk:
            return "-"
        return preview_frame(obj.body_html, f"The section “{obj.heading}” as saved")

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


@admin.register(Citation)
class CitationAdmin(DocumentPartMixin, admin.ModelAdmin):
    """A citation's own page, from its row on the document's page: every field of the work as
    this document gives it. Not listed on the admin's home page."""

    form = CitationForm
    fields = [
        "briefing",
        "order",
        "local_key",
        "reference",
        "label",
        "entry",
        "listed",
        *WORK_FIELDS,
    ]
    formfield_overrides = URL_FIELDS
    autocomplete_fields = ["reference"]
    list_display = ["local_key", "label", "briefing"]
    list_filter = ["briefing"]
    search_fields = ["local_key", "label", "entry"]
    list_select_related = ["briefing"]

    def has_module_permission(self, request):
        return False


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["text", "attribution", "section"]
    search_fields = ["text", "attribution"]
    list_select_related = ["section__briefing"]

    def has_add_permission(self, request):
        return False  # quotes are derived from section bodies

    def has_change_permission(self, request, obj=None):
        return False
