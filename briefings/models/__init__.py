"""The models of the briefings app, one module per concern; import them from here.

- documents: documents (``Briefing``), their sections and key messages, roles, themes, series
- references: the works documents cite (``Reference``), each document's ``Citation``, glossary
- editorial: change notes readers are shown
- search: the search index rows
"""

# Trainer packs are briefings models until they move to their own app (issue 15).
from ..pack_models import Pack, PackItem
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
    Status,
    Theme,
    ThemedKeyMessage,
    ThemedSection,
)
from .editorial import ChangeNote, ChangeNoteQuerySet
from .references import Citation, GlossaryTerm, Reference, earliest_published
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
    "Pack",
    "PackItem",
    "Quote",
    "Reference",
    "Role",
    "SearchEntry",
    "Section",
    "SectionQuerySet",
    "SectionSlugHistory",
    "Series",
    "Status",
    "Theme",
    "ThemedKeyMessage",
    "ThemedSection",
    "earliest_published",
]
