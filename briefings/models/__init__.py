"""The models of the briefings app, one module per concern; import them from here.

- documents: documents (``Briefing``), their sections and key messages, roles, themes, series
- references: the works documents cite (``Reference``), each document's ``Citation``, glossary
- editorial: change notes readers are shown
- search: the search index rows
"""

from .documents import (
    Briefing,
    BriefingQuerySet,
    KeyMessage,
    KeyMessageQuerySet,
    Quote,
    Role,
    Section,
    SectionQuerySet,
    SectionSlugHistory,
    Series,
    SeriesTitle,
    Status,
    Theme,
    ThemedKeyMessage,
    ThemedSection,
)
from .editorial import ChangeNote, ChangeNoteQuerySet
from .references import Citation, GlossaryTerm, Reference
from .search import SearchEntry

__all__ = [
    "Briefing",
    "BriefingQuerySet",
    "ChangeNote",
    "ChangeNoteQuerySet",
    "Citation",
    "GlossaryTerm",
    "KeyMessage",
    "KeyMessageQuerySet",
    "Quote",
    "Reference",
    "Role",
    "SearchEntry",
    "Section",
    "SectionQuerySet",
    "SectionSlugHistory",
    "Series",
    "SeriesTitle",
    "Status",
    "Theme",
    "ThemedKeyMessage",
    "ThemedSection",
]
