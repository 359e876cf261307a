"""What every search engine provides, and what they share: running the one search statement
(statement.py) and the reader's role and glossary before it.

An engine supplies only what differs between databases: the full-text structures (install,
ensure, refill, missing), how the query tree becomes its match expression, how a match is read,
scored, narrowed by filters and highlighted, and the spelling vocabulary. Engines import this
module and never each other; engines/__init__.py chooses one for a connection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.db import connections
from django.db.models import Exists, OuterRef
from django.utils import timezone

from briefings.models import GlossaryTerm, SearchEntry, Status, Theme, ThemedSection
from briefings.models.documents import published_section
from portal.caching import content_memo

from ..query import Query
from ..results import Filters, RawResult, read_rows
from ..schema import (
    FACET_DOCUMENT,
    FACET_EVERY_ROLE,
    FACET_ROLE,
    FACET_THEME,
    MODELS,
    Tables,
    kind_word,
)
from ..sql import Sql, join, sql, value
from ..statement import EVERY_ROW, Filtering, Scan, SearchStatement, Visibility


def each_word_is_safe(words) -> bool:
    """Words reach the engines quoted; they hold letters and digits only (query.WORD_RE)."""
    return all(w and w.replace("_", "").isalnum() for w in words)


# The moment the prelude's compiled SQL is built with (_compile_shown), then replaced with the
# search's own. No content is published at this exact microsecond.
_PLACEHOLDER = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
_MOMENT = object()
_SHOWN: dict[tuple[str, str], tuple[str, tuple]] = {}


@dataclass
class Prelude:
    """What a search reads before the search proper (SearchBackend.prelude)."""

    roles: dict[str, dict] = field(default_factory=dict)  # by slug
    terms: list[tuple[str, str]] = field(default_factory=list)  # (term, expansion)
    themes: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)


class SearchBackend:
    vendor = ""
    # The order a cut read goes in (an ORDER BY), or None for the order the engine's scan of
    # the match gives.
    read_order: str | None = "e.id"
    # Whether a set that is only counted (a facet's), when over the limit, is read in the read
    # order too, or in whatever order the scan gives (an engine whose ordered read costs).
    orders_counted_cuts = True
    # Whether the page's set is scored once it is cut (score_after_cut), rather than as read.
    scores_after_cut = False

    def __init__(self, alias="default"):
        self.alias = alias
        self.connection = connections[alias]
        self.tables = Tables(self.connection)

    # --- the full-text structures ------------------------------------------------------------

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

    def missing(self) -> list[str]:  # pragma: no cover - abstract
        """Names of full-text structures that should exist and do not."""
        raise NotImplementedError

    def execute(self, statement):
        with self.connection.cursor() as cursor:
            cursor.execute(statement)

    # --- the spelling vocabulary -------------------------------------------------------------

    def words_changed(self, removed, added):
        """Keep the vocabulary in step with rows just written, where the database does not do
        it itself: `removed` holds the texts (TEXT_COLUMNS) of rows deleted or as they were
        before a change, `added` those of rows inserted or as they are after one."""

    def rows_deleted(self):
        """After index rows were deleted: take their words out of the vocabulary, where the
        database does not do it itself."""

    def bulk_write(self, on: bool):
        """Around a bulk write that ends with refill(): whether the database may leave the
        vocabulary alone until then."""

    def word_counts(self, words) -> dict[str, int]:  # pragma: no cover - abstract
        """Those of the words that the index holds, with how many rows hold each."""
        raise NotImplementedError

    def unmatched(self, lookups) -> set[tuple[str, bool]]:
        """Those of the (word, prefix) look-ups (Query.lookups) that no indexed row answers,
        read as the search reads them (stems included): a search that needs one finds nothing.
        None known here."""
        return set()

    def vocabulary(self, windows) -> dict[str, int]:  # pragma: no cover - abstract
        """Index words, with how many rows hold them, by (first letter, min length, max length)."""
        raise NotImplementedError

    def same_to_the_index(self, corrections: dict[str, str]) -> set[str]:
        """The typed words whose correction the index reads as the very same word (one stem):
        a search with them respelt would find exactly what it found. None known here."""
        return set()

    # --- the pieces of the search statement --------------------------------------------------

    def compile(self, query: Query) -> str:  # pragma: no cover - abstract
        """The match expression for a query tree (one parameter)."""
        raise NotImplementedError

    def strong(self, query: Query) -> str:  # pragma: no cover - abstract
        """The match expression of the query within the heading and key message alone."""
        raise NotImplementedError

    def count(self, expression: Sql, filtering: Filtering, limit: int) -> Sql:  # pragma: no cover
        """SELECT count(*) AS n of the rows matching the expression under a set's filters,
        published or not, counting no further than `limit`. Only for an engine whose found()
        is None: the statement counts the rows found() keeps otherwise."""
        raise NotImplementedError

    def loose(self, query: Query) -> str | None:
        """The compiled query the index answers without rechecking rows, finding every row
        the query finds and perhaps more, for found(); None to use the query itself."""
        return None

    def found(self, expression: Sql, filtering: Filtering, limit: int) -> Sql | None:
        """SELECT e.id of the rows count() counts, or None. An engine that can score a row
        without finding it again (scores_after_cut) keeps them: a set within the limit is then
        read from them, rather than finding the match twice."""
        return None

    def scan(self, expression: Sql, gate: Sql, filtering: Filtering) -> Scan:  # pragma: no cover
        """The read of the rows matching the expression, narrowed by filtering.match. The read
        takes place only when the condition `gate` holds: when it does not, the engine must not
        read the match at all."""
        raise NotImplementedError

    def clause(self, expression: Sql) -> Sql:  # pragma: no cover - abstract
        """A condition true when row e matches one compiled clause."""
        raise NotImplementedError

    def row_check(self, expression: Sql) -> Sql:
        """clause(), checked on each of the rows already found rather than through the index."""
        return self.clause(expression)

    def per_row_join(self, table: str, alias: str, columns: str, condition: str) -> Sql:
        """Join `table` as `alias` on `condition` for the columns a facet count needs, to each
        of a few hundred rows counted (a set's sections, its documents). By default a plain
        join, which SQLite answers with one index lookup per row."""
        return Sql(f"JOIN {table} {alias} ON {condition}")

    def highlights(self) -> dict[str, str]:  # pragma: no cover - abstract
        """SQL for the hit columns title_marked and snippet, over e and the marking query."""
        raise NotImplementedError

    def hits(self, columns: Sql, joins: Sql, marking: Sql) -> Sql:  # pragma: no cover
        """SELECT the columns FROM page p and the joins, with what highlights() needs."""
        raise NotImplementedError

    def score_after_cut(self, expression: Sql) -> tuple[Sql, Sql]:  # pragma: no cover
        """For scores_after_cut: the index rows as e (and what the score needs), to join to the
        set's rows by id; and the score."""
        raise NotImplementedError

    def strong_scan(
        self, expression: Sql, strong: Sql, gate: Sql, filtering: Filtering, exclusions=False
    ) -> Scan:
        """The read of the strong rows (the query has `exclusions` or not): by default the scan
        of the strong expression."""
        return self.scan(strong, gate, filtering)

    def visibility(self, now) -> Visibility:
        """Row e may be shown, judged from the live rows exactly as BriefingQuerySet.published()
        and SectionQuerySet.published() judge (tests/search/test_search_view.py holds the two
        together). By default joins to the document, the section and its parent: one index
        lookup each per row read."""
        t = self.tables
        published = value(str(Status.PUBLISHED))
        return Visibility(
            steps=(),
            joins=Sql(
                f" LEFT JOIN {t.briefing} vb ON vb.id = e.briefing_id"
                f" LEFT JOIN {t.section} vs ON vs.id = e.section_id"
                f" LEFT JOIN {t.section} vp ON vp.id = vs.parent_id"
            ),
            condition=sql(
                "(e.briefing_id IS NULL OR (vb.status = {published} "
                "AND (vb.publish_from IS NULL OR vb.publish_from <= {now}))) "
                "AND (e.section_id IS NULL OR (vs.status = {published} "
                "AND (vs.parent_id IS NULL OR vp.status = {published})))",
                published=published,
                now=value(now),
            ),
        )

    def filtering(self, t: Tables, active: dict[str, str]) -> Filtering:
        """The filters as a condition on row e. An engine whose full-text index holds the filter
        values as words (SearchEntry.facets) has the index intersect them instead."""
        return Filtering(rows=filter_condition(t, active))

    # --- running a search --------------------------------------------------------------------

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
        emphasis: int | None = None,
    ) -> RawResult:
        """One page of results, with facet counts.

        With `coverage` (the clauses of a query relaxed to "any of the words"), rows that match
        more of the clauses come first, then the best scores. With `emphasis` (a role's id), the
        rows of that role's documents and those for everyone (glossary terms) come before the
        rest, each part ranked as usual.

        The work is bounded: when more than the exact limit of rows match under a set's filters,
        only the first exact limit + 1 that may be shown are read, the strong rows first, and
        the page, the total or the facet counts are taken from them (RawResult.capped says so).
        """
        cap = self.exact_limit
        statement = SearchStatement(
            self, query, filters, now or timezone.now(), coverage, cap, emphasis
        )
        result = read_rows(self.fetch(statement.sql(offset, limit)))
        read = {skip: result.sizes[s.name] for skip, s in statement.sets.items()}
        result.total = min(read[None], cap)
        result.capped = read[None] > cap
        result.capped_facets = {name for name, n in read.items() if name and n > cap}
        return result

    def fetch(self, statement: Sql) -> list[dict]:
        with self.connection.cursor() as cursor:
            cursor.execute(statement.text, statement.params)
            names = [c[0] for c in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def prelude(self, *role_slugs: str, now=None) -> Prelude:
        """The roles named (the reader's, the one filtered by), the glossary and the themes, in
        one query, before the search.

        Only what readers may see: the public glossary terms (GlossaryTerm.objects.public(): a
        term only a draft defines must not be expanded, or named, on the search page) and the
        themes that published sections carry.

        At the present moment (no ``now``: every page) it is read once per content version in
        each process, with every role, and shared by the searches that follow (treat it as
        read-only). What it holds changes only when content does, or at a scheduled
        publication, and each of those starts a new content version (portal/caching.py). On
        PostgreSQL it was a round trip of 2 to 3 ms on each search."""
        if now is None:
            database = self.connection.settings_dict["NAME"]
            return content_memo(
                f"search-prelude:{self.connection.vendor}:{database}",
                lambda: self._read_prelude(None, timezone.now()),
            )
        return self._read_prelude(role_slugs, now)

    def _read_prelude(self, role_slugs: tuple[str, ...] | None, now) -> Prelude:
        """The prelude read from the database: the roles named, or every role (None)."""
        if role_slugs is None:
            roles = sql("SELECT 'role', id, slug, name, person FROM {role}", role=self.tables.role)
        else:
            roles = sql(
                "SELECT 'role', id, slug, name, person FROM {role} WHERE slug IN ({slugs})",
                role=self.tables.role,
                slugs=join(", ", [value(slug) for slug in (*role_slugs, "")]),
            )
        found = Prelude()
        for kind, pk, a, b, c in self.fetch_rows(
            sql("{roles} UNION ALL {shown}", roles=roles, shown=self._shown(now))
        ):
            if kind == "role":
                found.roles[a] = {"id": pk, "slug": a, "name": b, "person": c}
            elif kind == "term":
                found.terms.append((a, b))
            else:
                found.themes.append((a, b))
        return found

    def _shown(self, now) -> Sql:
        """The prelude's glossary terms and themes at the moment `now`. Their SQL is compiled
        from the QuerySets once per database: building them cost more than running them (about
        4 ms of Python on each search); the moment is the only value that changes."""
        key = (self.alias, self.connection.vendor)
        if key not in _SHOWN:
            _SHOWN[key] = self._compile_shown()
        text, params = _SHOWN[key]
        moment = self.connection.ops.adapt_datetimefield_value(now)
        return Sql(text, tuple(moment if p is _MOMENT else p for p in params))

    def _compile_shown(self) -> tuple[str, tuple]:
        """_shown()'s SQL, with _MOMENT where the moment goes."""
        public = GlossaryTerm.objects.using(self.alias).public(_PLACEHOLDER).order_by()
        shown = Sql(*public.values_list("id", "term", "expansion").query.sql_with_params())
        # One EXISTS per theme, which checks the section each of its links names and stops at
        # the first published one. A join, or a test against the list of published sections,
        # reads every published section: 43 ms (join) on PostgreSQL and 10 ms (either) on
        # SQLite at corpus scale 100.
        carrying = ThemedSection.objects.using(self.alias).filter(
            published_section(_PLACEHOLDER, through="content_object__"), tag=OuterRef("pk")
        )
        themes = (
            Theme.objects.using(self.alias)
            .filter(Exists(carrying))
            .order_by()
            .values_list("id", "slug", "name")
        )
        whole = sql(
            "SELECT 'term', id, term, expansion, '' FROM ({terms}) public_terms "
            "UNION ALL SELECT 'theme', id, slug, name, '' FROM ({themes}) carried_themes",
            terms=shown,
            themes=Sql(*themes.query.sql_with_params()),
        )
        placeholder = self.connection.ops.adapt_datetimefield_value(_PLACEHOLDER)
        params = tuple(_MOMENT if p == placeholder else p for p in whole.params)
        if _MOMENT not in params:
            raise RuntimeError("The prelude's SQL does not hold the moment it is read at.")
        return whole.text, params

    def fetch_rows(self, statement: Sql) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(statement.text, statement.params)
            return cursor.fetchall()


def filter_words(t: Tables, active: dict[str, str]) -> list[list[Sql]]:
    """The filters as filter words (SearchEntry.facets): for each filter, the words of which a
    row must hold one, each an SQL expression giving the word. A value becomes a word from the
    row it names, in SQL; an unknown value gives id 0 (or kind 0), which no row holds."""

    def word_of(prefix: str, table: str, slug: str) -> Sql:
        return sql(
            "'{prefix}' || COALESCE((SELECT x.id FROM {table} x WHERE x.slug = {slug}), 0)",
            prefix=prefix,
            table=table,
            slug=value(slug),
        )

    words = []
    for name, chosen in active.items():
        if name == "kind":
            known = chosen in SearchEntry.Kind.values
            words.append([Sql(f"'{kind_word(chosen if known else '0')}'")])
        elif name == "document":
            words.append([word_of(FACET_DOCUMENT, t.briefing, chosen)])
        elif name == "role":
            # Glossary terms belong to no document, so they are for every role.
            words.append([word_of(FACET_ROLE, t.role, chosen), Sql(f"'{FACET_EVERY_ROLE}'")])
        elif name == "theme":
            words.append([word_of(FACET_THEME, t.theme, chosen)])
        else:
            raise ValueError(name)
    return words


# Each filter as a condition on row e, checked on the content tables; {v} is the chosen value.
FILTER_CONDITIONS = {
    "kind": "e.kind = {v}",
    "document": "e.briefing_id IN (SELECT b.id FROM {briefing} b WHERE b.slug = {v})",
    # Glossary terms belong to no document, so they are for every role.
    "role": (
        "(e.briefing_id IS NULL OR e.briefing_id IN (SELECT a.briefing_id FROM {audiences} a "
        "JOIN {role} r ON r.id = a.role_id WHERE r.slug = {v}))"
    ),
    "theme": (
        "(e.section_id IN (SELECT ts.content_object_id FROM {themed_section} ts "
        "JOIN {theme} th ON th.id = ts.tag_id WHERE th.slug = {v}) "
        "OR (e.kind = 'key-message' AND e.object_id IN ("
        "SELECT tk.content_object_id FROM {themed_key_message} tk "
        "JOIN {theme} th ON th.id = tk.tag_id WHERE th.slug = {v})))"
    ),
}


def filter_condition(t: Tables, active: dict[str, str]) -> Sql:
    """A condition on row e that these filters hold, checked on the content tables."""
    conditions = [EVERY_ROW]
    for name, chosen in active.items():
        if name not in FILTER_CONDITIONS:
            raise ValueError(name)
        tables = {table: getattr(t, table) for table in MODELS}
        conditions.append(sql(FILTER_CONDITIONS[name], v=value(chosen), **tables))
    return join(" AND ", conditions)
