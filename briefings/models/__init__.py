"""The models of the briefings app, one module per concern; import them from here.

- documents: documents (``Briefing``), their sections, key messages and quotes
- taxonomy: what documents share: roles, themes, series
- references: the works documents cite (``Reference``), each document's ``Citation``, glossary
- editorial: change notes readers are shown
- editing: content versions, who saved, who has a document open, document locks (editors only)
- search: the search index rows
"""

from .documents import (
    Briefing,
    BriefingQuerySet,
    KeyMessage,
    KeyMessageQuerySet,
    Quote,
    Section,
    SectionQuerySet,
    SectionSlugHistory,
    ThemedKeyMessage,
    ThemedSection,
)
from .editing import DocumentLock, EditorPresence, EditRecord, EditVersion
from .editorial import ChangeNote, ChangeNoteQuerySet
from .references import Citation, GlossaryTerm, Reference, earliest_published
from .search import SearchEntry
from .taxonomy import Role, Series, Status, Theme

# What public pages show: saving, deleting or re-linking any of these starts a new content version
# of the page cache (portal.caching.declare_content, called from BriefingsConfig.ready). A new
# model of this app belongs here unless no public page can show it (a test holds that choice).
PAGE_CONTENT = (
    Role,
    Theme,
    ThemedSection,
    ThemedKeyMessage,
    Series,
    Briefing,
    Briefing.audiences.through,
    Briefing.glossary_terms.through,
    Section,
    Section.cited_references.through,
    SectionSlugHistory,
    KeyMessage,
    Quote,
    Reference,
    Citation,
    GlossaryTerm,
    ChangeNote,
    SearchEntry,
)

__all__ = [
    "PAGE_CONTENT",
    "Briefing",
    "BriefingQuerySet",
    "ChangeNote",
    "ChangeNoteQuerySet",
    "Citation",
    "DocumentLock",
    "EditRecord",
    "EditVersion",
    "EditorPresence",
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
    "Status",
    "Theme",
    "ThemedKeyMessage",
    "ThemedSection",
    "earliest_published",
]
