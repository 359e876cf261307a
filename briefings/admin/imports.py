"""A new briefing without the command line: import a content file, start from a Word document,
export a document as a file. Extra URLs on the document admin (``ImportExportMixin``).

Every upload goes through one review step: the text (editable), its problems as ``line N:
message``, and the dry run of what it would create or change. Only the text that was checked can
be confirmed (``briefings.content.uploads``), and a new document is always a draft.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from ..content.data import ContentErrors
from ..content.docx import MAX_DOCX_BYTES, WordConversionError, docx_to_content
from ..content.exporter import export_briefing
from ..content.limits import MAX_FILE_CHARS
from ..content.uploads import (
    MAX_UPLOAD_BYTES,
    CheckedText,
    check_upload,
    file_name,
    import_upload,
    normalise,
    taken_slugs,
)
from ..editorial import conflicts
from ..editorial.conflicts import EditConflict, EditRefused, editor_name
from ..models import Briefing, Role, Status, Theme
from .locks import when


def _read_upload(upload, limit: int, suffixes: tuple[str, ...]) -> bytes:
    if not upload.name.lower().endswith(suffixes):
        raise ValidationError(f"Choose a {' or '.join(suffixes)} file.")
    if upload.size > limit:
        raise ValidationError(
            f"The file is {upload.size:,} bytes; the largest allowed is {limit:,} bytes."
        )
    return upload.read()


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Content file",
        help_text="A briefing in the portal's content format (a .md file, as "
        "“Export as a file” gives or as in fixtures/briefings/).",
    )

    def clean_file(self):
        data = _read_upload(self.cleaned_data["file"], MAX_UPLOAD_BYTES, (".md", ".txt"))
        try:
            return data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            raise ValidationError(f"The file is not UTF-8 text ({exc.reason}).") from None


class WordForm(forms.Form):
    file = forms.FileField(label="Word document", help_text="A .docx file.")
    title = forms.CharField(
        max_length=Briefing._meta.get_field("title").max_length,
        required=False,
        help_text="Leave empty to use the document's first heading.",
    )
    kind = forms.ChoiceField(choices=Briefing.Kind.choices, initial=Briefing.Kind.RESEARCH_BRIEFING)
    audiences = forms.ModelMultipleChoiceField(
        queryset=Role.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Who the briefing is for: its role pages list it.",
    )
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.order_by("name"),
        label="Theme for every section",
        help_text="Each section needs a theme; change them in the next step or later.",
    )

    def clean_file(self):
        return _read_upload(self.cleaned_data["file"], MAX_DOCX_BYTES, (".docx",))


class ReviewForm(forms.Form):
    """The text under review; ``checked`` is the signed digest of the text the check showed."""

    name = forms.CharField(max_length=100, widget=forms.HiddenInput)
    text = forms.CharField(
        label="The briefing as a content file",
        max_length=MAX_FILE_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "content-file"}),
        help_text="Edit it here if the check found problems, then “Check again”.",
    )
    checked = forms.CharField(required=False, widget=forms.HiddenInput)
    # The versions of the documents the check was made against (signed with the text): a save
    # of one of them before the import is confirmed refuses the import.
    versions = forms.JSONField(required=False, widget=forms.HiddenInput)

    def clean_versions(self):
        versions = self.cleaned_data["versions"] or {}
        if not isinstance(versions, dict) or not all(
            isinstance(key, str) and type(value) is int for key, value in versions.items()
        ):
            raise ValidationError("The form is damaged: open the import again.")
        return versions


def checked_against(check, before: dict[int, int]) -> dict[str, int]:
    """The versions, read ``before`` the check, of the existing documents the check changes."""
    slugs = [plan.slug for plan in check.documents if plan.exists]
    ids = Briefing.objects.filter(slug__in=slugs).values_list("pk", flat=True)
    return {conflicts.document_key(pk): before.get(pk, 0) for pk in ids}


class ImportExportMixin:
    """For the document admin: import a file, start from Word, export a document."""

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name=f"{prefix}_import"),
            path("import/word/", view(self.import_word_view), name=f"{prefix}_import_word"),
            path("import/review/", view(self.import_review_view), name=f"{prefix}_import_review"),
            path("<path:object_id>/export/", view(self.export_view), name=f"{prefix}_export"),
            *super().get_urls(),
        ]

    def _check_import_permission(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied

    def _page(self, request, template, title, **extra):
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": title}
        return TemplateResponse(request, f"admin/briefings/briefing/{template}", context | extra)

    def import_view(self, request):
        self._check_import_permission(request)
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            return self._review(request, request.FILES["file"].name, form.cleaned_data["file"])
        return self._page(request, "import.html", "Import a briefing file", form=form)

    def import_word_view(self, request):
        self._check_import_permission(request)
        form = WordForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                text = docx_to_content(
                    data["file"],
                    title=data["title"],
                    kind=data["kind"],
                    audiences=[role.slug for role in data["audiences"]],
                    theme=data["theme"].slug,
                    source=request.FILES["file"].name,
                    taken_slugs=taken_slugs(),
                )
            except WordConversionError as exc:
                form.add_error("file", str(exc))
            else:
                return self._review(request, request.FILES["file"].name, text)
        return self._page(request, "import_word.html", "Start a briefing from Word", form=form)

    def _review(self, request, name, text, note=None):
        """The review step: the text, its problems or its dry run, and the confirm button."""
        # Read first, so the dry run shown is never older than the versions it is confirmed at.
        before = conflicts.document_versions()
        check = check_upload(name, text)
        versions = checked_against(check, before) if check.ok else {}
        token = CheckedText.sign(check.name, check.text, versions) if check.ok else ""
        initial = {"name": check.name, "text": check.text, "checked": token, "versions": versions}
        return self._review_page(request, ReviewForm(initial=initial), check=check, note=note)

    def _review_page(self, request, form, **extra):
        action = reverse(f"{self.admin_site.name}:briefings_briefing_import_review")
        title = "Check the briefing before importing it"
        return self._page(request, "import_review.html", title, form=form, action=action, **extra)

    def import_review_view(self, request):
        self._check_import_permission(request)
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse(f"{self.admin_site.name}:briefings_briefing_import")
            )
        form = ReviewForm(request.POST)
        if not form.is_valid():
            return self._review_page(request, form)
        name, text = file_name(form.cleaned_data["name"]), normalise(form.cleaned_data["text"])
        confirmed = "_confirm" in request.POST
        versions = form.cleaned_data["versions"]
        if confirmed and not CheckedText.matches(
            form.cleaned_data["checked"], name, text, versions
        ):
            note = "The text changed since it was checked. Here is the check of the new text."
            return self._review(request, name, text, note=note)
        if not confirmed:
            return self._review(request, name, text)
        try:
            with conflicts.expecting(versions, request.user):
                briefing, report = import_upload(name, text, request.user)
        except ContentErrors:
            note = "Something changed meanwhile: the text no longer imports. Here is the check."
            return self._review(request, name, text, note=note)
        except EditConflict as conflict:
            saved = conflicts.saved_since(conflict.key, conflict.expected)
            names = "; ".join(f"{editor_name(r.user)} at {when(r.at)}" for r in saved)
            note = (
                "Nothing was imported: the document was saved since you checked this file"
                + (f" (by {names})" if names else "")
                + ". Below is what importing would change now; import again if you still want to."
            )
            return self._review(request, name, text, note=note)
        except EditRefused as refused:  # locked by another editor
            return self._review(request, name, text, note=str(refused))
        changes = "; ".join(report.changes()) or "no changes"
        then = (
            "It is a draft: use “View preview” to read it as readers will, then publish it."
            if briefing.status == Status.DRAFT
            else "It is still published: readers see the changes now."
        )
        self.message_user(request, f"Imported “{briefing}” ({changes}). {then}", messages.SUCCESS)
        return HttpResponseRedirect(
            reverse(f"{self.admin_site.name}:briefings_briefing_change", args=[briefing.pk])
        )

    def export_view(self, request, object_id):
        briefing = self.get_object(request, unquote(object_id))
        if briefing is None:
            raise Http404("No such document.")
        if not self.has_view_or_change_permission(request, briefing):
            raise PermissionDenied
        response = HttpResponse(
            export_briefing(briefing), content_type="text/markdown; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{briefing.slug}.md"'
        return response
