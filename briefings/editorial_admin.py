"""The editorial workflow in the admin: revisions, change notes, publishing and review dates.

Mixed into the content admins in briefings/admin.py. A document's history, comparison, revert and
recovery pages are extra URLs on the briefing admin; their logic lives in briefings.revisions and
briefings.revision_diff.
"""

from __future__ import annotations

import datetime

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_POST
from reversion.models import Version

from . import revisions
from .models import Briefing, Section, Status
from .models.editorial import NOTE_MAX_LENGTH, ChangeNote
from .revision_diff import compare
from .revisions import DocumentState, RevisionError

# A document whose review date falls within this many days is "due".
REVIEW_DUE_WITHIN_DAYS = 30
# "Mark as reviewed today" sets the next review this far ahead.
REVIEW_INTERVAL_DAYS = 365

MINOR = "minor"
NOTEWORTHY = "noteworthy"
CHANGE_KINDS = [
    (MINOR, "Minor change: a typo, formatting or wording that does not change the guidance"),
    (NOTEWORTHY, "Change readers should know about: add a note to “Updates to this page”"),
]
CHANGE_FIELDSET = "What changed"
CHANGE_FIELDS = ["change_kind", "change_note", "revision_comment"]


class ChangeNoteForm(forms.Form):
    """The editor's account of a change: minor, or worth a public note."""

    change_kind = forms.ChoiceField(
        label="Kind of change",
        choices=CHANGE_KINDS,
        initial=MINOR,
        required=False,
        widget=forms.RadioSelect,
    )
    change_note = forms.CharField(
        label="Note for readers",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Plain text, in one or two sentences: what changed and why it matters. "
        "Shown on the page under “Updates to this page” and in the updates feed.",
    )
    revision_comment = forms.CharField(
        label="Comment for the history (editors only)",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"size": 80}),
        help_text="Optional: why you made this change. Not shown to readers.",
    )

    def clean(self):
        return check_change_note(self, super().clean())


def check_change_note(form, cleaned):
    """A note-worthy change needs its note; a note is never dropped silently."""
    kind = cleaned.get("change_kind") or MINOR
    note = (cleaned.get("change_note") or "").strip()
    cleaned["change_kind"], cleaned["change_note"] = kind, note
    if kind == NOTEWORTHY and not note:
        form.add_error("change_note", "Write the note readers will see, or choose “Minor change”.")
    if kind == MINOR and note:
        form.add_error(
            "change_kind",
            "You wrote a note for readers: choose “Change readers should know about” to "
            "publish it, or clear the note.",
        )
    return cleaned


def with_change_note(form_class):
    """The document form with the change-note fields added (on the change form only)."""
    fields = ChangeNoteForm.base_fields

    class DocumentChangeForm(form_class):
        change_kind = fields["change_kind"]
        change_note = fields["change_note"]
        revision_comment = fields["revision_comment"]

        def clean(self):
            return check_change_note(self, super().clean())

    return DocumentChangeForm


def _publication_date(briefing):
    now = timezone.now()
    return max(now, briefing.publish_from) if briefing.publish_from else now


def ever_published(briefing):
    """Whether any earlier revision of the document had it published."""
    return (
        revisions.document_versions(briefing)
        .filter(serialized_data__contains='"status": "published"')
        .exists()
    )


def note_first_publication(briefing, user):
    ChangeNote.objects.create(
        briefing=briefing,
        kind=ChangeNote.Kind.FIRST_PUBLISHED,
        note="First published.",
        author=user,
        created=_publication_date(briefing),
    )


class ReviewFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue"),
            ("due", f"Due within {REVIEW_DUE_WITHIN_DAYS} days"),
            ("not-due", "Not due"),
            ("no-date", "No review date"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        soon = today + datetime.timedelta(days=REVIEW_DUE_WITHIN_DAYS)
        value = self.value()
        if value == "overdue":
            return queryset.filter(next_review_due__lt=today)
        if value == "due":
            return queryset.filter(next_review_due__gte=today, next_review_due__lte=soon)
        if value == "not-due":
            return queryset.filter(next_review_due__gt=soon)
        if value == "no-date":
            return queryset.filter(next_review_due__isnull=True)
        return queryset


class DocumentRevisionsMixin:
    """For the document admin: every save is a revision; history, compare, revert, recover."""

    actions = ["publish_selected", "return_to_draft", "mark_reviewed_today"]

    # ---- the change form -------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            kwargs["form"] = with_change_note(kwargs.get("form", self.form))
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets.append((CHANGE_FIELDSET, {"fields": CHANGE_FIELDS}))
        return fieldsets

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), ReviewFilter]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id:
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and self.has_change_permission(request, obj):
                revisions.ensure_baseline(obj)
        extra_context = {**(extra_context or {}), "change_fieldset": CHANGE_FIELDSET}
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        becoming_published = obj.status == Status.PUBLISHED and (
            not change or form.initial.get("status") != Status.PUBLISHED
        )
        first = becoming_published and (not change or not ever_published(obj))
        super().save_model(request, obj, form, change)
        if first:
            note_first_publication(obj, request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        revisions.record_document(form.instance)
        data = form.cleaned_data
        request._editorial_comment = data.get("revision_comment", "")
        if change and data.get("change_kind") == NOTEWORTHY:
            ChangeNote.objects.create(
                briefing=form.instance, note=data["change_note"], author=request.user
            )
            request._editorial_note = data["change_note"]

    def _set_revision_comment(self, request, entry):
        if not reversion.is_active():
            return
        comment = getattr(request, "_editorial_comment", "") or entry.get_change_message()
        note = getattr(request, "_editorial_note", "")
        if note:
            comment = f"{comment} Note for readers: {note}"
        reversion.set_comment(comment)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._set_revision_comment(request, entry)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._set_revision_comment(request, entry)
        return entry

    def delete_model(self, request, obj):
        self._record_before_deleting(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._record_before_deleting(request, list(queryset))
        super().delete_queryset(request, queryset)

    def _record_before_deleting(self, request, briefings):
        # The last revision of a deleted document is what "Recover" brings back.
        for briefing in briefings:
            with reversion.create_revision():
                reversion.set_user(request.user)
                reversion.set_comment(
                    f"Deleted by {request.user.get_username()}; this is the document as it was."
                )
                revisions.record_document(briefing)

    # ---- actions ---------------------------------------------------------------------------

    @admin.action(description="Publish selected documents", permissions=["change"])
    def publish_selected(self, request, queryset):
        done = 0
        for briefing in queryset.exclude(status=Status.PUBLISHED):
            revisions.ensure_baseline(briefing)
            first = not ever_published(briefing)
            with transaction.atomic(), reversion.create_revision():
                reversion.set_user(request.user)
                reversion.set_comment("Published.")
                briefing.status = Status.PUBLISHED
                briefing.save()
                revisions.record_document(briefing)
                if first:
                    note_first_publication(briefing, request.user)
            done += 1
        self.message_user(
            request,
            f"Published {done} document{'s' if done != 1 else ''}."
            if done
            else "The selected documents were already published.",
            messages.SUCCESS if done else messages.WARNING,
        )

    @admin.action(description="Return selected documents to draft", permissions=["change"])
    def return_to_draft(self, request, queryset):
        done = 0
        for briefing in queryset.exclude(status=Status.DRAFT):
            revisions.ensure_baseline(briefing)
            with transaction.atomic(), reversion.create_revision():
                reversion.set_user(request.user)
                reversion.set_comment("Returned to draft: hidden from readers.")
                briefing.status = Status.DRAFT
                briefing.save()
                revisions.record_document(briefing)
            done += 1
        self.message_user(request, f"{done} document{'s' if done != 1 else ''} now draft.")

    @admin.action(
        description=f"Mark selected as reviewed today (next review in {REVIEW_INTERVAL_DAYS} days)",
        permissions=["change"],
    )
    def mark_reviewed_today(self, request, queryset):
        today = timezone.localdate()
        done = 0
        for briefing in queryset:
            revisions.ensure_baseline(briefing)
            with transaction.atomic(), reversion.create_revision():
                reversion.set_user(request.user)
                reversion.set_comment("Reviewed.")
                briefing.last_reviewed = today
                briefing.next_review_due = today + datetime.timedelta(days=REVIEW_INTERVAL_DAYS)
                briefing.save()
                revisions.record_document(briefing)
            done += 1
        self.message_user(request, f"Marked {done} document{'s' if done != 1 else ''} reviewed.")

    # ---- revision pages --------------------------------------------------------------------

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path(
                "recover/",
                view(self.recover_list_view),
                name=f"{prefix}_recoverlist",
            ),
            path(
                "recover/<int:version_id>/",
                view(require_POST(self.recover_view)),
                name=f"{prefix}_recover",
            ),
            path(
                "<path:object_id>/revisions/",
                view(self.revisions_view),
                name=f"{prefix}_revisions",
            ),
            path(
                "<path:object_id>/revisions/compare/",
                view(self.compare_view),
                name=f"{prefix}_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:version_id>/revert/",
                view(self.revert_view),
                name=f"{prefix}_revert",
            ),
            *super().get_urls(),
        ]

    def _document(self, request, object_id, change=False):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such document.")
        allowed = (
            self.has_change_permission(request, obj)
            if change
            else self.has_view_or_change_permission(request, obj)
        )
        if not allowed:
            raise PermissionDenied
        return obj

    def _version(self, briefing, version_id):
        return get_object_or_404(revisions.document_versions(briefing), pk=version_id)

    def _context(self, request, briefing, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": briefing,
            "title": title,
            "has_change_permission": self.has_change_permission(request, briefing),
            **extra,
        }

    def revisions_view(self, request, object_id):
        briefing = self._document(request, object_id)
        versions = list(revisions.document_versions(briefing))
        rows = []
        for index, version in enumerate(versions):
            older = versions[index + 1] if index + 1 < len(versions) else None
            rows.append({"version": version, "previous": older, "latest": index == 0})
        context = self._context(
            request,
            briefing,
            f"Revisions of “{briefing}”",
            rows=rows,
            deleted_sections=revisions.deleted_sections(briefing.pk),
            notes=briefing.change_notes.all(),
        )
        return TemplateResponse(request, "admin/briefings/briefing/revisions.html", context)

    def compare_view(self, request, object_id):
        briefing = self._document(request, object_id)
        form = CompareForm(request.GET)
        if not form.is_valid():
            messages.error(request, "Choose two revisions to compare.")
            return HttpResponseRedirect(self._revisions_url(briefing))
        old_version = self._version(briefing, form.cleaned_data["old"])
        new_ref = form.cleaned_data["new"]
        if new_ref == "current":
            new_version, new_state = None, DocumentState.from_database(briefing)
        else:
            new_version = self._version(briefing, new_ref)
            if new_version.revision.date_created < old_version.revision.date_created:
                old_version, new_version = new_version, old_version
            new_state = DocumentState.from_revision(new_version.revision, briefing.pk)
        old_state = DocumentState.from_revision(old_version.revision, briefing.pk)
        context = self._context(
            request,
            briefing,
            f"Compare revisions of “{briefing}”",
            old_version=old_version,
            new_version=new_version,
            diff=compare(old_state, new_state),
        )
        return TemplateResponse(request, "admin/briefings/briefing/compare.html", context)

    def revert_view(self, request, object_id, version_id):
        briefing = self._document(request, object_id, change=True)
        version = self._version(briefing, version_id)
        form = ChangeNoteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            comment = form.cleaned_data["revision_comment"] or (
                f"Reverted to the version of {revisions.describe_revision(version.revision)}."
            )
            try:
                with transaction.atomic():
                    revisions.revert_document(briefing, version, request.user, comment)
                    if form.cleaned_data["change_kind"] == NOTEWORTHY:
                        ChangeNote.objects.create(
                            briefing=briefing,
                            note=form.cleaned_data["change_note"],
                            author=request.user,
                        )
            except RevisionError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    f"“{briefing}” is back to the version of "
                    f"{revisions.describe_revision(version.revision)}. "
                    "The revert is itself a revision, so you can undo it.",
                )
            return HttpResponseRedirect(self._revisions_url(briefing))
        state = DocumentState.from_revision(version.revision, briefing.pk)
        context = self._context(
            request,
            briefing,
            f"Revert “{briefing}”",
            version=version,
            form=form,
            diff=compare(DocumentState.from_database(briefing), state),
        )
        return TemplateResponse(request, "admin/briefings/briefing/revert.html", context)

    def _revisions_url(self, briefing):
        return reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_revisions",
            args=[briefing.pk],
        )

    def _check_recover_permission(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied

    def recover_list_view(self, request):
        self._check_recover_permission(request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Recover deleted documents and sections",
            "documents": revisions.deleted_documents(),
            "sections": revisions.deleted_sections(),
            "module_name": capfirst(self.opts.verbose_name_plural),
        }
        return TemplateResponse(request, "admin/briefings/briefing/recover.html", context)

    def recover_view(self, request, version_id):
        self._check_recover_permission(request)
        version = get_object_or_404(Version, pk=version_id)
        try:
            if version._model is Section:
                section = revisions.recover_section(version, request.user)
                self.message_user(
                    request,
                    f"Recovered the section “{section}”; its permanent link "
                    f"{section.get_permalink()} works again.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(self._revisions_url(section.briefing))
            if version._model is Briefing:
                briefing = revisions.recover_document(version, request.user)
                self.message_user(
                    request, f"Recovered the document “{briefing}”.", messages.SUCCESS
                )
                return HttpResponseRedirect(self._revisions_url(briefing))
        except RevisionError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(
                reverse(f"{self.admin_site.name}:briefings_briefing_recoverlist")
            )
        raise Http404("Not a document or section version.")


class CompareForm(forms.Form):
    old = forms.IntegerField(min_value=1)
    new = forms.RegexField(regex=r"^(\d+|current)$")


class DocumentPartRevisionsMixin:
    """For the section and key message admins: a save records a revision of the whole document.

    The document's history is where editors look, so a section edited on its own page appears
    there like any other edit, and a section deleted on its own page can be recovered.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id:
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and self.has_change_permission(request, obj):
                revisions.ensure_baseline(obj.briefing)
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        revisions.record_document(form.instance.briefing)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(
                f"{capfirst(self.opts.verbose_name)} “{obj}”: {entry.get_change_message()}"
            )
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(
                f"{capfirst(self.opts.verbose_name)} “{obj}”: {entry.get_change_message()}"
            )
        return entry

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
            revisions.ensure_baseline(briefing)
        return briefings

    def _after_deleting(self, request, objs, briefings):
        for briefing_id, briefing in briefings.items():
            names = ", ".join(f"“{obj}”" for obj in objs if obj.briefing_id == briefing_id)
            revisions.record_deletion(
                briefing,
                request.user,
                f"Deleted {self.opts.verbose_name} {names}.",
            )


@admin.register(ChangeNote)
class ChangeNoteAdmin(admin.ModelAdmin):
    """Notes are written on the document's change form; here they can be corrected or withdrawn."""

    list_display = ["briefing", "created", "kind", "note", "public", "author"]
    list_filter = ["public", "kind", "briefing"]
    search_fields = ["note", "briefing__title"]
    fields = ["briefing", "kind", "created", "note", "public", "author"]
    readonly_fields = ["author"]
    list_select_related = ["briefing", "author"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)
