"""Keys and slugs the admin makes for the editor: a document's slug from its title, a section's
key from its heading, a key message's from its first words, a citation's from its authors and
year. Each field stays editable; left empty, it is filled in when the form is saved."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Model
from django.forms.models import BaseInlineFormSet

from ..content.keys import GENERATED_MAX_CHARS, message_key, short_slug, unique_key
from ..content.keys import letter_suffixes as _letter_suffixes
from ..content.limits import max_length, section_slug
from ..content.reference_lines import author_year_key

HELP = "Leave empty to have it made from the {source} (you can change it)."


def _taken(model: type[Model], field: str, instance, **scope) -> set[str]:
    rows = model.objects.filter(**scope)
    if instance.pk:
        rows = rows.exclude(pk=instance.pk)
    return set(rows.values_list(field, flat=True))


def _briefing_id(form, cleaned):
    briefing = cleaned.get("briefing")
    return briefing.pk if briefing is not None else form.instance.briefing_id


class GeneratedKeys:
    """For a ModelForm: ``generated`` names the key field and where it is made from."""

    generated: dict[str, str] = {}  # key field: what it is made from, in words

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.generated_now: set[str] = set()  # the keys this form made (the editor left empty)
        for name, source in self.generated.items():
            field = self.fields.get(name)
            if field is not None:
                field.required = False
                help_text = [field.help_text, HELP.format(source=source)]
                field.help_text = " ".join(filter(None, help_text))

    def clean(self):
        cleaned = super().clean()
        for name in self.generated:
            if name in self.fields and not cleaned.get(name) and name not in self.errors:
                key = self.make_key(name, cleaned)
                if key:
                    cleaned[name] = key
                    self.generated_now.add(name)
        return cleaned

    def make_key(self, name, cleaned, claimed=frozenset()) -> str:
        """A key for ``name`` from ``cleaned``, none of the stored ones nor ``claimed``."""
        raise NotImplementedError


class GeneratedKeysFormSet(BaseInlineFormSet):
    """Several new rows in one save: a key made for one is never a key another row of the same
    save has (two sections headed alike get ``risk`` and ``risk-2``, not a duplicate error)."""

    def clean(self):
        kept = [
            form
            for form in self.forms
            if form.has_changed() and form.is_valid() and not self._should_delete_form(form)
        ]
        claimed = defaultdict(set)
        for form in kept:  # keys the editor typed, and kept rows' own, are claimed first
            for name in form.generated:
                if name not in form.generated_now and form.cleaned_data.get(name):
                    claimed[name].add(form.cleaned_data[name])
        for form in kept:
            for name in form.generated:  # in order: a slug made from the key follows it
                if name in form.generated_now:
                    key = form.make_key(name, form.cleaned_data, claimed[name])
                    form.cleaned_data[name] = key
                    setattr(form.instance, name, key)
                    claimed[name].add(key)
        super().clean()


class GeneratedSlug(GeneratedKeys):
    """A document's slug from its title: at most 60 characters, cut between words, unique."""

    generated = {"slug": f"title, at most {GENERATED_MAX_CHARS} characters"}

    def make_key(self, name, cleaned, claimed=frozenset()):
        taken = _taken(self._meta.model, "slug", self.instance) | set(claimed)
        return (
            unique_key(short_slug(cleaned.get("title") or ""), taken)
            if cleaned.get("title")
            else ""
        )


class GeneratedSectionKey(GeneratedKeys):
    """A section's key from its heading; its anchor as the importer makes it (``section_slug``),
    so that several new sections can be added in one save."""

    generated = {"key": "heading", "slug": "heading"}

    def make_key(self, name, cleaned, claimed=frozenset()):
        heading = cleaned.get("heading") or ""
        briefing_id = _briefing_id(self, cleaned)
        taken = _taken(self._meta.model, name, self.instance, briefing_id=briefing_id)
        taken |= set(claimed)
        if name == "key":
            base = short_slug(heading)
        else:
            base = section_slug("", heading, cleaned.get("key") or "")
        return unique_key(base, taken, limit=max_length(self._meta.model, name)) if base else ""


class GeneratedMessageKey(GeneratedKeys):
    generated = {"key": "first words of the message"}

    def make_key(self, name, cleaned, claimed=frozenset()):
        base = message_key(cleaned.get("text") or "")
        taken = _taken(
            self._meta.model, "key", self.instance, briefing_id=_briefing_id(self, cleaned)
        ) | set(claimed)
        return unique_key(base, taken) if base else ""


class GeneratedCitationKey(GeneratedKeys):
    """``author-year`` from the reference's authors and year; ``a``, ``b``... on a clash."""

    generated = {"local_key": "authors and year, as coy-2009"}

    def make_key(self, name, cleaned, claimed=frozenset()):
        reference = cleaned.get("reference")
        authors = cleaned.get("authors") or (reference.authors if reference else "")
        year = cleaned.get("year") or (reference.year if reference else "")
        if not authors:
            return ""
        taken = _taken(
            self._meta.model, "local_key", self.instance, briefing_id=_briefing_id(self, cleaned)
        ) | set(claimed)
        return _letter_suffixes([author_year_key(authors, year)], taken)[0]
