"""The bounds a content file must keep, checked when it is parsed (docs/content-format.md).

Every value a file gives is checked against the column it will be stored in, in its stored form,
so a file the importer accepts can always be written: nothing is cut short and nothing reaches
the database to fail there with a traceback. The counts bound the work one file can cause.
"""

from __future__ import annotations

import re

from django.utils.text import slugify

# A whole file, and its front matter: the largest real document is about 50,000 characters.
MAX_FILE_CHARS = 1_000_000
MAX_FRONT_MATTER_CHARS = 300_000
# How many of each a document may hold.
MAX_REFERENCES = 1_000
MAX_GLOSSARY_TERMS = 500
MAX_SERIES_TITLES = 50
MAX_AUDIENCES = 20
MAX_SECTIONS = 500
MAX_KEY_MESSAGES = 200
MAX_THEMES_PER_ITEM = 20
# Free-text fields stored without a column limit.
MAX_REFERENCE_TEXT = 5_000

# Keys, slugs and theme names: lowercase letters and digits in hyphen-separated words.
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Control characters other than tab and newline cannot be stored everywhere (PostgreSQL refuses
# NUL) or served in XML (the feed, the sitemap); lone surrogates are not text.
BAD_CHARACTER_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def bad_character(text: str) -> str | None:
    """A description of the first character that cannot be stored, or None."""
    match = BAD_CHARACTER_RE.search(text)
    if match is None:
        return None
    return f"the character U+{ord(match.group(0)):04X} is not allowed (a control character)"


def section_slug(slug: str, heading: str, key: str) -> str:
    """The anchor a section is stored with: ``slug=``, or made from the heading (cut to the
    column's length), or the key. The importer and its checks both use this one function."""
    from briefings.models import Section

    return slug or slugify(heading)[: max_length(Section, "slug")] or key


def series_slug(name: str) -> str:
    from briefings.models import Series

    return slugify(name)[: max_length(Series, "slug")]


def field_limits():
    """Each text field's longest value: the column it is stored in, or a bound of our own."""
    from briefings.models import Briefing, Citation, GlossaryTerm, Reference, Role, Series

    return {
        "front matter": {
            "title": max_length(Briefing, "title"),
            "short_title": max_length(Briefing, "short_title"),
            "slug": max_length(Briefing, "slug"),
            "kind": max_length(Briefing, "kind"),
            "series": max_length(Series, "name"),
            "series_title": max_length(Briefing, "series_title"),
            "publisher": max_length(Briefing, "publisher"),
            "authors": max_length(Briefing, "authors"),
            "published": 7,
            "status": max_length(Briefing, "status"),
            "source": max_length(Briefing, "source_file"),
            "audience": max_length(Role, "slug"),
            "also_available": max_length(Briefing, "series_title"),
        },
        "reference": {
            "key": max_length(Citation, "local_key"),
            "authors": max_length(Citation, "authors"),
            "year": max_length(Citation, "year"),
            "title": max_length(Citation, "title"),
            "text": MAX_REFERENCE_TEXT,
            "publisher": max_length(Citation, "publisher"),
            "journal": max_length(Citation, "journal"),
            "url": max_length(Citation, "url"),
            "label": max_length(Citation, "label"),
            "work": max_length(Reference, "key"),
        },
        "glossary": {
            "term": max_length(GlossaryTerm, "term"),
            "expansion": max_length(GlossaryTerm, "expansion"),
            "note": max_length(GlossaryTerm, "note"),
        },
    }
