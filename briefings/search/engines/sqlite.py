"""SQLite FTS5: an external-content full-text table over the index rows, kept in step by triggers.

- Porter stemming over Unicode word breaking ("porter unicode61"), diacritics folded.
- bm25() with column weights, heading strongest; lower is better.
- Filters are words of a fifth, unshown column (SearchEntry.facets), so FTS5 intersects them
  with the match instead of the search checking every match against the tables.
- A vocabulary table for "Did you mean": the index's words as written (suggestions must be real
  words, not Porter stems such as "vulner"), with how many rows hold each, kept exact in the
  same transaction as each write by index.sync() and, for rows deleted, from the texts a
  trigger keeps of them (rows_deleted, from signals.py): SQLite has no tokenizer a trigger
  could call. An fts5vocab view would count every word's rows on each read, a cost that grows
  with the collection.
- The triggers run inside the statement that changes the row, so the full-text tables can never
  disagree with the rows, even if a transaction rolls back.
"""

from __future__ import annotations

import json
from collections import Counter

from ..query import AllOf, AnyOf, Phrase, Query, Term, vocabulary_words
from ..results import ELLIPSIS, MARK_END, MARK_START
from ..schema import (
    DELETED_TEXTS,
    DELETED_TEXTS_TRIGGER,
    ENTRY,
    FTS,
    FTS_COLUMNS,
    FTS_TRIGGERS,
    LEGACY_TRIGGERS,
    LEGACY_WORDS,
    SECTION_VISIBILITY_INDEX,
    TEXT_COLUMNS,
    VOCABULARY,
)
from ..sql import Sql, join, sql
from ..statement import Filtering, Scan
from .base import SearchBackend, each_word_is_safe, filter_words

# bm25() weights per column: a heading says what a section is about; a key message is the
# document's own summary; references and themes are the weakest evidence; filter values none.
WEIGHTS = (8.0, 4.0, 1.0, 0.4, 0.0)
BM25 = Sql(f"bm25({FTS}, {', '.join(str(w) for w in WEIGHTS)})")
SNIPPET_TOKENS = 28
# The last word of a search is also a prefix, so nearly every search has one. Without an index
# for its length FTS5 merges the lists of every word it begins, on every lookup: with these,
# a prefix reads one list (about 17% more index, much less time: docs/benchmarks.md).
PREFIX_LENGTHS = "3 4 5 6 7 8"


def _ddl(columns=FTS_COLUMNS):
    """Idempotent DDL: safe to run again to restore anything a table rebuild dropped."""
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    insert, delete, update = FTS_TRIGGERS
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5({cols}, content='{ENTRY}', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2', "
        f"prefix='{PREFIX_LENGTHS}')",
        # doc: how many rows hold the word, to prefer the commoner of two equally near
        # spellings.
        f"CREATE TABLE IF NOT EXISTS {VOCABULARY} (term TEXT PRIMARY KEY, "
        "doc INTEGER NOT NULL DEFAULT 1) WITHOUT ROWID",
        # Visibility is checked per match against the section row; SQLite keeps `status` behind
        # the long body columns, so without this covering index each check reads the whole row.
        f"CREATE INDEX IF NOT EXISTS {SECTION_VISIBILITY_INDEX} "
        "ON briefings_section (id, status, parent_id)",
        f"CREATE TABLE IF NOT EXISTS {DELETED_TEXTS} ({', '.join(TEXT_COLUMNS)})",
        f"CREATE TRIGGER IF NOT EXISTS {DELETED_TEXTS_TRIGGER} AFTER DELETE ON {ENTRY} BEGIN "
        f"INSERT INTO {DELETED_TEXTS} VALUES ({', '.join(f'old.{c}' for c in TEXT_COLUMNS)}); "
        "END",
        f"CREATE TRIGGER IF NOT EXISTS {insert} AFTER INSERT ON {ENTRY} BEGIN "
        f"INSERT INTO {FTS}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER IF NOT EXISTS {delete} AFTER DELETE ON {ENTRY} BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER IF NOT EXISTS {update} AFTER UPDATE OF {cols} ON {ENTRY} "
        f"BEGIN INSERT INTO {FTS}({FTS}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {FTS}(rowid, {cols}) VALUES (new.id, {new}); END",
    ]


VOCABULARY_UPSERT = (
    f"INSERT INTO {VOCABULARY} (term, doc) VALUES (%s, %s) "
    "ON CONFLICT (term) DO UPDATE SET doc = doc + excluded.doc"
)
# Word counts added and taken away, from a JSON object {word: change} ("WHERE true" tells
# SQLite's parser that ON CONFLICT is not a join's ON); then the words no row holds any more.
VOCABULARY_CHANGE = (
    f"INSERT INTO {VOCABULARY} (term, doc) SELECT key, value FROM json_each(%s) WHERE true "
    "ON CONFLICT (term) DO UPDATE SET doc = doc + excluded.doc"
)
VOCABULARY_FORGET = (
    f"DELETE FROM {VOCABULARY} WHERE doc <= 0 AND term IN (SELECT value FROM json_each(%s))"
)


