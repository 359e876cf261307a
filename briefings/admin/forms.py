"""The content admin's forms.

Every text an editor types has a limit and an over-long one is a form error on its field, never a
500: model ``max_length`` (forms get it from the model), the Markdown limit
(``BRIEFINGS_MARKDOWN_MAX_CHARS``, checked by each model's ``clean``), the change note's limit, and
``TitleListField``'s. tests/editorial/test_admin_field_limits.py walks every admin form to keep it
so.
"""

from __future__ import annotations

import dataclasses
import json
from contextlib import contextmanager
from contextvars import ContextVar

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models

from ..content.limits import MAX_SERIES_TITLES
from ..editorial.services import (
    AMEND_NOTE,
    KEEP_NOTE,
    WITHDRAW_NOTE,
    ChangeAccount,
    NoteDecision,
)
from ..links import LinkChecker, text_problems
from ..models import Briefing, Citation, KeyMessage, Section, Status, Theme
from ..models.editorial import NOTE_MAX_LENGTH
from ..normalise import normalise_text
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


class MarkdownTextField(forms.CharField):
    """A Markdown text as its one spelling (``briefings.normalise``): a text sent back unchanged
    but for CRLF line ends or trailing spaces is unchanged, so it is not saved nor recorded."""

    def to_python(self, value):
        return normalise_text(super().to_python(value))


class RendersBeforeSaving(forms.ModelForm):
    """A form for a model with Markdown: a valid, changed form renders its texts as it is
    validated (an unchanged inline is not saved, so not rendered).

    The rendering is carried on the instance, so ``save()`` does not render again; and it happens
    wherever the form is validated, which the admin arranges to be outside the write transaction
    (``ContentAdminMixin.render_posted_form``). A text the renderer refuses is a form error.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for spec in getattr(self._meta.model, "markdown_fields", ()):
            field = self.fields.get(spec.name)
            if isinstance(field, forms.CharField) and not isinstance(field, MarkdownTextField):
                # The field as the admin built it (widget, limit, label), normalising its text.
                field.__class__ = MarkdownTextField

    def _post_clean(self):
        super()._post_clean()
        if self.has_changed() and not self.cleaned_data.get("DELETE"):
            self.prerender()

    def prerender(self):
        """Render the valid instance's texts now, or report a text the renderer refuses, or a
        changed text with a broken citation or link."""
        if self.errors or not isinstance(self.instance, RendersMarkdown):
            return
        try:
            self.instance.prerender()
        except ValidationError as exc:
            self._update_errors(exc)
            return
        self.check_links()

    def check_links(self):
        """A form error on each changed text with a citation or internal link that leads
        nowhere, naming it and the closest existing keys (``briefings.links``)."""
        prerendered = getattr(self.instance, "_prerendered", {})
        briefing = _document_of(self.instance)
        draft = any(
            getattr(obj, "status", None) == Status.DRAFT for obj in (briefing, self.instance)
        )
        context = _link_context.get() or LinkContext()
        for spec in self.instance.markdown_fields:
            done = prerendered.get(spec.name)
            if done is None or spec.name not in self.changed_data:
                continue
            rendered = done.rendered
            if not spec.cites:
                rendered = dataclasses.replace(rendered, unresolved_citations=[])
            problems = text_problems(
                rendered,
                briefing,
                draft=draft,
                known_keys=context.posted_keys,
                checker=context.checker(),
            )
            for problem in problems:
                self.add_error(spec.name, problem)


def _document_of(instance):
    if isinstance(instance, Briefing):
        return instance
    try:
        return instance.briefing
    except ObjectDoesNotExist:
        return None


class LinkContext:
    """For one admin request: the citation keys its form adds, and one link checker."""

    def __init__(self, posted_keys=()):
        self.posted_keys = frozenset(posted_keys)
        self._checker = None

    def checker(self):
        if self._checker is None:
            self._checker = _LazyChecker()
        return self._checker


class _LazyChecker:
    """Loads the site's pages (``LinkChecker``) only if a text has an internal link."""

    def __init__(self):
        self._real = None

    def __getattr__(self, name):
        if self._real is None:
            self._real = LinkChecker()
        return getattr(self._real, name)


_link_context: ContextVar[LinkContext | None] = ContextVar("admin_link_context", default=None)


@contextmanager
def checking_links(post=None):
    """Around an admin request's form validation: citations to references added by the same
    form (its citation rows) are not broken, and the site's pages are loaded once."""
    keys = []
    if post is not None:
        for name, value in post.items():
            if name.startswith("citations-") and name.endswith("-local_key") and value:
                prefix = name[: -len("local_key")]
                if not post.get(f"{prefix}DELETE"):
                    keys.append(value.strip())
    token = _link_context.set(LinkContext(keys))
    try:
        yield
    finally:
        _link_context.reset(token)


class ThemesField(forms.ModelMultipleChoiceField):
    """Themes chosen from the taxonomy with the admin's type-ahead autocomplete."""

    def __init__(self, model, **kwargs):
        widget = AutocompleteSelectMultiple(model._meta.get_field("themes"), admin.site)
        super().__init__(queryset=Theme.objects.all(), required=False, widget=widget, **kwargs)


