"""On PostgreSQL a set within the exact limit is read from the rows its count found: the match
(the index scan and its recheck, a search's costliest step) is evaluated once, not twice."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefings.search.engines import backend_for
from briefings.search.query import parse
from briefings.search.results import Filters

pytestmark = pytest.mark.django_db


def match_evaluations(statement):
    """The plan nodes that ran the full-text match on the index table, from EXPLAIN ANALYZE."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement)
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    found = []

    def walk(node):
        conditions = " ".join(
            str(node.get(key, "")) for key in ("Filter", "Index Cond", "Recheck Cond")
        )
        if "search_vector @@" in conditions and node.get("Actual Loops", 0) > 0:
            found.append(node["Node Type"])
        for child in node.get("Plans", ()):
            walk(child)

    walk(plan[0]["Plan"])
    return found


def test_a_set_within_the_limit_evaluates_its_match_once():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL plan (SQLite's FTS5 scores rows as it finds them)")
    backend = backend_for()
    with CaptureQueriesContext(connection) as captured:
        raw = backend.search(parse("grooming"), Filters(), 0, 10)
    assert 0 < raw.total <= backend.exact_limit and not raw.capped
    (statement,) = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("WITH")]
    assert len(match_evaluations(statement)) == 1, match_evaluations(statement)
