"""On PostgreSQL a set within the exact limit is read from the rows its count found: the match
(the index scan and its recheck, a search's costliest step) is evaluated once, not twice. The
count may find the rows of a looser query (a phrase's words anywhere, no exclusions), which
the index answers alone; the query itself is then checked on those rows."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefings.search.engines import backend_for
from briefings.search.query import parse
from briefings.search.results import Filters
from tests.support.search import make_document, outcome_of

pytestmark = pytest.mark.django_db


def nodes(statement):
    """Each node of the statement's plan as it ran (EXPLAIN ANALYZE), with the names of the
    steps (CTEs) it is part of."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement)
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    pending = [(plan[0]["Plan"], ())]
    while pending:
        node, steps = pending.pop()
        name = node.get("Subplan Name", "")
        if name.startswith("CTE "):
            steps = (*steps, name[4:])
        yield node, steps
        pending += [(child, steps) for child in node.get("Plans", ())]


def ran(node):
    return node.get("Actual Loops", 0) > 0


def match_evaluations(statement, condition="search_vector @@"):
    """The plan nodes that ran the full-text match on the index table. A bitmap scan's match
    is its index node's condition (its heap node only rechecks)."""
    return [
        node["Node Type"]
        for node, _ in nodes(statement)
        if ran(node)
        and condition in " ".join(str(node.get(key, "")) for key in ("Filter", "Index Cond"))
    ]


def phrase_checks(statement):
    """Each plan node that checked the phrase (ts_match_vq), with the index condition that
    found its rows: its own, or for a bitmap scan its index node's."""
    found = []
    for node, _ in nodes(statement):
        if ran(node) and "ts_match_vq" in str(node.get("Filter", "")):
            lookup = node.get("Index Cond", "")
            if node["Node Type"] == "Bitmap Heap Scan":
                (index,) = [c for c in node["Plans"] if c["Node Type"] == "Bitmap Index Scan"]
                lookup = index.get("Index Cond", "")
            found.append(lookup)
    return found


def steps_run(statement):
    """The statement's named steps (CTEs) that ran."""
    return {steps[-1] for node, steps in nodes(statement) if steps and ran(node)}


def rows_scanned(statement, step):
    """The most rows any scan of the index table returned inside the named step."""
    rows = [
        node.get("Actual Rows", 0)
        for node, steps in nodes(statement)
        if step in steps and node.get("Relation Name") == "briefings_searchentry"
    ]
    return max(rows, default=0)


def searched(text, filters=None):
    """The engine's result for the words, and its one search statement."""
    with CaptureQueriesContext(connection) as captured:
        raw = backend_for().search(parse(text), filters or Filters(), 0, 10)
    (statement,) = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("WITH")]
    return raw, statement


def statement_of(text):
    raw, statement = searched(text)
    assert 0 < raw.total <= backend_for().exact_limit
    assert not raw.capped
    return statement


def test_a_set_within_the_limit_evaluates_its_match_once():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL plan (SQLite's FTS5 scores rows as it finds them)")
    statement = statement_of("grooming")
    assert len(match_evaluations(statement)) == 1, match_evaluations(statement)
    assert match_evaluations(statement, "ts_match_vq") == []


def test_a_phrase_within_the_limit_is_found_by_its_words_then_checked_on_those_rows():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL plan (SQLite's FTS5 checks phrases in its index)")
    statement = statement_of('"professional curiosity"')
    # The index finds the rows holding both words, once; the phrase is then checked row by row
    # on those (ts_match_vq, which no index answers), never by matching the table again.
    assert len(match_evaluations(statement)) == 1, match_evaluations(statement)
    assert "professional'' & ''curiosity" in statement  # the loose query, for the index
    # Once, on the rows found, each looked up by its id. Whether through an index scan or a
    # bitmap scan of one id is a tie in the planner's costs (8.29 each on the test collection),
    # broken by the table's dead rows, so the plan's node type is not what is proved here.
    (lookup,) = phrase_checks(statement)
    assert re.fullmatch(r"\(id = matches_found(_\d+)?\.id\)", lookup), lookup


@pytest.mark.parametrize("limit", [200, 2])
def test_a_phrase_and_an_exclusion_hold_on_the_rows_the_loose_count_found(settings, limit):
    # Every section holds both words; only one holds them as the phrase and not "pregnancy".
    make_document(
        "quokka-health",
        [
            ("a", "Quokka clinics", "Quokka sexual health clinics open late."),
            ("b", "Quokka health", "Health advice for quokkas, and sexual consent."),
            ("c", "Quokka pregnancy", "Quokka sexual health and pregnancy advice."),
            ("d", "Quokka order", "The health of quokkas: sexual behaviour."),
        ],
    )
    # At 2 the loose count (four rows) is beyond the limit and the query's own rows are read.
    settings.SEARCH_EXACT_LIMIT = limit
    found = outcome_of(q='quokka "sexual health" -pregnancy')
    assert [hit.url for hit in found.hits] == ["/documents/quokka-health/quokka-clinics/"]
    assert found.total == 1
    assert not found.capped


def test_a_facets_set_is_not_counted_once_the_pages_set_is_over_the_limit(settings):
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL plan (SQLite's count step cannot be watched)")
    # The role facet's set (no filter) holds every match of the page's (role=police).
    settings.SEARCH_EXACT_LIMIT = 3
    raw, statement = searched("CSE", Filters(role="police"))
    assert raw.capped
    assert "role" in raw.capped_facets
    steps = steps_run(statement)
    assert "matches_role_found" in steps  # the page's own count
    assert "matches_found" not in steps  # the facet's: over the limit already
    settings.SEARCH_EXACT_LIMIT = 200
    raw, statement = searched("CSE", Filters(role="police"))
    assert not raw.capped
    assert {"matches_role_found", "matches_found"} <= steps_run(statement)


def test_a_facets_set_over_the_limit_reads_no_more_rows_than_it_keeps(settings):
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL plan (SQLite's index gives its rows in id order already)")
    # Its counts are lower bounds: the scan stops at the limit + 1 rows, where an ordered
    # read would fetch every match to sort them, and it has no strong tier.
    settings.SEARCH_EXACT_LIMIT = 3
    raw, statement = searched("CSE", Filters(role="police"))
    assert raw.capped
    assert "role" in raw.capped_facets
    assert "matches_strong AS" not in statement
    assert "matches_role_strong AS" in statement  # the page's set: strong rows first
    assert 0 < rows_scanned(statement, "matches") <= 4