class TitleListField(forms.CharField):
    """A list of titles ("also available in this series"), one a line, each as long as a
    series title. A JSON list (as the field once took) is read too."""

    widget = forms.Textarea
    default_error_messages = {
        "too_long": "At most %(limit)s characters, please (this is %(length)s).",
        "not_titles": "One title per line, please.",
        "too_many": "At most %(limit)s titles, please.",
        "title_too_long": "Each title may be at most %(limit)s characters: %(title)s…",
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Set after the CharField machinery, which would check the parsed list's length.
        self.max_length = ALSO_AVAILABLE_MAX_CHARS

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(title) for title in value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        if isinstance(value, str) and len(value) > self.max_length:
            params = {"limit": f"{self.max_length:,}", "length": f"{len(value):,}"}
            raise ValidationError(self.error_messages["too_long"], "too_long", params)
        text = (value or "").strip()
        if text.startswith("["):
            try:
                parsed = json.loads(text)
            except ValueError:
                raise ValidationError(self.error_messages["not_titles"], "not_titles") from None
            if not isinstance(parsed, list) or not all(isinstance(t, str) for t in parsed):
                raise ValidationError(self.error_messages["not_titles"], "not_titles")
            return parsed
        return [line.strip() for line in text.splitlines() if line.strip()]

    def validate(self, value):
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
        widgets = {"entry": forms.Textarea(attrs={"rows": 2, "cols": 40})}


# A web address typed without its scheme ("www.example.org") is taken as https://, as Django 6
# will do by default (and without 5.2's deprecation warning for the http:// it assumes).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


# A document's change form as the editor sees it, in groups. The form edits every field shown but
# the provenance, which only an import sets.
PROVENANCE_FIELDS = ["source_file"]
DOCUMENT_FIELDSETS = [
    (
        None,
        {"fields": ["title", "short_title", "slug", "kind", "status", "publish_from", "audiences"]},
    ),
    (
        "Publication",
        {
            "fields": [
                "authors",
                "publisher",
                "published_year",
                "published_month",
                "series",
                "series_title",
                "also_available",
            ]
        },
    ),
    ("Text", {"fields": ["intro", "source_note", "has_reference_list"]}),
    ("Provenance", {"fields": PROVENANCE_FIELDS}),
    ("Review", {"fields": ["last_reviewed", "next_review_due"]}),
]


class BriefingForm(GeneratedSlug, RendersBeforeSaving):
    also_available = TitleListField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="Other titles in the series, as printed: one title per line.",
    )

    class Meta:
        model = Briefing
        fields = [
            name
            for _, group in DOCUMENT_FIELDSETS
            for name in group["fields"]
            if name not in PROVENANCE_FIELDS
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


def content_changed(form) -> bool:
    """Whether a change form changes its object: the editor's account of the change aside."""
    return any(name not in CHANGE_FIELDS for name in form.changed_data)


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


NOTE_ACTIONS = [
    (WITHDRAW_NOTE, "Withdraw it: readers no longer see it"),
    (AMEND_NOTE, "Amend it: readers see the text below instead"),
    (KEEP_NOTE, "Keep it as it is"),
]


class RevertForm(ChangeNoteForm):
    """The revert's account of the change, and for each public note about a change the revert
    undoes, whether to withdraw, amend or keep it: the editor must choose."""

    def __init__(self, *args, notes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.notes = list(notes)
        for note in self.notes:
            self.fields[f"note_{note.pk}"] = forms.ChoiceField(
                label=f"What should happen to this note for readers? “{note.note}”",
                choices=NOTE_ACTIONS,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose what happens to this note."},
            )
            self.fields[f"note_{note.pk}_text"] = forms.CharField(
                label="Amended note",
                required=False,
                initial=note.note,
                max_length=NOTE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
            )

    def change_fields(self):
        return [self[name] for name in CHANGE_FIELDS]

    def note_rows(self):
        return [
            (note, self[f"note_{note.pk}"], self[f"note_{note.pk}_text"]) for note in self.notes
        ]

    def clean(self):
        cleaned = super().clean()
        for note in self.notes:
            action, text = cleaned.get(f"note_{note.pk}"), cleaned.get(f"note_{note.pk}_text")
            if action == AMEND_NOTE and not (text or "").strip():
                self.add_error(f"note_{note.pk}_text", "Write the amended note, or withdraw it.")
        return cleaned

    def note_decisions(self) -> list[NoteDecision]:
        return [
            NoteDecision(
                note.pk,
                self.cleaned_data[f"note_{note.pk}"],
                (self.cleaned_data.get(f"note_{note.pk}_text") or "").strip(),
            )
            for note in self.notes
        ]


class CompareForm(forms.Form):
    old = forms.IntegerField(min_value=1)
    new = forms.RegexField(regex=r"^(\d+|current)$", max_length=20)
