"""The content admin's forms.

Every text an editor types has a limit and an over-long one is a form error on its field, never a
500: model ``max_length`` (forms get it from the model), the Markdown limit
(``BRIEFINGS_MARKDOWN_MAX_CHARS``, checked by each model's ``clean``), the change note's limit, and
``TitleListField``'s. tests/editorial/test_admin_field_limits.py walks every admin form to keep it
so.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError

from ..content.limits import MAX_SERIES_TITLES
from ..editorial.services import ChangeAccount
from ..models import Briefing, Citation, KeyMessage, Section, Theme
from ..models.editorial import NOTE_MAX_LENGTH
from ..rendering import RendersMarkdown
from .keys import (
    GeneratedCitationKey,
    GeneratedMessageKey,
    GeneratedSectionKey,
    GeneratedSlug,
)
from .widgets import MarkdownWidget

REVISION_COMMENT_MAX_LENGTH = 500
# "Also available in this series": at most this many titles, as JSON of at most this length.
ALSO_AVAILABLE_MAX_TITLES = MAX_SERIES_TITLES  # as the content format allows
ALSO_AVAILABLE_MAX_CHARS = 12_000


class RendersBeforeSaving(forms.ModelForm):
    """A form for a model with Markdown: a valid, changed form renders its texts as it is
    validated (an unchanged inline is not saved, so not rendered).

    The rendering is carried on the instance, so ``save()`` does not render again; and it happens
    wherever the form is validated, which the admin arranges to be outside the write transaction
    (``ContentAdminMixin.render_posted_form``). A text the renderer refuses is a form error.
    """

    def _post_clean(self):
        super()._post_clean()
        if self.has_changed() and not self.cleaned_data.get("DELETE"):
            self.prerender()

    def prerender(self):
        """Render the valid instance's texts now, or report a text the renderer refuses."""
        if self.errors or not isinstance(self.instance, RendersMarkdown):
            return
        try:
            self.instance.prerender()
        except ValidationError as exc:
            self._update_errors(exc)


class ThemesField(forms.ModelMultipleChoiceField):
    """Themes chosen from the taxonomy with the admin's type-ahead autocomplete."""

    def __init__(self, model, **kwargs):
        widget = AutocompleteSelectMultiple(model._meta.get_field("themes"), admin.site)
        super().__init__(queryset=Theme.objects.all(), required=False, widget=widget, **kwargs)


class TitleListField(forms.JSONField):
    """A JSON list of titles ("also available in this series"), each as long as a series title."""

    default_error_messages = {
        "too_long": "At most %(limit)s characters of JSON, please (this is %(length)s).",
        "not_titles": 'A list of titles in double quotes, e.g. ["Police", "Social workers"].',
        "too_many": "At most %(limit)s titles, please.",
        "title_too_long": "Each title may be at most %(limit)s characters: %(title)s…",
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Set after the CharField machinery, which would check the parsed list's length.
        self.max_length = ALSO_AVAILABLE_MAX_CHARS

    def to_python(self, value):
        if isinstance(value, str) and len(value) > self.max_length:
            params = {"limit": f"{self.max_length:,}", "length": f"{len(value):,}"}
            raise ValidationError(self.error_messages["too_long"], "too_long", params)
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            raise ValidationError(self.error_messages["not_titles"], "not_titles")
        if len(value) > ALSO_AVAILABLE_MAX_TITLES:
            params = {"limit": ALSO_AVAILABLE_MAX_TITLES}
            raise ValidationError(self.error_messages["too_many"], "too_many", params)
        limit = Briefing._meta.get_field("series_title").max_length
        for title in value:
            if len(title) > limit:
                params = {"limit": limit, "title": title[:40]}
                raise ValidationError(
                    self.error_messages["title_too_long"], "title_too_long", params
                )


class SectionForm(GeneratedSectionKey, RendersBeforeSaving):
    themes = ThemesField(Section, help_text="Start typing a theme’s name.")

    class Meta:
        model = Section
        fields = ["order", "heading", "key", "slug", "parent", "status", "themes", "body"]
        widgets = {"body": MarkdownWidget()}


class KeyMessageForm(GeneratedMessageKey, RendersBeforeSaving):
    themes = ThemesField(KeyMessage)

    class Meta:
        model = KeyMessage
        fields = ["order", "text", "key", "themes"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 60})}


class CitationForm(GeneratedCitationKey, RendersBeforeSaving):
    class Meta:
        model = Citation
        fields = ["order", "local_key", "reference", "label", "entry", "listed"]


class BriefingForm(GeneratedSlug, RendersBeforeSaving):
    also_available = TitleListField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Other titles in the series, as printed: a JSON list of titles.",
    )

    class Meta:
        model = Briefing
        fields = [
            "title",
            "slug",
            "kind",
            "status",
            "publish_from",
            "audiences",
            "authors",
            "publisher",
            "published_year",
            "published_month",
            "series",
            "series_title",
            "also_available",
            "intro",
            "source_note",
            "has_reference_list",
            "source_file",
            "last_reviewed",
            "next_review_due",
        ]
        widgets = {"intro": MarkdownWidget(), "source_note": MarkdownWidget({"rows": 4})}

    def clean_also_available(self):
        return self.cleaned_data["also_available"] or []


# ---- the editor's account of a change ----------------------------------------------------------

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
        max_length=REVISION_COMMENT_MAX_LENGTH,
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
    if kind == NOTEWORTHY and not note and "change_note" not in form.errors:
        form.add_error("change_note", "Write the note readers will see, or choose “Minor change”.")
    if kind == MINOR and note:
        form.add_error(
            "change_kind",
            "You wrote a note for readers: choose “Change readers should know about” to "
            "publish it, or clear the note.",
        )
    return cleaned


def change_account(cleaned) -> ChangeAccount:
    """The editor's account of the change in a valid form's data (none on an add form)."""
    note = cleaned.get("change_note", "") if cleaned.get("change_kind") == NOTEWORTHY else ""
    return ChangeAccount(comment=cleaned.get("revision_comment") or "", note=note)


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


class CompareForm(forms.Form):
    old = forms.IntegerField(min_value=1)
    new = forms.RegexField(regex=r"^(\d+|current)$", max_length=20)
