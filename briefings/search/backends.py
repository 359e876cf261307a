"""One search interface, two engines: SQLite FTS5 and PostgreSQL full-text search.

A search is ONE SQL statement whatever the filters: it matches and ranks, keeps only published
rows (judged from the live briefing and section rows, by the rules of BriefingQuerySet.published()
and SectionQuerySet.published()), counts every facet under the other facets' filters, and returns
one page of hits with their highlighted snippets. A backend supplies only what differs: how the
query tree becomes the engine's match expression, the rank, the snippet, the DDL and the
vocabulary for spelling suggestions.

Scores are arranged so that lower is better on both engines (FTS5's bm25() already is; PostgreSQL's
ts_rank_cd() is negated), and ties are broken by document and reading order, so the same content
always comes back in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections
from django.utils import timezone

from briefings.models import (
    Briefing,
    Citation,
    GlossaryTerm,
    Role,
    SearchEntry,
    Section,
    Status,
    Theme,
    ThemedKeyMessage,
    ThemedSection,
)

from .query import Query

# Highlight markers: control characters, which the index never stores (see index.plain), so the
# snippet can be escaped first and the markers turned into <mark> afterwards.
MARK_START = "\x02"
MARK_END = "\x03"
ELLIPSIS = "…"

FACETS = ("kind", "document", "role", "theme")
# Options listed per facet, the most results first (and the chosen one): a list of hundreds of
# links helps nobody choose.
FACET_OPTIONS = 12
# Index words that carry a row's filter values (SearchEntry.facets): the kind, the document and
# its roles, the themes, and "for every role" for a glossary term. Each begins with a private-use
# character, which the tokenizer keeps in a word and query.clean_text removes from every text and
# every search, so no reader's word, whole or as a prefix, can ever match one.
FACET_MARK = "\ue000"
FACET_KIND = f"{FACET_MARK}kind"
FACET_DOCUMENT = f"{FACET_MARK}doc"
FACET_ROLE = f"{FACET_MARK}role"
FACET_THEME = f"{FACET_MARK}theme"
FACET_EVERY_ROLE = f"{FACET_MARK}allroles"
# A prior per kind of result, multiplied into the score: a reference or glossary entry is short,
# so length normalisation alone would let it outrank the passage that discusses the subject.
KIND_PRIOR = {"section": 1.0, "key-message": 0.9, "quote": 0.8, "glossary": 0.6, "reference": 0.3}


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    document: str = ""
    role: str = ""
    theme: str = ""

    def active(self):
        return {name: getattr(self, name) for name in FACETS if getattr(self, name)}


@dataclass
class FacetCount:
    value: str
    label: str
    count: int
    sort: int = 0


@dataclass
class RawHit:
    id: int
    kind: str
    title: str
    title_marked: str
    snippet_marked: str
    document_slug: str | None
    document_label: str | None
    section_slug: str | None
    section_heading: str | None
    parent_heading: str | None
    anchor: str
    listed_reference: bool
    score: float
    sort_key: tuple
    roles: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class RawResult:
    hits: list[RawHit]
    facets: dict[str, list[FacetCount]]
    everyone: int  # matches with no document (glossary terms): shown whatever the role filter
    sizes: dict[str, int] = field(default_factory=dict)  # rows read per set (see search())
    total: int = 0  # matches under every filter, at most the exact limit
    capped: bool = False  # more matched than the exact limit: the total is a lower bound
    capped_facets: set[str] = field(default_factory=set)  # facets counted from capped sets


# Every branch of the statement returns these columns; each fills the ones it needs.
COLUMNS = [
    ("row_type", "TEXT"),
    ("value", "TEXT"),
    ("label", "TEXT"),
    ("sort", "BIGINT"),
    ("n", "BIGINT"),
    ("id", "BIGINT"),
    ("kind", "TEXT"),
    ("title", "TEXT"),
    ("title_marked", "TEXT"),
    ("snippet", "TEXT"),
    ("section_slug", "TEXT"),
    ("section_heading", "TEXT"),
    ("parent_heading", "TEXT"),
    ("anchor", "TEXT"),
    ("listed", "BIGINT"),
    ("coverage", "BIGINT"),
    ("score", "REAL"),
    ("briefing_id", "BIGINT"),
    ("position", "BIGINT"),
]


def _select(values: dict[str, str]) -> str:
    unknown = set(values) - {name for name, _ in COLUMNS}
    assert not unknown, unknown  # noqa: S101 - a programming error in this module
    return ", ".join(
        f"CAST({values[name]} AS {kind}) AS {name}"
        if name in values
        else f"CAST(NULL AS {kind}) AS {name}"
        for name, kind in COLUMNS
    )


class Tables:
    """Quoted table names, from the models, so a renamed table cannot silently break the SQL."""

    def __init__(self, connection):
        q = connection.ops.quote_name
        self.entry = q(SearchEntry._meta.db_table)
        self.briefing = q(Briefing._meta.db_table)
        self.section = q(Section._meta.db_table)
        self.citation = q(Citation._meta.db_table)
        self.role = q(Role._meta.db_table)
        self.theme = q(Theme._meta.db_table)
        self.glossary = q(GlossaryTerm._meta.db_table)
        self.audiences = q(Briefing.audiences.through._meta.db_table)
        self.themed_section = q(ThemedSection._meta.db_table)
        self.themed_key_message = q(ThemedKeyMessage._meta.db_table)
        self.order = q("order")


def _prior_sql() -> str:
    cases = " ".join(f"WHEN '{kind}' THEN {weight}" for kind, weight in KIND_PRIOR.items())
    return f"(CASE e.kind {cases} ELSE 1.0 END)"


class SearchBackend:
    vendor = ""

    def __init__(self, alias="default"):
        self.alias = alias
        self.connection = connections[alias]
        self.tables = Tables(self.connection)

    # --- to be provided by each engine ----------------------------------------------------------

    def install(self, schema_editor):  # pragma: no cover - abstract
        """Create the full-text structures (migration 0004)."""
        raise NotImplementedError

    def reinstall(self, schema_editor):
        """Recreate structures whose options have changed (a later migration); by default none."""

    def uninstall(self, schema_editor):  # pragma: no cover - abstract
        raise NotImplementedError

    def ensure(self, execute):  # pragma: no cover - abstract
        """Create whatever full-text structure is missing; leave the rest alone."""
        raise NotImplementedError

    def refill(self, execute):  # pragma: no cover - abstract
        """Engine housekeeping once the rows have been rewritten (rebuild_search_index)."""
        raise NotImplementedError

    def add_words(self, entries):
        """Count the words of index rows just written into the spelling vocabulary, where the
        database does not do it itself."""

    def missing(self) -> list[str]:  # pragma: no cover - abstract
        """Names of full-text structures that should exist and do not."""
        raise NotImplementedError

    def execute(self, sql):
        with self.connection.cursor() as cursor:
            cursor.execute(sql)

    def compile(self, query: Query) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def hits_sql(self, t: Tables, select: str) -> str:
        """The page's rows with highlights: FROM page p JOIN entry e ... (one %s parameter)."""
        raise NotImplementedError  # pragma: no cover

    def word_counts(self, words) -> dict[str, int]:
        """Those of the words that the index holds, with how many rows hold each."""
        raise NotImplementedError  # pragma: no cover

    def vocabulary(self, windows) -> dict[str, int]:
        """Index words, with how many rows hold them, by (first letter, min length, max length)."""
        raise NotImplementedError  # pragma: no cover

    # --- shared ----------------------------------------------------------------------------------

    # The order a read cut at the limit goes in: the rows' ids.
    read_order = "e.id"

    def filter_sql(self, t: Tables, name: str) -> str:
        if name == "kind":
            return "e.kind = %s"
        if name == "document":
            return f"e.briefing_id IN (SELECT b.id FROM {t.briefing} b WHERE b.slug = %s)"
        if name == "role":
            # Glossary terms belong to no document, so they are for every role.
            return (
                "(e.briefing_id IS NULL OR e.briefing_id IN ("
                f"SELECT a.briefing_id FROM {t.audiences} a JOIN {t.role} r ON r.id = a.role_id "
                "WHERE r.slug = %s))"
            )
        if name == "theme":
            return (
                "(e.section_id IN ("
                f"SELECT ts.content_object_id FROM {t.themed_section} ts "
                f"JOIN {t.theme} th ON th.id = ts.tag_id WHERE th.slug = %s) "
                "OR (e.kind = 'key-message' AND e.object_id IN ("
                f"SELECT tk.content_object_id FROM {t.themed_key_message} tk "
                f"JOIN {t.theme} th ON th.id = tk.tag_id WHERE th.slug = %s)))"
            )
        raise ValueError(name)

    def where(self, t: Tables, active: dict[str, str]) -> tuple[str, list]:
        """A condition on row e that these filters hold, and its parameters."""
        clauses, params = ["1 = 1"], []
        for name, value in active.items():
            clauses.append(self.filter_sql(t, name))
            params += [value] * (2 if name == "theme" else 1)
        return " AND ".join(clauses), params

    def clause_sql(self, t: Tables) -> str:
        """A condition true when row e matches one compiled clause (one %s parameter)."""
        raise NotImplementedError  # pragma: no cover

    def filtering(self, t: Tables, active: dict[str, str]) -> tuple[str, list, str, list]:
        """How a read keeps only the rows with these filter values: SQL text appended to its
        match expression (itself a text) and its parameters, then a condition on row e and its
        parameters. By default the condition alone; an engine whose full-text index holds the
        values as words (SearchEntry.facets) has the index intersect them instead."""
        return ("", [], *self.where(t, active))

    def count_sql(self, t: Tables, limit: int, compiled: str, filtering) -> tuple[str, list]:
        """SELECT count(*) AS n of the rows matching a compiled query under a set's filters
        (as filtering() gives them), published or not, counting no further than `limit`; and
        its parameters."""
        raise NotImplementedError  # pragma: no cover

    def scan_sql(self, t: Tables, gate: str, narrow: str) -> tuple[str, str, str]:
        """(FROM, match condition, score) reading entry rows as e; one %s in FROM or condition,
        for the match expression, followed by `narrow` (filtering()) and its parameters.

        The read takes place only when the SQL condition `gate` holds; when it does not, the
        engine must not read the match at all."""
        raise NotImplementedError  # pragma: no cover

    def strong(self, query: Query) -> str:
        """The compiled query matched within the heading and key message alone."""
        raise NotImplementedError  # pragma: no cover

    @property
    def exact_limit(self) -> int:
        return settings.SEARCH_EXACT_LIMIT

    def search(
        self,
        query: Query,
        filters: Filters,
        offset: int,
        limit: int,
        now=None,
        coverage: tuple = (),
    ) -> RawResult:
        """One page of results, with facet counts.

        With `coverage` (the clauses of a query relaxed to "any of the words"), rows that match
        more of the clauses come first, then the best scores.

        The work is bounded: when more than `exact_limit` rows match the words under a set's
        filters (before the published check), only the first `exact_limit` + 1 rows that pass
        are read, those whose heading or key message holds the words first, and the page, the
        total or the facet counts are taken from them (RawResult.capped says so). Ranking and
        counting every match of a broad word in a large collection costs time in proportion to
        the matches; this keeps a search's cost the same whatever the size of the collection.
        """
        now = now or timezone.now()
        t = self.tables
        cap = self.exact_limit
        compiled = self.compile(query)
        strong = self.strong(query)
        coverage_params = [self.compile(Query(must=(clause,))) for clause in coverage]
        published = str(Status.PUBLISHED)
        visible_params = [
            published,
            self.connection.ops.adapt_datetimefield_value(now),
            published,
            published,
        ]

        def scan(gate, ranked, narrow):
            source, condition, score = self.scan_sql(t, gate, narrow)
            # A set that is only counted skips the ranking: bm25() reads every row holding
            # each of the query's words to weigh it, and coverage reads each clause's matches.
            if not ranked:
                score = "0"
            # Visibility is decided here, from the live rows, exactly as
            # BriefingQuerySet.published() and SectionQuerySet.published() decide it
            # (tests/test_search_view.py holds the two together). Joins cost one index lookup
            # per row read.
            return " ".join(
                [
                    "SELECT e.id, e.kind, e.briefing_id, e.section_id, e.object_id, e.position,",
                    f"{score} * {_prior_sql()} AS score,",
                    (self.coverage_sql(t, len(coverage)) if ranked else "0") + " AS coverage",
                    f"FROM {source}",
                    f"LEFT JOIN {t.briefing} vb ON vb.id = e.briefing_id",
                    f"LEFT JOIN {t.section} vs ON vs.id = e.section_id",
                    f"LEFT JOIN {t.section} vp ON vp.id = vs.parent_id",
                    f"WHERE {condition}",
                    "AND (e.briefing_id IS NULL OR (vb.status = %s",
                    "AND (vb.publish_from IS NULL OR vb.publish_from <= %s)))",
                    "AND (e.section_id IS NULL OR (vs.status = %s",
                    "AND (vs.parent_id IS NULL OR vp.status = %s)))",
                ]
            )

        sql, params = ["WITH"], []

        def read(expression, gate, ranked, filtering):
            """One read of the match; its parameters are added in the order of the SQL."""
            narrow, narrow_params, where, where_params = filtering
            params.extend(
                [
                    *(coverage_params if ranked else []),
                    expression,
                    *narrow_params,
                    *visible_params,
                    *where_params,
                ]
            )
            return f"{scan(gate, ranked, narrow)} AND {where}"

        # One set of rows per distinct combination of filters: the page's (every filter) and,
        # for each facet, every filter but its own. Without filters they are all one. Only the
        # page's set is ranked.
        names: dict[tuple, str] = {}
        sets: dict[str | None, str] = {}
        active = filters.active()
        for skip in (*FACETS, None):
            chosen = {facet: value for facet, value in active.items() if facet != skip}
            key = tuple(chosen.items())
            if key not in names:
                names[key] = name = f"c{len(names)}"
                filtering = self.filtering(t, chosen)
                # Each set is exact when its own matches (under its filters, before the
                # published check) are within the limit: then the whole match is read at
                # once. Beyond it, the rows whose heading or key message holds the words are
                # read first, then the rest, until the limit is reached.
                count_sql, count_params = self.count_sql(t, cap + 1, compiled, filtering)
                sql.append(f"n{name} AS MATERIALIZED ({count_sql}),")
                params += count_params
                small = f"(SELECT n FROM n{name}) <= {cap}"
                large = f"(SELECT n FROM n{name}) > {cap}"
                ranked = key == tuple(active.items())
                # The rest is the whole match again without the strong rows read, rather than
                # "the match but not the strong", whose every word bm25() would weigh twice and
                # FTS5 test twice per row. A read cut at the limit goes in id order, so that the
                # same search always gives the same rows whatever plan the database chooses.
                order = f"ORDER BY {self.read_order}"
                strong_read = read(strong, large, ranked, filtering)
                sql.append(f"s{name} AS MATERIALIZED ({strong_read} {order} LIMIT {cap + 1}),")
                reads = [
                    read(compiled, small, ranked, filtering),
                    f"SELECT * FROM s{name}",
                    f"SELECT * FROM ({read(compiled, large, ranked, filtering)} "
                    f"AND e.id NOT IN (SELECT s.id FROM s{name} s) {order}) w",
                ]
                sql.append(
                    f"{name} AS MATERIALIZED (SELECT * FROM ("
                    + " UNION ALL ".join(reads)
                    + f") s LIMIT {cap + 1}),"
                )
            sets[skip] = names[key]

        sql += [
            f"page AS MATERIALIZED (SELECT * FROM {sets[None]} f",
            "ORDER BY f.coverage DESC, f.score, COALESCE(f.briefing_id, 0), f.position, f.id",
            "LIMIT %s OFFSET %s)",
        ]
        # Never past the limit: the one row read beyond it only tells that there are more.
        params += [max(0, min(limit, cap - offset)), offset]

        branches = [
            "SELECT "
            + _select({"row_type": "'size'", "value": f"'{name}'", "n": "COUNT(*)"})
            + f" FROM {name}"
            for name in names.values()
        ]
        kind_columns = {"row_type": "'kind'", "value": "f.kind", "n": "COUNT(*)"}
        branches.append(f"SELECT {_select(kind_columns)} FROM {sets['kind']} f GROUP BY f.kind")

        # Facets over documents and roles count per document first, so the joins to labels and
        # audiences run once per document rather than once per match.
        def per_document(name):
            return f"(SELECT f.briefing_id, COUNT(*) AS n FROM {name} f GROUP BY f.briefing_id) x"

        document_columns = {
            "row_type": "'document'",
            "value": "b.slug",
            "label": "COALESCE(NULLIF(b.short_title, ''), b.title)",
            "n": "x.n",
        }
        # Only the documents the page lists (most results first, and the chosen one): a large
        # collection can have hundreds.
        branches.append(
            f"SELECT * FROM (SELECT {_select(document_columns)} "
            f"FROM {per_document(sets['document'])} JOIN {t.briefing} b ON b.id = x.briefing_id "
            f"ORDER BY CASE WHEN b.slug = %s THEN 0 ELSE 1 END, x.n DESC, label, b.id "
            f"LIMIT {FACET_OPTIONS + 1}) d"
        )
        params.append(filters.document)
        role_columns = {
            "row_type": "'role'",
            "value": "r.slug",
            "label": "r.name",
            "sort": f"r.{t.order}",
            "n": "SUM(x.n)",
        }
        branches.append(
            f"SELECT {_select(role_columns)} FROM {per_document(sets['role'])} "
            f"JOIN {t.audiences} a ON a.briefing_id = x.briefing_id "
            f"JOIN {t.role} r ON r.id = a.role_id GROUP BY r.slug, r.name, r.{t.order}"
        )
        everyone_columns = {"row_type": "'everyone'", "n": "COUNT(*)"}
        branches.append(
            f"SELECT {_select(everyone_columns)} FROM {sets['role']} f WHERE f.briefing_id IS NULL"
        )
        # A section's quotes carry the section's themes; a match is counted once per theme.
        # Counted by theme id, then labelled: the join to the themes runs once per theme.
        theme_columns = {"row_type": "'theme'", "value": "th.slug", "label": "th.name", "n": "z.n"}
        themed = sets["theme"]
        branches.append(
            f"SELECT {_select(theme_columns)} "
            "FROM (SELECT x.tag_id, SUM(x.n) AS n FROM ("
            f"SELECT ts.tag_id, y.n FROM (SELECT f.section_id, COUNT(*) AS n FROM {themed} f "
            "WHERE f.section_id IS NOT NULL GROUP BY f.section_id) y "
            f"JOIN {t.themed_section} ts ON ts.content_object_id = y.section_id "
            "UNION ALL "
            f"SELECT tk.tag_id, 1 FROM {themed} f JOIN {t.themed_key_message} tk "
            "ON tk.content_object_id = f.object_id WHERE f.kind = 'key-message'"
            f") x GROUP BY x.tag_id) z JOIN {t.theme} th ON th.id = z.tag_id"
        )
        # The roles of the documents on this page, to show beside each hit.
        branches.append(
            "SELECT "
            + _select(
                {
                    "row_type": "'audience'",
                    "id": "a.briefing_id",
                    "value": "r.slug",
                    "label": "r.name",
                    "sort": f"r.{t.order}",
                }
            )
            + f" FROM {t.audiences} a JOIN {t.role} r ON r.id = a.role_id "
            "WHERE a.briefing_id IN (SELECT briefing_id FROM page)"
        )

        hit_columns = {
            "row_type": "'hit'",
            "id": "e.id",
            "kind": "e.kind",
            "title": "e.title",
            "value": "b.slug",
            "label": "COALESCE(NULLIF(b.short_title, ''), b.title)",
            "section_slug": "s.slug",
            "section_heading": "s.heading",
            "parent_heading": "ps.heading",
            "anchor": "e.anchor",
            "listed": "CASE WHEN c.listed AND b.has_reference_list THEN 1 ELSE 0 END",
            "score": "p.score",
            "coverage": "p.coverage",
            "briefing_id": "COALESCE(p.briefing_id, 0)",
            "position": "p.position",
            **self.highlight_columns(),
        }
        branches.append(self.hits_sql(t, _select(hit_columns)))
        params.append(self.compile(query.marking()))

        sql.append(" UNION ALL ".join(branches))
        statement = "\n".join(sql)
        with self.connection.cursor() as cursor:
            cursor.execute(statement, params)
            names = [c[0] for c in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        result = self._result(rows)
        sizes = result.sizes
        result.total = min(sizes[sets[None]], cap)
        result.capped = sizes[sets[None]] > cap
        result.capped_facets = {name for name in FACETS if sizes[sets[name]] > cap}
        return result

    def coverage_sql(self, t: Tables, clauses: int) -> str:
        if not clauses:
            return "0"
        one = f"(CASE WHEN {self.clause_sql(t)} THEN 1 ELSE 0 END)"
        return "(" + " + ".join([one] * clauses) + ")"

    def highlight_columns(self) -> dict[str, str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def hit_joins(self, t: Tables) -> str:
        return (
            f"JOIN {t.entry} e ON e.id = p.id "
            f"LEFT JOIN {t.briefing} b ON b.id = e.briefing_id "
            f"LEFT JOIN {t.section} s ON s.id = e.section_id "
            f"LEFT JOIN {t.section} ps ON ps.id = s.parent_id "
            f"LEFT JOIN {t.citation} c ON e.kind = 'reference' AND c.id = e.object_id"
        )

    @staticmethod
    def _result(rows) -> RawResult:
        facets = {name: [] for name in FACETS}
        hits, audiences, everyone, sizes = [], {}, 0, {}
        for row in rows:
            kind = row["row_type"]
            if kind == "hit":
                hits.append(
                    RawHit(
                        id=row["id"],
                        kind=row["kind"],
                        title=row["title"] or "",
                        title_marked=row["title_marked"] or "",
                        snippet_marked=row["snippet"] or "",
                        document_slug=row["value"],
                        document_label=row["label"],
                        section_slug=row["section_slug"],
                        section_heading=row["section_heading"],
                        parent_heading=row["parent_heading"],
                        anchor=row["anchor"] or "",
                        listed_reference=bool(row["listed"]),
                        score=row["score"],
                        sort_key=(
                            -row["coverage"],
                            row["score"],
                            row["briefing_id"],
                            row["position"],
                            row["id"],
                        ),
                    )
                )
            elif kind == "audience":
                audiences.setdefault(row["id"], []).append(
                    (row["sort"], row["value"], row["label"])
                )
            elif kind == "everyone":
                everyone = row["n"]
            elif kind == "size":
                sizes[row["value"]] = row["n"]
            else:
                facets[kind].append(
                    FacetCount(row["value"] or "", row["label"] or "", row["n"], row["sort"] or 0)
                )
        hits.sort(key=lambda h: h.sort_key)
        by_slug = {}
        for briefing_id, roles in audiences.items():
            by_slug[briefing_id] = [(slug, name) for _, slug, name in sorted(roles)]
        for hit in hits:
            hit.roles = by_slug.get(hit.sort_key[2], [])
        return RawResult(hits=hits, facets=facets, everyone=everyone, sizes=sizes)

    def prelude(self, role_slug: str) -> tuple[dict | None, list[tuple[str, str]]]:
        """The reader's role and the glossary, in one query, before the search proper.

        Only the terms readers may see (GlossaryTerm.objects.public(): a term only a draft
        defines must not be expanded, or named, on the search page)."""
        t = self.tables
        public = GlossaryTerm.objects.using(self.alias).public().order_by()
        terms_sql, terms_params = public.values_list(
            "id", "term", "expansion"
        ).query.sql_with_params()
        sql = (
            f"SELECT 'role', id, slug, name, person FROM {t.role} WHERE slug = %s "
            f"UNION ALL SELECT 'term', id, term, expansion, '' FROM ({terms_sql}) public_terms"
        )
        role, terms = None, []
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [role_slug or "", *terms_params])
            for kind, pk, a, b, c in cursor.fetchall():
                if kind == "role":
                    role = {"id": pk, "slug": a, "name": b, "person": c}
                else:
                    terms.append((a, b))
        return role, terms


# --- compiling the query tree --------------------------------------------------------------------


def each_word_is_safe(words) -> bool:
    """Words reach the engines quoted; they hold letters and digits only (query.WORD_RE)."""
    return all(w and w.replace("_", "").isalnum() for w in words)


def backend_for(alias="default") -> SearchBackend:
    vendor = connections[alias].vendor
    if vendor == "sqlite":
        from .sqlite import SQLiteBackend

        return SQLiteBackend(alias)
    if vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend(alias)
    raise NotImplementedError(f"Search does not support the {vendor} database.")
