"""Every name the search SQL uses, in one place: the content tables (from the models, so a renamed
table cannot silently break a statement), the index row's columns, the full-text structures each
engine keeps beside the rows, and the filter words (docs/search.md)."""

from __future__ import annotations

from briefings.models import (
    Briefing,
    Citation,
    GlossaryTerm,
    Role,
    SearchEntry,
    Section,
    Theme,
    ThemedKeyMessage,
    ThemedSection,
)

# --- the index rows --------------------------------------------------------------------------

ENTRY = SearchEntry._meta.db_table
# The indexed text, strongest evidence first: heading, key message, body, references and themes.
TEXT_COLUMNS = ("heading", "summary", "body", "extra")
# The row's filter values as index words (FACETS_COLUMN), never shown nor matched by a reader.
FACETS_COLUMN = "facets"
# The spelling vocabulary: each word of the rows as written, with how many rows hold it.
VOCABULARY = f"{ENTRY}_vocabulary"

# --- SQLite: an FTS5 table over the rows, kept in step by triggers ----------------------------

FTS = f"{ENTRY}_fts"
FTS_COLUMNS = (*TEXT_COLUMNS, FACETS_COLUMN)
FTS_TRIGGERS = tuple(f"{FTS}_{action}" for action in ("insert", "delete", "update"))
# Visibility is checked per match against the section row (see engines/sqlite.py).
SECTION_VISIBILITY_INDEX = "briefings_section_search_visibility"
# Before migration 0007 the vocabulary was an fts5vocab view of this unstemmed table.
LEGACY_WORDS = f"{ENTRY}_words"
LEGACY_TRIGGERS = tuple(f"{LEGACY_WORDS}_{action}" for action in ("insert", "delete", "update"))

# --- PostgreSQL: generated tsvector columns with GIN indexes ----------------------------------

VECTOR = "search_vector"
VECTOR_INDEX = f"{ENTRY}_vector"

# --- filter words -----------------------------------------------------------------------------

# Each begins with a private-use character, which the tokenizers keep inside a word and
# query.clean_text removes from every text and every search, so no reader's word, whole or as a
# prefix, can ever match one.
FACET_MARK = "\ue000"
FACET_KIND = f"{FACET_MARK}kind"
FACET_DOCUMENT = f"{FACET_MARK}doc"
FACET_ROLE = f"{FACET_MARK}role"
FACET_THEME = f"{FACET_MARK}theme"
FACET_EVERY_ROLE = f"{FACET_MARK}allroles"


def kind_word(kind: str) -> str:
    """The filter word for a kind of result ("key-message" has no hyphen in it)."""
    return f"{FACET_KIND}{kind.replace('-', '')}"


# --- the content tables -----------------------------------------------------------------------

MODELS = {
    "entry": SearchEntry,
    "briefing": Briefing,
    "section": Section,
    "citation": Citation,
    "role": Role,
    "theme": Theme,
    "glossary": GlossaryTerm,
    "audiences": Briefing.audiences.through,
    "themed_section": ThemedSection,
    "themed_key_message": ThemedKeyMessage,
}

# The content columns the statements read, by table: tests/search/test_search_schema.py holds
# them to the models, so a renamed field fails a test rather than a search.
COLUMNS = {
    "entry": ("id", "kind", "object_id", "briefing_id", "section_id", "position", "title",
              "anchor", *TEXT_COLUMNS, FACETS_COLUMN),
    "briefing": ("id", "slug", "title", "series_title", "status", "publish_from",
                 "has_reference_list"),
    "section": ("id", "slug", "heading", "status", "parent_id"),
    "citation": ("id", "listed"),
    "role": ("id", "slug", "name", "person", "order"),
    "theme": ("id", "slug", "name"),
    "glossary": ("id", "term", "expansion"),
    "audiences": ("briefing_id", "role_id"),
    "themed_section": ("content_object_id", "tag_id"),
    "themed_key_message": ("content_object_id", "tag_id"),
}  # fmt: skip


class Tables:
    """The content tables' names quoted for one connection, as attributes named as in MODELS."""

    def __init__(self, connection):
        quote = connection.ops.quote_name
        for name, model in MODELS.items():
            setattr(self, name, quote(model._meta.db_table))
        # "order" is a reserved word: the role's column must be quoted wherever it is used.
        self.order = quote("order")
