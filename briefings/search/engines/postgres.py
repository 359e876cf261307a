"""PostgreSQL full-text search (docs/search.md: ranking on PostgreSQL).

- The match is a tsquery built from the parsed tree, every word a quoted lexeme, passed as one
  parameter to to_tsquery(): websearch-style semantics without handing user text to a parser.
- Ranked with ts_rank() over the weighted vector (heading A, key message B, body C,
  references and themes D; by how often the words occur, as bm25 does on SQLite), negated so
  that lower is better, and only once the page's set is cut: at most the exact limit + 1 rows.
  Not ts_rank_cd(): cover density ranked a reference whose short title holds a question's words
  side by side a hundred times above the sections that discuss them (issue 17).
- Filters are filter words, intersected through their own GIN index; strong rows come from a
  GIN index of the heading and key message alone; the documents and sections that may not be
  shown are few, found through partial indexes and checked as small hashed sets rather than by
  joining each match to its document, section and parent.
- The structures are in postgres_structures.py; the spelling vocabulary is a table kept exact
  per statement by triggers (ts_stat() would read every vector on each suggestion).
"""

from __future__ import annotations

from ..query import AllOf, AnyOf, Phrase, Query, Term
from ..results import MARK_END, MARK_START
from ..schema import (
    BULK_WRITE_SETTING,
    ENTRY,
    FACETS_COLUMN,
    STRONG_VECTOR,
    VECTOR,
    VOCABULARY,
    VOCABULARY_TRIGGERS,
)
from ..sql import Sql, join, sql, value
from ..statement import Filtering, Scan, Visibility
from .base import SearchBackend, each_word_is_safe, filter_words
from .postgres_structures import (
    CONFIG,
    FILTERS_INDEX,
    INDEXES,
    INLINE_COLUMNS,
    PUBLISHED,
    REFILL,
    UNDO,
    ddl,
    filter_vector,
)

# ts_rank() weights in the order {D, C, B, A}: the same proportions as the FTS5 bm25 weights.
WEIGHTS = "{0.05, 0.125, 0.5, 1.0}"
# 1: divide the rank by 1 + log(length), so a long section does not win on bulk alone.
NORMALISATION = 1
RANK = Sql(f"-ts_rank('{WEIGHTS}'::float4[], e.{VECTOR}, q.query, {NORMALISATION})")


def _lexemes(words, prefix=False, weights="", joiner=" <-> ") -> str:
    if not each_word_is_safe(words):
        raise ValueError("unsafe word in query tree")
    labels = [weights] * len(words)
    if prefix:
        labels[-1] = "*" + weights
    quoted = [
        f"'{w}':{label}" if label else f"'{w}'" for w, label in zip(words, labels, strict=True)
    ]
    return joiner.join(quoted)


def _node(node, weights="", loose=False) -> str:
    if isinstance(node, Term):
        return _lexemes([node.word], node.prefix, weights)
    if isinstance(node, Phrase):
        joiner = " & " if loose else " <-> "
        return "(" + _lexemes(node.words_, node.prefix, weights, joiner) + ")"
    if isinstance(node, AnyOf):
        return "(" + " | ".join(_node(o, weights, loose) for o in node.options) + ")"
    if isinstance(node, AllOf):
        return "(" + " & ".join(_node(p, weights, loose) for p in node.parts) + ")"
    raise TypeError(node)


def compile_tsquery(query: Query) -> str:
    """The to_tsquery() text for a query tree: quoted lexemes and operators only."""
    parts = [_node(n) for n in query.must] + [f"!{_node(n)}" for n in query.must_not]
    return " & ".join(parts)


def strong_tsquery(query: Query) -> str:
    """The words the heading and key message must hold for a strong row (STRONG_VECTOR): the
    query without its exclusions, which the whole match applies."""
    return " & ".join(_node(n) for n in query.must)


