"""What every search engine provides, and what they share: running the one search statement
(statement.py) and the reader's role and glossary before it.

An engine supplies only what differs between databases: the full-text structures (install,
ensure, refill, missing), how the query tree becomes its match expression, how a match is read,
scored, narrowed by filters and highlighted, and the spelling vocabulary. Engines import this
module and never each other; engines/__init__.py chooses one for a connection.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connections
from django.utils import timezone

from ..query import Query
from ..results import Filters, RawResult, read_rows
from ..schema import MODELS, Tables
from ..sql import Sql, join, sql, value
from ..statement import EVERY_ROW, Filtering, Scan, SearchStatement


def each_word_is_safe(words) -> bool:
    """Words reach the engines quoted; they hold letters and digits only (query.WORD_RE)."""
    return all(w and w.replace("_", "").isalnum() for w in words)


class SearchBackend:
    vendor = ""
    # The order a cut read goes in: the rows' ids.
    read_order = "e.id"

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

    def add_words(self, entries):
        """Count the words of index rows just written into the spelling vocabulary, where the
        database does not do it itself."""

    def word_counts(self, words) -> dict[str, int]:  # pragma: no cover - abstract
        """Those of the words that the index holds, with how many rows hold each."""
        raise NotImplementedError

    def vocabulary(self, windows) -> dict[str, int]:  # pragma: no cover - abstract
        """Index words, with how many rows hold them, by (first letter, min length, max length)."""
        raise NotImplementedError

    # --- the pieces of the search statement --------------------------------------------------

    def compile(self, query: Query) -> str:  # pragma: no cover - abstract
        """The match expression for a query tree (one parameter)."""
        raise NotImplementedError

    def strong(self, query: Query) -> str:  # pragma: no cover - abstract
        """The match expression of the query within the heading and key message alone."""
        raise NotImplementedError

    def count(self, expression: Sql, filtering: Filtering, limit: int) -> Sql:  # pragma: no cover
        """SELECT count(*) AS n of the rows matching the expression under a set's filters,
        published or not, counting no further than `limit`."""
        raise NotImplementedError

    def scan(self, expression: Sql, gate: Sql, filtering: Filtering) -> Scan:  # pragma: no cover
        """The read of the rows matching the expression, narrowed by filtering.match. The read
        takes place only when the condition `gate` holds: when it does not, the engine must not
        read the match at all."""
        raise NotImplementedError

    def clause(self, expression: Sql) -> Sql:  # pragma: no cover - abstract
        """A condition true when row e matches one compiled clause."""
        raise NotImplementedError

    def highlights(self) -> dict[str, str]:  # pragma: no cover - abstract
        """SQL for the hit columns title_marked and snippet, over e and the marking query."""
        raise NotImplementedError

    def hits(self, columns: Sql, joins: Sql, marking: Sql) -> Sql:  # pragma: no cover
        """SELECT the columns FROM page p and the joins, with what highlights() needs."""
        raise NotImplementedError

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
    ) -> RawResult:
        """One page of results, with facet counts.

        With `coverage` (the clauses of a query relaxed to "any of the words"), rows that match
        more of the clauses come first, then the best scores.

        The work is bounded: when more than the exact limit of rows match under a set's filters,
        only the first exact limit + 1 that may be shown are read, the strong rows first, and
        the page, the total or the facet counts are taken from them (RawResult.capped says so).
        """
        cap = self.exact_limit
        statement = SearchStatement(self, query, filters, now or timezone.now(), coverage, cap)
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

    def prelude(self, role_slug: str) -> tuple[dict | None, list[tuple[str, str]]]:
        """The reader's role and the glossary, in one query, before the search proper."""
        t = self.tables
        role, terms = None, []
        for kind, pk, a, b, c in self.fetch_rows(
            sql(
                "SELECT 'role', id, slug, name, person FROM {role} WHERE slug = {slug} "
                "UNION ALL SELECT 'term', id, term, expansion, '' FROM {glossary}",
                role=t.role,
                slug=value(role_slug or ""),
                glossary=t.glossary,
            )
        ):
            if kind == "role":
                role = {"id": pk, "slug": a, "name": b, "person": c}
            else:
                terms.append((a, b))
        return role, terms

    def fetch_rows(self, statement: Sql) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(statement.text, statement.params)
            return cursor.fetchall()


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
