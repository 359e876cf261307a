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
# A transaction-local setting under which a bulk write (index.rebuild) leaves the vocabulary to
# be counted once at its end, rather than statement by statement (PostgreSQL's triggers).
BULK_WRITE_SETTING = "briefings.search_bulk_write"

# --- SQLite: an FTS5 table over the rows, kept in step by triggers ----------------------------

FTS = f"{ENTRY}_fts"
FTS_COLUMNS = (*TEXT_COLUMNS, FACETS_COLUMN)
FTS_TRIGGERS = tuple(f"{FTS}_{action}" for action in ("insert", "delete", "update"))
# Visibility is checked per match against the section row (see engines/sqlite.py).
SECTION_VISIBILITY_INDEX = "briefings_section_search_visibility"
# The texts of index rows deleted, written by a trigger and read by signals.entry_deleted,
# which takes their words out of the vocabulary: only the database knows which rows a delete
# (a cascade, say) really removed, and SQLite has no tokenizer a trigger could call.
DELETED_TEXTS = f"{VOCABULARY}_deleted"
DELETED_TEXTS_TRIGGER = f"{DELETED_TEXTS}_insert"
# Before migration 0007 the vocabulary was an fts5vocab view of this unstemmed table.
LEGACY_WORDS = f"{ENTRY}_words"
LEGACY_TRIGGERS = tuple(f"{LEGACY_WORDS}_{action}" for action in ("insert", "delete", "update"))

# --- PostgreSQL: generated tsvector columns with GIN indexes ----------------------------------

VECTOR = "search_vector"
VECTOR_INDEX = f"{ENTRY}_vector"
# The heading and key message alone, for the strong rows (a stored generated column), and the
# filter words, for the filters (an expression index): engines/postgres_structures.py.
STRONG_VECTOR = "search_strong"
STRONG_INDEX = f"{ENTRY}_strong"
FILTERS_INDEX = f"{ENTRY}_filters"
# Partial indexes of the documents and sections that may not be shown: few, so a search finds
# them without reading every document and section.
HIDDEN_BRIEFINGS_INDEX = "briefings_briefing_search_hidden"
HIDDEN_SECTIONS_INDEX = "briefings_section_search_hidden"
# The vocabulary is counted per statement, by one trigger per kind of write (a trigger with
# transition tables serves one event) running one function.
VOCABULARY_FUNCTION = f"{VOCABULARY}_count"
VOCABULARY_TRIGGERS = tuple(f"{VOCABULARY}_{event}" for event in ("insert", "update", "delete"))
# Before migration 0015 a row-level trigger upserted each word of each row written.
LEGACY_VOCABULARY_TRIGGER = f"{VOCABULARY}_add"

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
