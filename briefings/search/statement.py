"""The one statement a search runs, built in named steps (docs/search.md defines the terms).

A search is ONE SQL statement whatever the filters. For each set of matches (one per distinct
combination of filters: the page's, and each facet's "every filter but my own") it counts the
matches up to the exact limit, reads the strong rows and the rest, and keeps the first exact
limit + 1; then it takes the page from the ranked set, counts every facet from its set, and
returns the page's hits with their highlights. Each step below builds one piece of SQL with its
own parameters (sql.Sql); the engine (engines/) supplies only what differs between databases:
how a match is read and scored, how filters narrow it, and how hits are highlighted.

Scores are arranged so that lower is better on both engines, and ties are broken by document and
reading order, so the same content always comes back in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .query import Query
from .results import FACET_OPTIONS, FACETS, Filters
from .schema import Tables
from .sql import Sql, as_sql, join, sql, value

# A prior per kind of result, multiplied into the score: a reference or glossary entry is short,
# so length normalisation alone would let it outrank the passage that discusses the subject.
KIND_PRIOR = {"section": 1.0, "key-message": 0.9, "quote": 0.8, "glossary": 0.6, "reference": 0.3}
PRIOR = (
    "(CASE e.kind "
    + " ".join(f"WHEN '{kind}' THEN {weight}" for kind, weight in KIND_PRIOR.items())
    + " ELSE 1.0 END)"
)

# Every branch of the statement's final UNION ALL returns these columns; each fills the ones it
# needs and says in row_type which part of the answer a row is (results.read_rows).
COLUMNS = {
    "row_type": "TEXT",
    "value": "TEXT",
    "label": "TEXT",
    "sort": "BIGINT",
    "n": "BIGINT",
    "id": "BIGINT",
    "kind": "TEXT",
    "title": "TEXT",
    "title_marked": "TEXT",
    "snippet": "TEXT",
    "section_slug": "TEXT",
    "section_heading": "TEXT",
    "parent_heading": "TEXT",
    "anchor": "TEXT",
    "listed": "BIGINT",
    "coverage": "BIGINT",
    "band": "BIGINT",
    "score": "REAL",
    "briefing_id": "BIGINT",
    "position": "BIGINT",
}


@lru_cache(maxsize=64)
def columns(**values: str) -> Sql:
    """The branch columns, each given one as SQL text (no parameters) and the rest NULL."""
    unknown = set(values) - set(COLUMNS)
    if unknown:
        raise ValueError(f"unknown columns {unknown}")
    return as_sql(
        ", ".join(
            f"CAST({values.get(name, 'NULL')} AS {kind}) AS {name}"
            for name, kind in COLUMNS.items()
        )
    )


NOTHING = Sql("")
EVERY_ROW = Sql("1 = 1")


@dataclass(frozen=True)
class Filtering:
    """How a read keeps only the rows with a set's filter values: text appended to the match
    expression (an engine whose index holds the filter words), and a condition on row e."""

    match: Sql = NOTHING
    rows: Sql = EVERY_ROW


@dataclass(frozen=True)
class Scan:
    """An engine's read of a match, the rows as e: FROM, the match condition, and the score."""

    source: Sql
    condition: Sql
    score: Sql


@dataclass(frozen=True)
class Visibility:
    """How a read keeps only the rows that may be shown: steps the statement computes once
    (name, SQL), joins after the read's source, and a condition on row e and those joins."""

    steps: tuple[tuple[str, Sql], ...]
    joins: Sql
    condition: Sql


@dataclass(frozen=True)
class MatchSet:
    """The matches under one combination of filters; only the page's set is ranked."""

    filters: tuple[tuple[str, str], ...]
    ranked: bool
    name: str  # the step that holds its rows; the three below its count, strong and first rows
    count_name: str
    strong_name: str
    found_name: str

    @classmethod
    def under(cls, filters: tuple[tuple[str, str], ...], ranked: bool) -> MatchSet:
        name = "matches" + "".join(f"_{facet}" for facet, _ in filters)
        return cls(filters, ranked, name, f"{name}_count", f"{name}_strong", f"{name}_found")


