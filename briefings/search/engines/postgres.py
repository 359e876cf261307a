"""PostgreSQL full-text search: a generated, weighted tsvector with a GIN index.

- The vector is a stored generated column, so PostgreSQL recomputes it in the statement that
  writes the row: it cannot fall out of step with the text.
- Weights: heading A, key message B, body C, references and themes D; ranked with ts_rank_cd()
  (cover density, so words close together count for more), negated so that lower is better.
- The query is a tsquery built from the parsed tree, every word a quoted lexeme, passed as one
  parameter to to_tsquery(): websearch-style semantics without handing user text to a parser.
- A vocabulary table, filled by a trigger with the unstemmed words of each row, feeds
  "Did you mean" (ts_stat() would read every vector on each suggestion).
"""

from __future__ import annotations

from ..query import AllOf, AnyOf, Phrase, Query, Term
from ..results import MARK_END, MARK_START
from ..schema import ENTRY, TEXT_COLUMNS, VECTOR, VECTOR_INDEX, VOCABULARY
from ..sql import Sql, sql
from ..statement import Scan
from .base import SearchBackend, each_word_is_safe

CONFIG = "english"
# ts_rank_cd() weights in the order {D, C, B, A}: the same proportions as the FTS5 bm25 weights.
WEIGHTS = "{0.05, 0.125, 0.5, 1.0}"
# 1: divide the rank by 1 + log(length), so a long section does not win on bulk alone.
NORMALISATION = 1
TRIGGER = f"{VOCABULARY}_add"
ALL_TEXT = ", ".join(TEXT_COLUMNS)

# Idempotent: safe to run again to restore anything that went missing.
DDL = [
    f"""ALTER TABLE {ENTRY} ADD COLUMN IF NOT EXISTS {VECTOR} tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('{CONFIG}'::regconfig, heading), 'A')
        || setweight(to_tsvector('{CONFIG}'::regconfig, summary), 'B')
        || setweight(to_tsvector('{CONFIG}'::regconfig, body), 'C')
        || setweight(to_tsvector('{CONFIG}'::regconfig, extra), 'D')
    ) STORED""",
    f"CREATE INDEX IF NOT EXISTS {VECTOR_INDEX} ON {ENTRY} USING GIN ({VECTOR})",
    # n: how many rows have held the word (an approximation: never decremented until a rebuild),
    # to prefer the commoner of two equally near spellings.
    f"CREATE TABLE IF NOT EXISTS {VOCABULARY} (word text PRIMARY KEY, n integer DEFAULT 1)",
    f"""CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {VOCABULARY} (word)
        SELECT DISTINCT lexeme FROM unnest(to_tsvector('simple'::regconfig,
            concat_ws(' ', NEW.heading, NEW.summary, NEW.body, NEW.extra)))
        WHERE length(lexeme) <= 60
        ON CONFLICT (word) DO UPDATE SET n = {VOCABULARY}.n + 1;
        RETURN NULL;
    END
    $$""",
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON {ENTRY}",
    f"""CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OF {ALL_TEXT}
        ON {ENTRY} FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()""",
]

REFILL = [
    f"DELETE FROM {VOCABULARY}",
    f"""INSERT INTO {VOCABULARY} (word, n)
        SELECT lexeme, count(*) FROM {ENTRY}, unnest(to_tsvector('simple'::regconfig,
            concat_ws(' ', {ALL_TEXT})))
        WHERE length(lexeme) <= 60 GROUP BY lexeme""",
]

UNDO = [
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON {ENTRY}",
    f"DROP FUNCTION IF EXISTS {TRIGGER}()",
    f"DROP TABLE IF EXISTS {VOCABULARY}",
    f"DROP INDEX IF EXISTS {VECTOR_INDEX}",
    f"ALTER TABLE {ENTRY} DROP COLUMN IF EXISTS {VECTOR}",
]


def _lexemes(words, prefix=False, weights="") -> str:
    if not each_word_is_safe(words):
        raise ValueError("unsafe word in query tree")
    labels = [weights] * len(words)
    if prefix:
        labels[-1] = "*" + weights
    quoted = [
        f"'{w}':{label}" if label else f"'{w}'" for w, label in zip(words, labels, strict=True)
    ]
    return " <-> ".join(quoted)


