"""Documents in the admin: the change form with its key messages, sections and references, and
the workflow's actions (publish, return to draft, mark reviewed)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import path
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from portal.ratelimit import rate_limited

from ..editorial import selectors, services
from ..models import Briefing, Citation, KeyMessage, Section, Status
from ..rendering import reusing
from .editorial import DocumentHistoryMixin
from .forms import (
    CHANGE_FIELDSET,
    DOCUMENT_FIELDSETS,
    PROVENANCE_FIELDS,
    URL_FIELDS,
    BriefingForm,
    CitationForm,
    KeyMessageForm,
    SectionForm,
    change_account,
    checking_links,
    content_changed,
)
from .imports import ImportExportMixin
from .keys import GeneratedKeysFormSet
from .locks import DocumentEditingMixin
from .preview import preview_view
from .reference_paste import ReferencePasteMixin
from .saving import ContentAdminMixin, change_summary


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionForm
    formset = GeneratedKeysFormSet
    extra = 0
    ordering = ["order"]
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            briefing_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Section.objects.filter(briefing_id=briefing_id or 0, parent=None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class KeyMessageInline(admin.TabularInline):
    model = KeyMessage
    form = KeyMessageForm
    formset = GeneratedKeysFormSet
    fields = ["order", "text", "key", "themes"]
    extra = 0
    ordering = ["order"]


class CitationInline(admin.TabularInline):
    """One compact row a citation; the work's fields as this document gives them (authors,
    year, title, ...) are on the citation's own page ("Change"), so the rows fit the window.
    A new citation starts from the reference's."""

    model = Citation
    form = CitationForm
    formset = GeneratedKeysFormSet
    formfield_overrides = URL_FIELDS
    fields = ["order", "local_key", "reference", "label", "entry", "listed"]
    autocomplete_fields = ["reference"]
    show_change_link = True
    extra = 0
    ordering = ["order"]


class ReviewFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return list(selectors.REVIEW_STATES.items())

    def queryset(self, request, queryset):
        return selectors.in_review_state(queryset, self.value())


def _plural(count, word):
    return f"{count} {word}{'s' if count != 1 else ''}"


@admin.register(Briefing)
class BriefingAdmin(
    DocumentEditingMixin,
    ContentAdminMixin,
    ImportExportMixin,
    ReferencePasteMixin,
    DocumentHistoryMixin,
    admin.ModelAdmin,
):
    form = BriefingForm
    list_display = [
        "title",
        "kind",
        "status",
        "audience_list",
        "publication_date",
        "section_count",
        "next_review",
    ]
    list_filter = ["status", "kind", "audiences", "sections__themes"]
    search_fields = ["title", "slug", "authors", "publisher", "intro"]
    filter_horizontal = ["audiences"]
    readonly_fields = PROVENANCE_FIELDS
    inlines = [KeyMessageInline, SectionInline, CitationInline]
    actions = ["publish_selected", "return_to_draft", "mark_reviewed_today"]
    fieldsets = DOCUMENT_FIELDSETS

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("audiences")
            .annotate(section_total=Count("sections", distinct=True))
        )

    @admin.display(description="Audience")
    def audience_list(self, obj):
        return ", ".join(role.name for role in obj.audiences.all())

    @admin.display(description="Sections", ordering="section_total")
    def section_count(self, obj):
        return obj.section_total

    @admin.display(description="Next review", ordering="next_review_due")
    def next_review(self, obj):
        when = date_format(obj.next_review_due, "j M Y") if obj.next_review_due else "–"
        return format_html(
            '{}<br><span class="review-state">{}</span>', when, selectors.review_state(obj)
        )

    def changelist_view(self, request, extra_context=None):
        # "Due for review": this list, filtered so and sorted by the next review date.
        order = list(self.get_list_display(request)).index("next_review") + 1
        query = urlencode({ReviewFilter.parameter_name: "attention", "o": order})
        extra_context = {**(extra_context or {}), "due_for_review_query": f"?{query}"}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        # Per client address, on top of the per-editor limit inside the view.
        preview = rate_limited("preview", as_json=True)(preview_view)
        preview = self.admin_site.admin_view(require_POST(preview))
        return [path("preview/", preview, name="briefings_markdown_preview"), *super().get_urls()]

    # ---- the change form: every save is a revision ---------------------------------------

    def get_list_filter(self, request):
        return [ReviewFilter, *super().get_list_filter(request)]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "change_fieldset": CHANGE_FIELDSET}
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with reusing(), checking_links(request.POST):
            self.render_posted_form(request, object_id)
            document = self.object_to_change(request, object_id)
            with services.editing(document, request.user):
                return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change and not content_changed(form):
            return  # nothing to write: the document keeps its "updated" time
        previous = form.initial.get("status") if change else None
        super().save_model(request, obj, form, change)
        services.note_first_publication(obj, request.user, previous_status=previous)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        account = change_account(form.cleaned_data)
        untouched = not content_changed(form) and not any(f.has_changed() for f in formsets)
        if change and untouched and not account.note and not account.comment:
            return  # an untouched form is not a revision
        summary = change_summary(self.construct_change_message(request, form, formsets, not change))
        services.record_document_edit(form.instance, request.user, account, summary)

    def delete_model(self, request, obj):
        services.record_before_deleting([obj], request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        services.record_before_deleting(list(queryset), request.user)
        super().delete_queryset(request, queryset)

    # ---- actions ---------------------------------------------------------------------------

    @admin.action(description="Publish selected documents", permissions=["change"])
    def publish_selected(self, request, queryset):
        drafts = queryset.exclude(status=Status.PUBLISHED)
        done = sum(services.publish(briefing, request.user) for briefing in drafts)
        self.message_user(
            request,
            f"Published {_plural(done, 'document')}."
            if done
            else "The selected documents were already published.",
            messages.SUCCESS if done else messages.WARNING,
        )

    @admin.action(description="Return selected documents to draft", permissions=["change"])
    def return_to_draft(self, request, queryset):
        published = queryset.exclude(status=Status.DRAFT)
        done = sum(services.return_to_draft(briefing, request.user) for briefing in published)
        self.message_user(request, f"{_plural(done, 'document')} now draft.")

    @admin.action(
        description="Mark selected as reviewed today "
        f"(next review in {services.REVIEW_INTERVAL_DAYS} days)",
        permissions=["change"],
    )
    def mark_reviewed_today(self, request, queryset):
        briefings = list(queryset)
        for briefing in briefings:
            services.mark_reviewed(briefing, request.user)
        self.message_user(request, f"Marked {_plural(len(briefings), 'document')} reviewed.")