def match_sets(filters: Filters) -> dict[str | None, MatchSet]:
    """The set each part of the answer reads: None the page (every filter), each facet every
    filter but its own. Without filters they are all one set."""
    active = filters.active()
    everything = tuple(active.items())
    sets = {}
    for skip in (*FACETS, None):
        chosen = tuple((name, v) for name, v in active.items() if name != skip)
        sets[skip] = MatchSet.under(chosen, ranked=chosen == everything)
    return sets


class SearchStatement:
    def __init__(
        self, engine, query: Query, filters: Filters, now, coverage=(), cap=200, emphasis=None
    ):
        self.engine = engine
        self.emphasis = emphasis
        self.t: Tables = engine.tables
        self.cap = cap
        self.match = value(engine.compile(query))
        self.strong = value(engine.strong(query))
        loose = engine.loose(query)
        self.loose = value(loose) if loose else None
        self.exclusions = bool(query.must_not)
        self.marking = value(engine.compile(query.marking()))
        self.clauses = [value(engine.compile(Query(must=(clause,)))) for clause in coverage]
        self.visibility = engine.visibility(engine.connection.ops.adapt_datetimefield_value(now))
        self.coverage = self._coverage()
        self.document = filters.document
        self.sets = match_sets(filters)

    def sql(self, offset: int, limit: int) -> Sql:
        steps = list(self.visibility.steps)
        # The page's set first: the others count no further once it is over the limit.
        ordered = dict.fromkeys([self.sets[None], *self.sets.values()])
        steps += [step for s in ordered for step in self.set_steps(s)]
        steps.append(("page", self.page(offset, limit)))
        branches = [
            self.sizes(),
            self.kind_counts(),
            self.document_counts(),
            self.role_counts(),
            self.everyone_count(),
            self.theme_counts(),
            self.audiences(),
            self.hits(),
        ]
        return sql(
            "WITH {steps}\n{branches}",
            steps=join(",\n", [sql(f"{name} AS MATERIALIZED ({{s}})", s=s) for name, s in steps]),
            branches=join("\nUNION ALL\n", branches),
        )

    # --- reading the matches ---------------------------------------------------------------

    def _coverage(self) -> Sql:
        """How many of the coverage clauses row e matches (0 without any)."""
        if not self.clauses:
            return Sql("0")
        ones = [
            sql("(CASE WHEN {c} THEN 1 ELSE 0 END)", c=self.engine.clause(c)) for c in self.clauses
        ]
        return sql("({sum})", sum=join(" + ", ones))

    def read(
        self, s: MatchSet, filtering: Filtering, gate: Sql, strong=False, also="", found=False
    ) -> Sql:
        """The rows matching the words (or the strong rows) under the set's filters that may be
        shown, with their score: read only when the condition `gate` holds. A set that is only
        counted skips the ranking (bm25() reads every row holding each word to weigh it;
        coverage reads each clause's matches). With `found`, the rows are those the set's
        count found (engine.found), which match and pass the filters already."""
        if strong:
            scan = self.engine.strong_scan(
                self.match, self.strong, gate, filtering, self.exclusions
            )
        else:
            scan = self.engine.scan(self.match, gate, filtering)
        if found:
            # Found by the loose query, the rows are checked against the query itself here.
            recheck = sql("{c} AND ", c=self.engine.row_check(self.match)) if self.loose else ""
            scan = Scan(
                source=scan.source,
                condition=sql(
                    "e.id IN (SELECT id FROM {f}) AND {recheck}{gate}",
                    f=s.found_name,
                    recheck=recheck,
                    gate=gate,
                ),
                score=scan.score,
            )
            filtering = Filtering()
        scored = s.ranked and not self.engine.scores_after_cut
        return sql(
            "SELECT e.id, e.kind, e.briefing_id, e.section_id, e.object_id, e.position, "
            "{score} * {prior} AS score, {coverage} AS coverage FROM {source}{joins} "
            "WHERE {condition} AND {visible} AND {rows}{also}",
            score=scan.score if scored else "0",
            prior=PRIOR,
            coverage=self.coverage if scored else "0",
            source=scan.source,
            joins=self.visibility.joins,
            condition=scan.condition,
            visible=self.visibility.condition,
            rows=filtering.rows,
            also=sql(" AND {c}", c=also) if also else "",
        )

    def set_steps(self, s: MatchSet) -> list[tuple[str, Sql]]:
        """The set's count, its strong rows and its rows, each a named step.

        The set is exact when its matches (under its filters, before the published check) are
        within the limit: the whole match is read at once. Beyond it, a cut read: the strong rows
        first, then the rest, until the limit. The rest is the whole match again without the
        strong rows read, rather than "the match but not the strong", whose every word bm25()
        would weigh twice. A cut read goes in the engine's read order, so the same search always
        gives the same rows whatever plan the database chooses. A set that is only counted (a
        facet's) needs no strong tier, and on an engine whose ordered read costs (it reads every
        match to sort them) it is cut in the scan's order: its counts are lower bounds anyway.

        An engine whose count can keep the rows it counts (engine.found) reads an exact set
        from them, rather than finding the match a second time. It may count the rows of a
        looser query (engine.loose), which the index answers alone: when they are within the
        limit, so are the query's, read from them; when they are not, the cut read reads the
        query's own rows, all of them if they are within the limit after all."""
        filtering = self.engine.filtering(self.t, dict(s.filters))
        keep = self.cap + 1
        found = self.engine.found(self.loose or self.match, filtering, keep)
        if found is None:
            counted = [(s.count_name, self.engine.count(self.match, filtering, keep))]
        else:
            counted = [
                (s.found_name, found),
                (s.count_name, Sql(f"SELECT count(*) AS n FROM {s.found_name}")),
            ]
        if s != self.sets[None]:
            # A facet's set drops one of the page's filters, so it holds every match the page's
            # set holds: once that set is over the limit, so is this one, and its count step
            # does not read the match at all (both databases evaluate the ELSE only when taken).
            name, own = counted[-1]
            counted[-1] = (
                name,
                sql(
                    "SELECT CASE WHEN (SELECT n FROM {page}) > {cap} THEN {keep} "
                    "ELSE ({own}) END AS n",
                    page=self.sets[None].count_name,
                    cap=self.cap,
                    keep=keep,
                    own=own,
                ),
            )
        count = f"(SELECT n FROM {s.count_name})"
        small, large = Sql(f"{count} <= {self.cap}"), Sql(f"{count} > {self.cap}")
        order = f" ORDER BY {self.engine.read_order}" if self.engine.read_order else ""
        if s.ranked:
            first = self.read(s, filtering, large, strong=True)
            strong = [(s.strong_name, sql("{r}{o} LIMIT {k}", r=first, o=order, k=keep))]
            tier = f" UNION ALL SELECT * FROM {s.strong_name}"
            also = Sql(f"e.id NOT IN (SELECT s.id FROM {s.strong_name} s)")
        else:
            # A set that is only counted gives lower bounds once over the limit: any of its rows
            # will do, so it is read in one tier, and in the scan's order where that costs less.
            strong, tier, also = [], "", ""
            order = order if self.engine.orders_counted_cuts else ""
        rows = sql(
            "SELECT * FROM ({whole}{strong} "
            "UNION ALL SELECT * FROM ({rest}{order} LIMIT {keep}) w) s LIMIT {keep}",
            whole=self.read(s, filtering, small, found=found is not None),
            strong=tier,
            rest=self.read(s, filtering, large, also=also),
            order=order,
            keep=keep,
        )
        if s.ranked and self.engine.scores_after_cut:
            rows = self.scored(rows)
        return [*counted, *strong, (s.name, rows)]

    def scored(self, rows: Sql) -> Sql:
        """The rows of a set, scored once cut (engines whose score is costly per row, and whose
        database would score every match before cutting them)."""
        source, score = self.engine.score_after_cut(self.match)
        return sql(
            "SELECT c.id, c.kind, c.briefing_id, c.section_id, c.object_id, c.position, "
            "{score} * {prior} AS score, {coverage} AS coverage "
            "FROM ({rows}) c JOIN {source} ON e.id = c.id",
            score=score,
            prior=PRIOR,
            coverage=self.coverage,
            rows=rows,
            source=source,
        )

    def band(self) -> Sql:
        """0 for a row in the emphasised role's guidance (its documents', or for everyone), 1
        for the rest; 0 for every row without a role to emphasise."""
        if self.emphasis is None:
            return Sql("0")
        return sql(
            "CASE WHEN f.briefing_id IS NULL OR f.briefing_id IN "
            "(SELECT a.briefing_id FROM {audiences} a WHERE a.role_id = {role}) "
            "THEN 0 ELSE 1 END",
            audiences=self.t.audiences,
            role=value(self.emphasis),
        )

    def page(self, offset: int, limit: int) -> Sql:
        """The page's rows, best first (the emphasised role's first); never past the limit (the
        row read beyond it only tells that there are more)."""
        return sql(
            "SELECT * FROM (SELECT f.*, {band} AS band FROM {rows} f) f "
            "ORDER BY f.band, f.coverage DESC, f.score, COALESCE(f.briefing_id, 0), "
            "f.position, f.id LIMIT {limit} OFFSET {offset}",
            rows=self.sets[None].name,
            band=self.band(),
            limit=value(max(0, min(limit, self.cap - offset))),
            offset=value(offset),
        )

    # --- the answer's branches -------------------------------------------------------------

    def sizes(self) -> Sql:
        """How many rows each set read (up to the exact limit + 1)."""
        return join(
            " UNION ALL ",
            [
                sql(
                    "SELECT {c} FROM {rows}",
                    c=columns(row_type="'size'", value=f"'{s.name}'", n="COUNT(*)"),
                    rows=s.name,
                )
                for s in dict.fromkeys(self.sets.values())
            ],
        )

    def kind_counts(self) -> Sql:
        return sql(
            "SELECT {c} FROM {rows} f GROUP BY f.kind",
            c=columns(row_type="'kind'", value="f.kind", n="COUNT(*)"),
            rows=self.sets["kind"].name,
        )

    @staticmethod
    def per_document(s: MatchSet) -> str:
        """A set's rows counted per document, so that joins to labels and audiences run once per
        document rather than once per match."""
        return f"(SELECT f.briefing_id, COUNT(*) AS n FROM {s.name} f GROUP BY f.briefing_id) x"

    def document_counts(self) -> Sql:
        """Only the documents the page lists (most results first, and the chosen one): a large
        collection can have hundreds."""
        c = columns(
            row_type="'document'",
            value="b.slug",
            label="COALESCE(NULLIF(b.short_title, ''), b.title)",
            n="x.n",
        )
        return sql(
            "SELECT * FROM (SELECT {c} FROM {counts} {documents} "
            "ORDER BY CASE WHEN b.slug = {chosen} THEN 0 ELSE 1 END, x.n DESC, label, b.id "
            "LIMIT {options}) d",
            c=c,
            counts=self.per_document(self.sets["document"]),
            documents=self.engine.per_row_join(
                self.t.briefing, "b", "b.id, b.slug, b.short_title, b.title", "b.id = x.briefing_id"
            ),
            chosen=value(self.document),
            options=FACET_OPTIONS + 1,
        )

    def role_counts(self) -> Sql:
        t = self.t
        c = columns(
            row_type="'role'", value="r.slug", label="r.name", sort=f"r.{t.order}", n="SUM(x.n)"
        )
        return sql(
            "SELECT {c} FROM {counts} {audiences} "
            "JOIN {role} r ON r.id = a.role_id GROUP BY r.slug, r.name, r.{order}",
            c=c,
            counts=self.per_document(self.sets["role"]),
            audiences=self.engine.per_row_join(
                t.audiences, "a", "a.role_id", "a.briefing_id = x.briefing_id"
            ),
            role=t.role,
            order=t.order,
        )

    def everyone_count(self) -> Sql:
        """Matches with no document (glossary terms): counted under every role."""
        return sql(
            "SELECT {c} FROM {rows} f WHERE f.briefing_id IS NULL",
            c=columns(row_type="'everyone'", n="COUNT(*)"),
            rows=self.sets["role"].name,
        )

    def theme_counts(self) -> Sql:
        """A section's quotes carry the section's themes; a match is counted once per theme.
        Counted by theme id, then labelled: the join to the themes runs once per theme."""
        t = self.t
        return sql(
            "SELECT {c} FROM (SELECT x.tag_id, SUM(x.n) AS n FROM ("
            "SELECT ts.tag_id, y.n FROM (SELECT f.section_id, COUNT(*) AS n FROM {rows} f "
            "WHERE f.section_id IS NOT NULL GROUP BY f.section_id) y {themes} "
            "UNION ALL "
            "SELECT tk.tag_id, 1 FROM {rows} f JOIN {themed_key_message} tk "
            "ON tk.content_object_id = f.object_id WHERE f.kind = 'key-message'"
            ") x GROUP BY x.tag_id) z JOIN {theme} th ON th.id = z.tag_id",
            c=columns(row_type="'theme'", value="th.slug", label="th.name", n="z.n"),
            rows=self.sets["theme"].name,
            themes=self.engine.per_row_join(
                t.themed_section, "ts", "ts.tag_id", "ts.content_object_id = y.section_id"
            ),
            themed_key_message=t.themed_key_message,
            theme=t.theme,
        )

    def audiences(self) -> Sql:
        """The roles of the documents on this page, to show beside each hit."""
        t = self.t
        c = columns(
            row_type="'audience'",
            id="a.briefing_id",
            value="r.slug",
            label="r.name",
            sort=f"r.{t.order}",
        )
        return sql(
            "SELECT {c} FROM {audiences} a JOIN {role} r ON r.id = a.role_id "
            "WHERE a.briefing_id IN (SELECT briefing_id FROM page)",
            c=c,
            audiences=t.audiences,
            role=t.role,
        )

    def hits(self) -> Sql:
        """The page's rows with what a result shows and the engine's highlights.

        The section, its parent and the citation are looked up per hit (ten rows) rather than
        joined: with five joins to order, planning the hits took PostgreSQL 0.3 ms more on
        every search, for nothing, the hits being few and each lookup one index probe."""
        t = self.t
        section = f"(SELECT {{}} FROM {t.section} s WHERE s.id = e.section_id)"
        c = columns(
            row_type="'hit'",
            id="e.id",
            kind="e.kind",
            title="e.title",
            value="b.slug",
            label="COALESCE(NULLIF(b.short_title, ''), b.title)",
            section_slug=section.format("s.slug"),
            section_heading=section.format("s.heading"),
            parent_heading=(
                f"(SELECT ps.heading FROM {t.section} s JOIN {t.section} ps "
                "ON ps.id = s.parent_id WHERE s.id = e.section_id)"
            ),
            anchor="e.anchor",
            listed=(
                f"CASE WHEN e.kind = 'reference' AND b.has_reference_list AND (SELECT c.listed "
                f"FROM {t.citation} c WHERE c.id = e.object_id) THEN 1 ELSE 0 END"
            ),
            score="p.score",
            coverage="p.coverage",
            band="p.band",
            briefing_id="COALESCE(p.briefing_id, 0)",
            position="p.position",
            **self.engine.highlights(),
        )
        joins = Sql(
            f"JOIN {t.entry} e ON e.id = p.id LEFT JOIN {t.briefing} b ON b.id = e.briefing_id"
        )
        return self.engine.hits(c, joins, self.marking)