def _node(node, weights="") -> str:
    if isinstance(node, Term):
        return _lexemes([node.word], node.prefix, weights)
    if isinstance(node, Phrase):
        return "(" + _lexemes(node.words_, node.prefix, weights) + ")"
    if isinstance(node, AnyOf):
        return "(" + " | ".join(_node(o, weights) for o in node.options) + ")"
    if isinstance(node, AllOf):
        return "(" + " & ".join(_node(p, weights) for p in node.parts) + ")"
    raise TypeError(node)


def compile_tsquery(query: Query) -> str:
    """The to_tsquery() text for a query tree: quoted lexemes and operators only."""
    parts = [_node(n) for n in query.must] + [f"!{_node(n)}" for n in query.must_not]
    return " & ".join(parts)


def strong_tsquery(query: Query) -> str:
    """The query matched within the heading and key message (weights A and B) alone."""
    must = "(" + " & ".join(_node(n, weights="AB") for n in query.must) + ")"
    return must + "".join(f" & !{_node(n)}" for n in query.must_not)


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

    def install(self, schema_editor):
        self.ensure(schema_editor.execute)

    def uninstall(self, schema_editor):
        for statement in UNDO:
            schema_editor.execute(statement)

    def ensure(self, execute):
        # Only when something is missing: ALTER TABLE is refused in a transaction that has
        # already written rows with deferred constraint checks (generate_corpus, the tests).
        if self.missing():
            for statement in DDL:
                execute(statement)

    @staticmethod
    def refill(execute):
        # Words of deleted rows stay in the vocabulary until this runs (a suggestion is only
        # shown when it finds something, so a stale word is never offered).
        for statement in REFILL:
            execute(statement)

    def missing(self) -> list[str]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM information_schema.columns "
                "WHERE table_name = %s AND column_name = %s",
                [ENTRY, VECTOR],
            )
            has_vector = cursor.fetchone()[0]
            cursor.execute("SELECT to_regclass(%s), to_regclass(%s)", [VECTOR_INDEX, VOCABULARY])
            index, vocabulary = cursor.fetchone()
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = %s", [TRIGGER])
            trigger = cursor.fetchone()[0]
        found = {VECTOR: has_vector, VECTOR_INDEX: index, VOCABULARY: vocabulary, TRIGGER: trigger}
        return [name for name, present in found.items() if not present]

    def word_counts(self, words) -> dict[str, int]:
        placeholders = ", ".join(["%s"] * len(words))
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT word, n FROM {VOCABULARY} WHERE word IN ({placeholders})", words
            )
            return dict(cursor.fetchall())

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

    # --- the pieces of the search statement --------------------------------------------------

    def compile(self, query: Query) -> str:
        return compile_tsquery(query)

    def strong(self, query: Query) -> str:
        return strong_tsquery(query)

    def count(self, expression, filtering, limit):
        return sql(
            "SELECT count(*) AS n FROM (SELECT 1 FROM {entry} e "
            "WHERE e.{vector} @@ {query} AND {rows} LIMIT {limit}) m",
            entry=self.tables.entry,
            vector=VECTOR,
            query=_tsquery(expression),
            rows=filtering.rows,
            limit=limit,
        )

    def scan(self, expression, gate, filtering):
        # PostgreSQL tests a condition on no table once, before the scan (a one-time filter).
        # Its planner combines the filters' indexes with the GIN index itself: no facet words.
        return Scan(
            source=sql(
                "{entry} e CROSS JOIN (SELECT {query} AS query) q",
                entry=self.tables.entry,
                query=_tsquery(expression),
            ),
            condition=sql("e.{vector} @@ q.query AND {gate}", vector=VECTOR, gate=gate),
            score=Sql(f"-ts_rank_cd('{WEIGHTS}'::float4[], e.{VECTOR}, q.query, {NORMALISATION})"),
        )

    def clause(self, expression):
        return sql("e.{vector} @@ {query}", vector=VECTOR, query=_tsquery(expression))

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