def _string(words) -> str:
    if not each_word_is_safe(words):
        raise ValueError("unsafe word in query tree")
    return '"' + " ".join(words) + '"'


def _node(node) -> str:
    if isinstance(node, Term):
        if node.prefix:
            # The porter tokenizer stems a prefix too, so this finds the whole word's stem and
            # every indexed stem it begins ("missing" * is "miss" *: miss, missing, missed).
            return f"{_string([node.word])} *"
        return _string([node.word])
    if isinstance(node, Phrase):
        return _string(node.words_) + (" *" if node.prefix else "")
    if isinstance(node, AnyOf):
        return "(" + " OR ".join(_node(o) for o in node.options) + ")"
    if isinstance(node, AllOf):
        return "(" + " AND ".join(_node(p) for p in node.parts) + ")"
    raise TypeError(node)


def compile_fts5(query: Query) -> str:
    """The FTS5 MATCH expression for a query tree. Every word is quoted as an FTS5 string."""
    expression = "(" + " AND ".join(_node(n) for n in query.must) + ")"
    for node in query.must_not:
        expression = f"{expression} NOT {_node(node)}"
    return expression


def strong_fts5(query: Query) -> str:
    """The query matched within the heading and key message columns alone."""
    strong = "{heading summary} : (" + " AND ".join(_node(n) for n in query.must) + ")"
    for node in query.must_not:
        strong = f"({strong}) NOT {_node(node)}"
    return strong


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"
    # FTS5 returns a match in rowid order: ordering by it costs no sort, and stops at the limit.
    read_order = f"{FTS}.rowid"

    def install(self, schema_editor):
        self.ensure(schema_editor.execute)
        self.refill(schema_editor.execute)

    def reinstall(self, schema_editor):
        """Recreate the full-text tables with the current options, from the rows."""
        self.uninstall(schema_editor)
        self.install(schema_editor)

    def uninstall(self, schema_editor):
        for trigger in [*FTS_TRIGGERS, *LEGACY_TRIGGERS, DELETED_TEXTS_TRIGGER]:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {SECTION_VISIBILITY_INDEX}")
        for table in (VOCABULARY, DELETED_TEXTS, LEGACY_WORDS, FTS):
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}")

    def ensure(self, execute):
        if self.missing():
            for statement in _ddl(self._indexed_columns()):
                execute(statement)

    def refill(self, execute):
        """Re-read every row into the full-text table (FTS5's own 'rebuild'), then compact;
        count the vocabulary again."""
        execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
        execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")
        execute(f"DELETE FROM {VOCABULARY}")
        execute(f"DELETE FROM {DELETED_TEXTS}")
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(TEXT_COLUMNS)} FROM {ENTRY}")
            self._count_words(cursor)
        # Statistics for the planner, which otherwise reads whole rows instead of the covering
        # indexes (search_entry_match, briefings_section_search_visibility).
        execute("ANALYZE")

    def _indexed_columns(self):
        """The full-text columns the row table has: migrations before 0008 build the table
        from rows that have no filter values yet."""
        with self.connection.cursor() as cursor:
            present = {
                column.name
                for column in self.connection.introspection.get_table_description(cursor, ENTRY)
            }
        return [column for column in FTS_COLUMNS if column in present]

    def missing(self) -> list[str]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger', 'index')"
            )
            present = {name for (name,) in cursor.fetchall()}
        wanted = [
            FTS,
            VOCABULARY,
            DELETED_TEXTS,
            SECTION_VISIBILITY_INDEX,
            *FTS_TRIGGERS,
            DELETED_TEXTS_TRIGGER,
        ]
        return [name for name in wanted if name not in present]

    def words_changed(self, removed, added):
        changes = Counter(word for texts in added for word in vocabulary_words(*texts))
        changes.subtract(word for texts in removed for word in vocabulary_words(*texts))
        changes = {word: change for word, change in changes.items() if change}
        if not changes:
            return
        # Two statements however many words: each reads the changes as one JSON parameter.
        with self.connection.cursor() as cursor:
            cursor.execute(VOCABULARY_CHANGE, [json.dumps(changes)])
            gone = [word for word, change in changes.items() if change < 0]
            if gone:
                cursor.execute(VOCABULARY_FORGET, [json.dumps(gone)])

    def rows_deleted(self):
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(TEXT_COLUMNS)} FROM {DELETED_TEXTS}")
            removed = cursor.fetchall()
            if not removed:
                return
            cursor.execute(f"DELETE FROM {DELETED_TEXTS}")
        self.words_changed(removed, [])

    def _count_words(self, rows):
        """Add to the vocabulary each word of the rows (their texts), once per row."""
        counts = Counter(word for texts in rows for word in vocabulary_words(*texts))
        if counts:
            with self.connection.cursor() as cursor:
                cursor.executemany(VOCABULARY_UPSERT, sorted(counts.items()))

    def word_counts(self, words) -> dict[str, int]:
        placeholders = ", ".join(["%s"] * len(words))
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, doc FROM {VOCABULARY} WHERE term IN ({placeholders})", words
            )
            return dict(cursor.fetchall())

    def unmatched(self, lookups) -> set[tuple[str, bool]]:
        # The vocabulary holds words as written, the index their stems ("policing" matches
        # "police"), so each word is looked up in the index itself, as the search writes it.
        # Each word compiles as the search's own (_node), which refuses an unsafe one.
        lookups = list(lookups)
        if not lookups:
            return set()
        select = f"SELECT %s WHERE NOT EXISTS (SELECT 1 FROM {FTS} WHERE {FTS} MATCH %s)"
        with self.connection.cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join([select] * len(lookups)),
                [p for i, lookup in enumerate(lookups) for p in (i, _node(Term(*lookup)))],
            )
            return {lookups[i] for (i,) in cursor.fetchall()}

    def vocabulary(self, windows) -> dict[str, int]:
        # One SELECT per window, each a single range on the term (the table's key).
        selects, params = [], []
        for first, shortest, longest in windows:
            selects.append(
                f"SELECT term, doc FROM {VOCABULARY} WHERE term >= %s AND term < %s "
                "AND length(term) BETWEEN %s AND %s"
            )
            params += [first, first[:-1] + chr(ord(first[-1]) + 1), shortest, longest]
        with self.connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(selects), params)
            return dict(cursor.fetchall())

    # --- the pieces of the search statement --------------------------------------------------

    def compile(self, query: Query) -> str:
        return compile_fts5(query)

    def strong(self, query: Query) -> str:
        return strong_fts5(query)

    def count(self, expression, filtering, limit):
        source = FTS
        if filtering.rows.params:
            # Conditions on the rows (the default filtering) need the rows.
            source += f" CROSS JOIN {self.tables.entry} e ON e.id = {FTS}.rowid"
        return sql(
            "SELECT count(*) AS n FROM (SELECT 1 FROM {source} "
            "WHERE {fts} MATCH '(' || {expression} || ')'{narrow} AND {rows} LIMIT {limit})",
            source=source,
            fts=FTS,
            expression=expression,
            narrow=filtering.match,
            rows=filtering.rows,
            limit=limit,
        )

    def scan(self, expression, gate, filtering):
        # CROSS JOIN fixes the join order: the full-text match drives, one row lookup per match.
        # The gate goes inside the MATCH: as a condition beside it, SQLite would still have
        # FTS5 read the whole match first. '""' is the empty phrase, which matches nothing.
        return Scan(
            source=Sql(f"{FTS} CROSS JOIN {self.tables.entry} e ON e.id = {FTS}.rowid"),
            condition=sql(
                "{fts} MATCH (CASE WHEN {gate} THEN '(' || {expression} || ')'{narrow} "
                "ELSE '\"\"' END)",
                fts=FTS,
                gate=gate,
                expression=expression,
                narrow=filtering.match,
            ),
            score=BM25,
        )

    def filtering(self, t, active):
        # The index intersects the filter words with the match: a filter that few matches pass
        # (one document of hundreds, a theme) no longer has the read go through every match to
        # find them, nor check each against the tables. The words are written in the same
        # transaction as what they record (signals.py), as the text is: appended to the match
        # expression as FTS5 strings, AND between filters, OR within one.
        conjuncts = [
            sql(
                "'(' || {either} || ')'",
                either=join(" || ' OR ' || ", [sql("'\"' || {w} || '\"'", w=w) for w in words]),
            )
            for words in filter_words(t, active)
        ]
        match = join("", [sql(" || ' AND ' || {c}", c=c) for c in conjuncts])
        return Filtering(match=match)

    def clause(self, expression):
        return sql("e.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH {e})", fts=FTS, e=expression)

    def highlights(self):
        marks = f"char({ord(MARK_START)}), char({ord(MARK_END)})"
        snippet = f"snippet({FTS}, {{column}}, {marks}, '{ELLIPSIS}', {SNIPPET_TOKENS})"
        return {
            "title_marked": f"CASE WHEN e.kind IN ('section', 'glossary') "
            f"THEN highlight({FTS}, 0, {marks}) ELSE NULL END",
            "snippet": "CASE e.kind "
            f"WHEN 'key-message' THEN highlight({FTS}, 1, {marks}) "
            f"WHEN 'glossary' THEN highlight({FTS}, 1, {marks}) "
            f"WHEN 'reference' THEN {snippet.format(column=3)} "
            f"ELSE {snippet.format(column=2)} END",
        }

    def hits(self, columns, joins, marking):
        # CROSS JOIN fixes the join order: for each of the page's rows, FTS5 seeks that rowid
        # within the match (for snippet() and highlight()) instead of re-reading every match.
        return sql(
            "SELECT {columns} FROM page p CROSS JOIN {fts} ON {fts}.rowid = p.id {joins} "
            "WHERE {fts} MATCH {marking}",
            columns=columns,
            fts=FTS,
            joins=joins,
            marking=marking,
        )
