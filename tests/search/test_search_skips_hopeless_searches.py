"""When a search finds nothing, the closer searches that follow (the spelling correction, all the
words but one) are not run if a word they need is in no row at all: they would find nothing.

Such searches (a misspelling beside a code, a name or a word the guidance never uses) then cost
fewer statements, and the reader sees exactly what they saw before."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefings.search.engines import backend_for
from briefings.search.query import parse
from tests.support.search import make_document, outcome_of, result_keys

pytestmark = pytest.mark.django_db

MISSING = ("qqzx", False)
MISSING_PREFIX = ("zzyq", True)


def test_the_last_word_is_looked_up_as_a_prefix_and_a_phrase_word_by_word():
    assert parse('"going missing" trust qqzx').lookups() == (
        ("going", False),
        ("missing", False),
        ("trust", False),
        ("qqzx", True),
    )


def test_a_query_finds_nothing_when_a_clause_it_needs_cannot_match():
    query = parse("risk qqzx evidence zzyq")
    both = {MISSING, MISSING_PREFIX}
    assert query.finds_nothing({MISSING})
    # All the words but one: any three of the four, so it needs two of them to be in no row.
    assert not query.all_but_one().finds_nothing({MISSING})
    assert query.all_but_one().finds_nothing(both)
    # Any of the words: it needs every one of them to be in no row.
    assert not query.relaxed().finds_nothing(both)
    assert parse("qqzx zzyq").relaxed().finds_nothing(both)
    assert parse('"going qqzx" risk').finds_nothing({MISSING})
    assert not parse("qqzx OR risk").finds_nothing({MISSING})


def test_the_index_names_the_words_no_row_holds_even_by_their_stems():
    make_document("grazing", [("s1", "Tapirs", "A tapir grazing by the river.")])
    asked = [
        ("tapir", False),
        ("grazes", False),  # not written, but its stem is: it matches
        ("graz", True),  # the beginning of a word in the text
        ("the", False),  # a stop word: PostgreSQL leaves it out of a search, it never stops one
        ("xylophonist", False),
        ("xylophon", True),
    ]
    assert backend_for().unmatched(asked) == {("xylophonist", False), ("xylophon", True)}


def answer(outcome):
    return (
        outcome.total,
        result_keys(outcome),
        outcome.suggestion,
        outcome.typed,
        outcome.relaxed,
        outcome.widened,
    )


def statements_and_answer(q):
    outcome_of(q=q)  # the roles, glossary and themes, read once per content version
    with CaptureQueriesContext(connection) as statements:
        outcome = outcome_of(q=q)
    return len(statements), answer(outcome)


@pytest.mark.parametrize(
    ("q", "spared"),
    [
        # A misspelling (corrected) and a word in no row: neither the corrected search nor all
        # the words but one can find a row; any of the words still can.
        ("risk evidence supporu qqzx", 1),
        # No word in any row: not even any of the words can.
        ("vulnerabilty indicaters xylophonist", 2),
        # Every word in some row, or the only unknown word corrected: nothing to spare.
        ("taxi drivers hotels pregnancy", 0),
        ("groomng signs", 0),
    ],
)
def test_a_hopeless_closer_search_is_not_run_and_the_answer_is_the_same(q, spared, monkeypatch):
    checked, answered = statements_and_answer(q)
    # The same search with an index that never knows a word to be in no row: every closer
    # search runs, as before the check.
    monkeypatch.setattr(type(backend_for()), "unmatched", lambda self, lookups: set())
    unchecked, answered_unchecked = statements_and_answer(q)
    assert answered == answered_unchecked
    assert checked == unchecked - spared
