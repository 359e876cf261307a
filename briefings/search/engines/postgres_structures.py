"""The PostgreSQL engine's full-text structures (engines/postgres.py reads them).

- A stored generated tsvector of the four texts (weights A to D) with a GIN index: the match,
  and the rank. PostgreSQL recomputes it in the statement that writes the row.
- A stored generated tsvector of the heading and key message alone, with a GIN index: the
  strong rows, found without checking the weights of every match's vector.
- An expression GIN index of the filter words (SearchEntry.facets), so that a filter is an
  intersection of index entries.
- Partial indexes of the documents and sections that may not be shown, which are few.
- The spelling vocabulary, counted per statement by triggers over the statement's transition
  tables, or once at the end of a bulk write.
"""

from __future__ import annotations

from briefings.models import Status

from ..schema import (
    BULK_WRITE_SETTING,
    ENTRY,
    FACETS_COLUMN,
    FILTERS_INDEX,
    HIDDEN_BRIEFINGS_INDEX,
    HIDDEN_SECTIONS_INDEX,
    LEGACY_VOCABULARY_TRIGGER,
    STRONG_INDEX,
    STRONG_VECTOR,
    VECTOR,
    VECTOR_INDEX,
    VOCABULARY,
    VOCABULARY_FUNCTION,
    VOCABULARY_TRIGGERS,
)

CONFIG = "english"
PUBLISHED = str(Status.PUBLISHED)
# The heading and key message alone, as the strong rows' index holds them; and the filter words,
# as the filters' index holds them (each word as it is: the parser would drop its mark).


def filter_vector(row: str = "") -> str:
    return f"array_to_tsvector(string_to_array({row}{FACETS_COLUMN}, ' '))"


def _gin(name: str, expression: str) -> str:
    return f"CREATE INDEX IF NOT EXISTS {name} ON {ENTRY} USING GIN ({expression})"


VECTOR_DDL = f"""ALTER TABLE {ENTRY} ADD COLUMN IF NOT EXISTS {VECTOR} tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('{CONFIG}'::regconfig, heading), 'A')
        || setweight(to_tsvector('{CONFIG}'::regconfig, summary), 'B')
        || setweight(to_tsvector('{CONFIG}'::regconfig, body), 'C')
        || setweight(to_tsvector('{CONFIG}'::regconfig, extra), 'D')
    ) STORED"""

STRONG_DDL = f"""ALTER TABLE {ENTRY} ADD COLUMN IF NOT EXISTS {STRONG_VECTOR} tsvector
    GENERATED ALWAYS AS (
        to_tsvector('{CONFIG}'::regconfig, heading) || to_tsvector('{CONFIG}'::regconfig, summary)
    ) STORED"""

# Kept in the row, compressed (STORAGE MAIN), rather than moved to the TOAST table once a row
# outgrows 2 KB: a read that checks each row's match (a cut read in id order, a phrase's
# adjacency, ts_rank) then decompresses the vector in place instead of fetching it from TOAST,
# which made such reads about twice as slow. The long texts (body) move out of the row first.
# Migration 0021 rewrote the rows stored before.
INLINE_COLUMNS = (VECTOR, STRONG_VECTOR)
INLINE_DDL = f"ALTER TABLE {ENTRY} " + ", ".join(
    f"ALTER COLUMN {column} SET STORAGE MAIN" for column in INLINE_COLUMNS
)
INDEXES = {
    VECTOR_INDEX: _gin(VECTOR_INDEX, VECTOR),
    STRONG_INDEX: _gin(STRONG_INDEX, STRONG_VECTOR),
    FILTERS_INDEX: _gin(FILTERS_INDEX, filter_vector()),
    HIDDEN_BRIEFINGS_INDEX: f"CREATE INDEX IF NOT EXISTS {HIDDEN_BRIEFINGS_INDEX} "
    f"ON briefings_briefing (id) WHERE status <> '{PUBLISHED}' OR publish_from IS NOT NULL",
    HIDDEN_SECTIONS_INDEX: f"CREATE INDEX IF NOT EXISTS {HIDDEN_SECTIONS_INDEX} "
    f"ON briefings_section (id) WHERE status <> '{PUBLISHED}'",
}  # fmt: skip