def loose_tsquery(query: Query) -> str | None:
    """The query as the index answers it alone, without reading a row to recheck it: a
    phrase's words anywhere in the row, and no exclusions. It finds every row the query finds
    (and more); None when that is the query itself, or when it would find no row at all."""
    if not query.must:
        return None
    loose = " & ".join(_node(n, loose=True) for n in query.must)
    return None if loose == compile_tsquery(query) else loose


def _options(whole=False) -> str:
    """ts_headline() options with the control-character markers, as an SQL expression.

    `whole` marks the entire text (a heading, a key message); otherwise up to two fragments.
    """
    if whole:
        text = "HighlightAll=true"
    else:
        text = 'MaxWords=40, MinWords=18, ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "'
    return (
        f"'StartSel=' || chr({ord(MARK_START)}) || ', StopSel=' || chr({ord(MARK_END)}) || "
        f"', {text}'"
    )


def _tsquery(expression: Sql) -> Sql:
    return sql(f"to_tsquery('{CONFIG}', {{e}})", e=expression)


class PostgresBackend(SearchBackend):
    vendor = "postgresql"
    # ts_rank() reads each row's vector: PostgreSQL would score every match before an
    # ORDER BY ... LIMIT cut them, so the page's set is scored once cut, at most the exact
    # limit + 1 rows.
    scores_after_cut = True
    orders_counted_cuts = False

    def install(self, schema_editor):
        self.ensure(schema_editor.execute)

    def uninstall(self, schema_editor):
        for statement in UNDO:
            schema_editor.execute(statement)

    def ensure(self, execute):
        # Only when something is missing: ALTER TABLE is refused in a transaction that has
        # already written rows with deferred constraint checks (generate_corpus, the tests).
        if self.missing():
            for statement in ddl(self._has_facets()):
                execute(statement)

    @staticmethod
    def refill(execute):
        """After the rows were rewritten: count the vocabulary again from every row, merge the
        GIN indexes' pending entries, refresh the planner's statistics."""
        for statement in REFILL:
            execute(statement)

    def bulk_write(self, on: bool):
        """Leave the vocabulary alone until refill() (on), or count it per statement again."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config(%s, %s, true)", [BULK_WRITE_SETTING, "on" if on else "off"]
            )

    def _has_facets(self) -> bool:
        with self.connection.cursor() as cursor:
            columns = self.connection.introspection.get_table_description(cursor, ENTRY)
        return any(column.name == FACETS_COLUMN for column in columns)

    def missing(self) -> list[str]:
        indexes = [name for name in INDEXES if name != FILTERS_INDEX or self._has_facets()]
        with self.connection.cursor() as cursor:
            columns = {
                c.name for c in self.connection.introspection.get_table_description(cursor, ENTRY)
            }
            found = {VECTOR: VECTOR in columns, STRONG_VECTOR: STRONG_VECTOR in columns}
            cursor.execute(
                "SELECT name FROM unnest(%s::text[]) name WHERE to_regclass(name) IS NOT NULL",
                [[*indexes, VOCABULARY]],
            )
            present = {name for (name,) in cursor.fetchall()}
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname = ANY(%s)", [list(VOCABULARY_TRIGGERS)]
            )
            present |= {name for (name,) in cursor.fetchall()}
            cursor.execute(
                "SELECT attname || ' inline' FROM pg_attribute "
                "WHERE attrelid = to_regclass(%s) AND attname = ANY(%s) AND attstorage = 'm'",
                [ENTRY, list(INLINE_COLUMNS)],
            )
            present |= {name for (name,) in cursor.fetchall()}
        inline = [f"{column} inline" for column in INLINE_COLUMNS]
        found.update({name: name in present for name in [*indexes, VOCABULARY, *inline]})
        found.update({name: name in present for name in VOCABULARY_TRIGGERS})
        return [name for name, exists in found.items() if not exists]

    def word_counts(self, words) -> dict[str, int]:
        placeholders = ", ".join(["%s"] * len(words))
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT word, n FROM {VOCABULARY} WHERE word IN ({placeholders})", words
            )
            return dict(cursor.fetchall())

    def unmatched(self, lookups) -> set[tuple[str, bool]]:
        # The vocabulary holds words as written ('simple'), the index their stems, so each word
        # is looked up in the index itself, as the search writes it. A word the configuration
        # drops (a stop word) is left out of a search, not unmatched.
        # Each word compiles as the search's own (_node), which refuses an unsafe one.
        lookups = list(lookups)
        if not lookups:
            return set()
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT t.i FROM unnest(%s::int[], %s::text[]) AS t(i, lexeme), "
                f"LATERAL to_tsquery('{CONFIG}', t.lexeme) AS q(query) "
                f"WHERE numnode(q.query) > 0 "
                f"AND NOT EXISTS (SELECT 1 FROM {ENTRY} e WHERE e.{VECTOR} @@ q.query)",
                [list(range(len(lookups))), [_node(Term(*lookup)) for lookup in lookups]],
            )
            return {lookups[i] for (i,) in cursor.fetchall()}

    def vocabulary(self, windows) -> dict[str, int]:
        selects, params = [], []
        for first, shortest, longest in windows:
            selects.append(
                f"SELECT word, n FROM {VOCABULARY} "
                "WHERE left(word, %s) = %s AND length(word) BETWEEN %s AND %s"
            )
            params += [len(first), first, shortest, longest]
        with self.connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(selects), params)
            return dict(cursor.fetchall())

    def same_to_the_index(self, corrections: dict[str, str]) -> set[str]:
        # The vocabulary holds the words as written ('simple'), the index their stems: "keeps"
        # is not in the vocabulary, so the speller offers "keep", which the index reads alike.
        typed = list(corrections)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT a FROM unnest(%s::text[], %s::text[]) AS p(a, b) "
                f"WHERE to_tsvector('{CONFIG}', a) = to_tsvector('{CONFIG}', b)",
                [typed, [corrections[word] for word in typed]],
            )
            return {word for (word,) in cursor.fetchall()}

    # --- the pieces of the search statement --------------------------------------------------

    def compile(self, query: Query) -> str:
        return compile_tsquery(query)

    def strong(self, query: Query) -> str:
        return strong_tsquery(query)

    def loose(self, query: Query) -> str | None:
        return loose_tsquery(query)

    def found(self, expression, filtering, limit):
        # The match's index scan, the costliest step of a search (a widened query's many
        # words), done once for a set within the limit. Given the loose query, it reads no row's
        # vector: a phrase's adjacency or an exclusion is checked on these rows only.
        return sql(
            "SELECT e.id FROM {entry} e WHERE e.{vector} @@ {query} AND {rows} LIMIT {limit}",
            entry=self.tables.entry,
            vector=VECTOR,
            query=_tsquery(expression),
            rows=filtering.rows,
            limit=limit,
        )

    def _source(self, expression: Sql) -> Sql:
        return sql(
            "{entry} e CROSS JOIN (SELECT {query} AS query) q",
            entry=self.tables.entry,
            query=_tsquery(expression),
        )

    def score_after_cut(self, expression):
        return self._source(expression), RANK

    def scan(self, expression, gate, filtering):
        # The gate is a condition on no table, which PostgreSQL tests once, before the scan.
        return Scan(
            source=self._source(expression),
            condition=sql("e.{vector} @@ q.query AND {gate}", vector=VECTOR, gate=gate),
            score=RANK,
        )

    def strong_scan(self, expression, strong, gate, filtering, exclusions=False):
        # The heading and key message hold the words (their own vector and index): the same rows
        # as the weighted query 'word':AB, without reading every match's vector to check the
        # weights. A query's exclusions apply to the whole row.
        whole = sql(" AND e.{vector} @@ q.query", vector=VECTOR) if exclusions else ""
        return Scan(
            source=self._source(expression),
            condition=sql(
                "e.{strong_vector} @@ {strong}{whole} AND {gate}",
                strong_vector=STRONG_VECTOR,
                strong=_tsquery(strong),
                whole=whole,
                gate=gate,
            ),
            score=RANK,
        )

    def visibility(self, now):
        # The documents and sections that may not be shown are few (partial indexes find them):
        # each read checks its rows against them as hashed sets, which keeps the read a scan of
        # one table, rather than joining each row to its document, section and parent.
        t = self.tables
        hidden_briefings = sql(
            "SELECT b.id FROM {briefing} b "
            "WHERE b.status <> '{published}' OR b.publish_from > {now}",
            briefing=t.briefing,
            published=PUBLISHED,
            now=value(now),
        )
        hidden_sections = sql(
            "SELECT s.id FROM {section} s WHERE s.status <> '{published}' UNION "
            "SELECT c.id FROM {section} c WHERE c.parent_id IN ("
            "SELECT p.id FROM {section} p WHERE p.status <> '{published}')",
            section=t.section,
            published=PUBLISHED,
        )
        return Visibility(
            steps=(("hidden_briefings", hidden_briefings), ("hidden_sections", hidden_sections)),
            joins=Sql(""),
            condition=Sql(
                "(e.briefing_id IS NULL OR e.briefing_id NOT IN (SELECT id FROM hidden_briefings))"
                " AND (e.section_id IS NULL "
                "OR e.section_id NOT IN (SELECT id FROM hidden_sections))"
            ),
        )

    def filtering(self, t, active):
        # The filter words, through their own index: AND between filters, OR within one.
        if not active:
            return Filtering()
        conjuncts = [
            sql(
                "'(' || {either} || ')'",
                either=join(" || ' | ' || ", [sql("'''' || {w} || ''''", w=w) for w in words]),
            )
            for words in filter_words(t, active)
        ]
        return Filtering(
            rows=sql(
                "{filters} @@ CAST({query} AS tsquery)",
                filters=filter_vector("e."),
                query=join(" || ' & ' || ", conjuncts),
            )
        )

    def clause(self, expression):
        return sql("e.{vector} @@ {query}", vector=VECTOR, query=_tsquery(expression))

    def row_check(self, expression):
        # The function behind @@: PostgreSQL uses an index for an operator only, so the rows
        # already found are checked one by one, not found again through the GIN index.
        return sql("ts_match_vq(e.{vector}, {query})", vector=VECTOR, query=_tsquery(expression))

    def per_row_join(self, table, alias, columns, condition):
        # One index lookup per row counted: left to choose, PostgreSQL hash-joined a set's few
        # hundred sections to every theme link of the collection (1.45 ms at scale 100, against
        # 0.48), and its documents to every document and audience. OFFSET 0 keeps it a lookup.
        return Sql(
            f"CROSS JOIN LATERAL (SELECT {columns} FROM {table} {alias} "
            f"WHERE {condition} OFFSET 0) {alias}"
        )

    def highlights(self):
        def headline(column, whole=False):
            return f"ts_headline('{CONFIG}', e.{column}, q.query, {_options(whole)})"

        return {
            "title_marked": "CASE WHEN e.kind IN ('section', 'glossary') "
            f"THEN {headline('heading', whole=True)} ELSE NULL END",
            "snippet": "CASE e.kind "
            f"WHEN 'key-message' THEN {headline('summary', whole=True)} "
            f"WHEN 'glossary' THEN {headline('summary', whole=True)} "
            f"WHEN 'reference' THEN {headline('extra')} "
            f"ELSE {headline('body')} END",
        }

    def hits(self, columns, joins, marking):
        return sql(
            "SELECT {columns} FROM page p {joins} CROSS JOIN (SELECT {query} AS query) q",
            columns=columns,
            joins=joins,
            query=_tsquery(marking),
        )
