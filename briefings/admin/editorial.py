"""A document's history in the admin: its revisions, a comparison of any two, revert and recover;
and the change notes readers are shown.

The pages are extra URLs on the document admin (``DocumentHistoryMixin``). What they show comes
from ``briefings.editorial.selectors`` and ``diff``; what they change goes through
``briefings.editorial.services``.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.views.decorators.http import require_POST
from reversion.models import Version

from ..editorial import diff, selectors, services
from ..models import Briefing, ChangeNote
from .conflicts import EditCheckMixin
from .forms import CompareForm, RevertForm, change_account


class DocumentHistoryMixin:
    """For the document admin: history, compare, revert and recover pages."""

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("recover/", view(self.recover_list_view), name=f"{prefix}_recoverlist"),
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
        return get_object_or_404(selectors.document_versions(briefing), pk=version_id)

    def _context(self, request, briefing, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": briefing,
            "title": title,
            "has_change_permission": self.has_change_permission(request, briefing),
            **extra,
        }

    def _revisions_url(self, briefing):
        return reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_revisions",
            args=[briefing.pk],
        )

    def history_view(self, request, object_id, extra_context=None):
        # One history for editors: the revisions page, not Django's log of admin saves as well.
        return HttpResponseRedirect(self._revisions_url(self._document(request, object_id)))

    def revisions_view(self, request, object_id):
        briefing = self._document(request, object_id)
        context = self._context(
            request,
            briefing,
            f"Revisions of “{briefing}”",
            rows=selectors.history(briefing),
            deleted_sections=selectors.deleted_sections(briefing.pk),
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
        new_version = None if new_ref == "current" else self._version(briefing, new_ref)
        old_version, new_version, changes = diff.compare_versions(
            briefing, old_version, new_version
        )
        context = self._context(
            request,
            briefing,
            f"Compare revisions of “{briefing}”",
            old_version=old_version,
            new_version=new_version,
            diff=changes,
        )
        return TemplateResponse(request, "admin/briefings/briefing/compare.html", context)

    def revert_view(self, request, object_id, version_id):
        briefing = self._document(request, object_id, change=True)
        version = self._version(briefing, version_id)
        notes = selectors.notes_undone_by_revert(briefing, version)
        form = RevertForm(request.POST or None, notes=notes)
        if request.method == "POST" and form.is_valid():
            try:
                services.revert(
                    briefing,
                    version,
                    request.user,
                    change_account(form.cleaned_data),
                    notes=form.note_decisions(),
                )
            except services.RevisionError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    f"“{briefing}” is back to the version of "
                    f"{selectors.describe_revision(version.revision)}. "
                    "The revert is itself a revision, so you can undo it.",
                )
            return HttpResponseRedirect(self._revisions_url(briefing))
        context = self._context(
            request,
            briefing,
            f"Revert “{briefing}”",
            version=version,
            author=selectors.revision_author(version.revision),
            form=form,
            diff=diff.changes_on_revert(briefing, version),
        )
        return TemplateResponse(request, "admin/briefings/briefing/revert.html", context)

    def _check_recover_permission(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied

    def recover_list_view(self, request):
        self._check_recover_permission(request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Recover deleted documents and sections",
            "documents": selectors.deleted_documents(),
            "sections": selectors.deleted_sections(),
            "module_name": capfirst(self.opts.verbose_name_plural),
        }
        return TemplateResponse(request, "admin/briefings/briefing/recover.html", context)

    def recover_view(self, request, version_id):
        self._check_recover_permission(request)
        version = get_object_or_404(Version, pk=version_id)
        if version._model not in services.RECOVERABLE:
            raise Http404("Not a document or section version.")
        try:
            recovered = services.recover(version, request.user)
        except services.RevisionError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(
                reverse(f"{self.admin_site.name}:briefings_briefing_recoverlist")
            )
        if isinstance(recovered, Briefing):
            self.message_user(request, f"Recovered the document “{recovered}”.", messages.SUCCESS)
            return HttpResponseRedirect(self._revisions_url(recovered))
        self.message_user(
            request,
            f"Recovered the section “{recovered}”; its permanent link "
            f"{recovered.get_permalink()} works again.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self._revisions_url(recovered.briefing))


@admin.register(ChangeNote)
class ChangeNoteAdmin(EditCheckMixin, admin.ModelAdmin):
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