# The words of a row for the vocabulary, over row r; and whether a row's texts changed (o: old).
ROW_WORDS = (
    "unnest(to_tsvector('simple'::regconfig, "
    "concat_ws(' ', r.heading, r.summary, r.body, r.extra)))"
)
TEXT_CHANGED = (
    "(o.heading, o.summary, o.body, o.extra) IS DISTINCT FROM "
    "(r.heading, r.summary, r.body, r.extra)"
)
# Words are counted per statement: those of the rows it inserted, deleted or changed (from its
# transition tables) added and taken away in one upsert, then the words no row holds any more
# deleted. A bulk write (index.rebuild) sets BULK_WRITE_SETTING and counts them once at its end.
VOCABULARY_FUNCTION_DDL = f"""CREATE OR REPLACE FUNCTION {VOCABULARY_FUNCTION}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        words text[];
        changes integer[];
    BEGIN
        IF current_setting('{BULK_WRITE_SETTING}', true) = 'on' THEN
            RETURN NULL;
        END IF;
        IF TG_OP = 'INSERT' THEN
            SELECT array_agg(word), array_agg(change) INTO words, changes FROM (
                SELECT w.lexeme AS word, count(*) AS change FROM new_rows r, {ROW_WORDS} w
                WHERE length(w.lexeme) <= 60 GROUP BY w.lexeme) c;
        ELSIF TG_OP = 'DELETE' THEN
            SELECT array_agg(word), array_agg(change) INTO words, changes FROM (
                SELECT w.lexeme AS word, -count(*) AS change FROM old_rows r, {ROW_WORDS} w
                WHERE length(w.lexeme) <= 60 GROUP BY w.lexeme) c;
        ELSE
            SELECT array_agg(word), array_agg(change) INTO words, changes FROM (
                SELECT word, sum(change) AS change FROM (
                    SELECT w.lexeme AS word, 1 AS change
                    FROM new_rows r JOIN old_rows o ON o.id = r.id, {ROW_WORDS} w
                    WHERE {TEXT_CHANGED}
                    UNION ALL
                    SELECT w.lexeme, -1 FROM (SELECT o.* FROM old_rows o
                        JOIN new_rows r ON r.id = o.id WHERE {TEXT_CHANGED}) r, {ROW_WORDS} w
                ) d WHERE length(word) <= 60 GROUP BY word HAVING sum(change) <> 0) c;
        END IF;
        IF words IS NULL THEN
            RETURN NULL;
        END IF;
        INSERT INTO {VOCABULARY} AS v (word, n) SELECT * FROM unnest(words, changes)
            ON CONFLICT (word) DO UPDATE SET n = v.n + excluded.n;
        DELETE FROM {VOCABULARY} WHERE n <= 0 AND word = ANY(words);
        RETURN NULL;
    END
    $$"""

TRANSITION_TABLES = {
    "insert": "NEW TABLE AS new_rows",
    "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "OLD TABLE AS old_rows",
}


def vocabulary_trigger(name: str) -> str:
    event = name.rsplit("_", 1)[1]
    return (
        f"CREATE TRIGGER {name} AFTER {event.upper()} ON {ENTRY} "
        f"REFERENCING {TRANSITION_TABLES[event]} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {VOCABULARY_FUNCTION}()"
    )


def ddl(has_facets: bool) -> list[str]:
    """Idempotent: safe to run again to restore anything that went missing. Before migration
    0008 the rows have no filter words, and so no index of them."""
    indexes = [sql for name, sql in INDEXES.items() if has_facets or name != FILTERS_INDEX]
    return [
        VECTOR_DDL,
        STRONG_DDL,
        INLINE_DDL,
        *indexes,
        # n: how many rows hold the word, to prefer the commoner of two equally near spellings.
        f"CREATE TABLE IF NOT EXISTS {VOCABULARY} (word text PRIMARY KEY, n integer DEFAULT 1)",
        f"DROP TRIGGER IF EXISTS {LEGACY_VOCABULARY_TRIGGER} ON {ENTRY}",
        f"DROP FUNCTION IF EXISTS {LEGACY_VOCABULARY_TRIGGER}()",
        VOCABULARY_FUNCTION_DDL,
        *[f"DROP TRIGGER IF EXISTS {name} ON {ENTRY}" for name in VOCABULARY_TRIGGERS],
        *[vocabulary_trigger(name) for name in VOCABULARY_TRIGGERS],
    ]


REFILL = [
    f"DELETE FROM {VOCABULARY}",
    f"""INSERT INTO {VOCABULARY} (word, n)
        SELECT w.lexeme, count(*) FROM {ENTRY} r, {ROW_WORDS} w
        WHERE length(w.lexeme) <= 60 GROUP BY w.lexeme""",
    # A bulk write leaves its index entries in each GIN index's pending list, which every
    # search would read through until autovacuum merged it: merge it now. Then statistics for
    # the planner, the rows having been rewritten wholesale.
    "SELECT gin_clean_pending_list(to_regclass(name)) FROM unnest(ARRAY["
    + ", ".join(f"'{name}'" for name in (VECTOR_INDEX, STRONG_INDEX, FILTERS_INDEX))
    + "]) name WHERE to_regclass(name) IS NOT NULL",
    f"ANALYZE {ENTRY}",
]

UNDO = [
    *[f"DROP TRIGGER IF EXISTS {name} ON {ENTRY}" for name in VOCABULARY_TRIGGERS],
    f"DROP FUNCTION IF EXISTS {VOCABULARY_FUNCTION}()",
    f"DROP TABLE IF EXISTS {VOCABULARY}",
    *[f"DROP INDEX IF EXISTS {name}" for name in INDEXES],
    f"ALTER TABLE {ENTRY} DROP COLUMN IF EXISTS {STRONG_VECTOR}",
    f"ALTER TABLE {ENTRY} DROP COLUMN IF EXISTS {VECTOR}",
]
