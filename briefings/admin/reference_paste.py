"""Paste a reference list into a document: one reference per line, read into authors, year,
title and the rest, with generated keys, shown as a table to check before anything is created.
An extra URL on the document admin (``ReferencePasteMixin``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from ..content.limits import MAX_FILE_CHARS
from ..content.reference_lines import MAX_LINES
from ..content.uploads import CheckedText, normalise
from ..editorial.reference_paste import add_pasted, check_pasted


class PasteForm(forms.Form):
    text = forms.CharField(
        label="References, one per line",
        max_length=MAX_FILE_CHARS,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 16, "spellcheck": "false", "class": "reference-paste"}
        ),
        help_text="As the source prints them: Author, A. and Author, B. (Year) Title. Place: "
        f"Publisher. Italics as *these*. At most {MAX_LINES:,} lines.",
    )
    checked = forms.CharField(required=False, widget=forms.HiddenInput)


class ReferencePasteMixin:
    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/paste-references/",
                self.admin_site.admin_view(self.paste_references_view),
                name=f"{prefix}_paste_references",
            ),
            *super().get_urls(),
        ]

    def paste_references_view(self, request, object_id):
        briefing = self.get_object(request, unquote(object_id))
        if briefing is None:
            raise Http404("No such document.")
        if not self.has_change_permission(request, briefing):
            raise PermissionDenied
        name = f"references-of-{briefing.pk}"
        form = PasteForm(request.POST or None)
        rows, note = None, None
        if request.method == "POST" and form.is_valid():
            text = normalise(form.cleaned_data["text"])
            confirmed = "_confirm" in request.POST
            if confirmed and CheckedText.matches(form.cleaned_data["checked"], name, text):
                added = add_pasted(briefing, text, request.user)
                keys = ", ".join(c.local_key for c in added)
                self.message_user(
                    request,
                    f"Added {len(added)} reference{'s' * (len(added) != 1)} to “{briefing}”"
                    + (f": cite them as {keys}." if added else "."),
                    messages.SUCCESS,
                )
                change = f"{self.admin_site.name}:briefings_briefing_change"
                return HttpResponseRedirect(reverse(change, args=[briefing.pk]))
            if confirmed:
                note = "The list changed since it was checked. Here is the check of the new list."
            rows = check_pasted(briefing, text)
            form = PasteForm(initial={"text": text, "checked": CheckedText.sign(name, text)})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": briefing,
            "title": "Paste references",
            "form": form,
            "rows": rows,
            "note": note,
            "adding": sum(row.added for row in rows or []),
            "unread": sum(not row.ref.ok for row in rows or []),
        }
        return TemplateResponse(request, "admin/briefings/briefing/paste_references.html", context)
