"""Ranking is pinned: a word in a heading outranks the same word in a key message, which outranks
it in a body, which outranks it in a reference (the fourth, weakest column), on whichever
database the suite runs on (CI runs both).

The rows are constructed so that only the column differs: four rows of one kind in one document,
each with the same filler in every column and the probe word added to one column, so every row
has the same length and the same words. Nothing but the column weights can tell them apart: with
two weights equal, their rows tie exactly, and a tie falls to the order of the rows in the
document, which is set to be the reverse of the expected ranking. So the test fails if any two
weights are made equal or swapped; the second test proves that of every such change.
"""

import itertools

import pytest

from briefings.search import index
from briefings.search.engines import backend_for, postgres, sqlite
from briefings.search.schema import TEXT_COLUMNS
from briefings.search.sql import Sql
from tests.support.search import make_document, outcome_of, result_keys

pytestmark = pytest.mark.django_db

PROBE = "quillwort"
FILLER = "guidance for practitioners about exploitation"
# The columns a word can be found in, strongest first; the fifth (filter words) is not text.
COLUMNS = ("heading", "summary", "body", "extra")
EXPECTED = ["heading", "summary", "body", "extra"]


@pytest.fixture
def rows_differing_only_in_column():
    """Four section rows of one document; the probe in heading, key message (summary), body and
    reference column (extra) respectively. The weakest comes first in the document, so that a
    tie would rank it first."""
    assert TEXT_COLUMNS[: len(COLUMNS)] == COLUMNS
    keys = [f"probe-{column}" for column in reversed(EXPECTED)]
    briefing = make_document(
        "ranking-weights",
        [(key, f"Probe {order}", "Placeholder text.") for order, key in enumerate(keys)],
    )
    sections = {s.key: s for s in briefing.sections.all()}
    docs = []
    for order, key in enumerate(keys):
        column = key.removeprefix("probe-")
        section = sections[key]
        text = dict.fromkeys(COLUMNS, FILLER)
        text[column] = f"{FILLER} {PROBE}"
        docs.append(
            index.Doc(
                kind="section",
                object_id=section.pk,
                briefing_id=briefing.pk,
                section_id=section.pk,
                position=index.SECTION_POSITION + order,
                title=section.heading,
                facets=index.facet_tokens("section", briefing.pk),
                **text,
            )
        )
    entries = index.entry_model().objects
    index.sync(docs, entries.filter(kind="section", briefing_id=briefing.pk))
    return {f"ranking-weights/{key}": key.removeprefix("probe-") for key in keys}


def ranked_columns(column_of_row):
    """The column of each hit, best first."""
    return [column_of_row[key] for key in result_keys(outcome_of(q=PROBE))]


def test_heading_outranks_key_message_outranks_body_outranks_reference(
    rows_differing_only_in_column,
):
    assert ranked_columns(rows_differing_only_in_column) == EXPECTED


def _weights_with(weights: list[float], pair: tuple[int, int], change: str) -> list[float]:
    changed = list(weights)
    i, j = pair
    if change == "equal":
        changed[i] = changed[j]
    else:
        changed[i], changed[j] = changed[j], changed[i]
    return changed


def patch_weights(monkeypatch, change):
    """The engine's column weights, strongest column first, as `change` makes them."""
    if backend_for().vendor == "sqlite":
        weights = list(sqlite.WEIGHTS)
        changed = change(weights[: len(COLUMNS)]) + weights[len(COLUMNS) :]
        monkeypatch.setattr(
            sqlite, "BM25", Sql(f"bm25({sqlite.FTS}, {', '.join(map(str, changed))})")
        )
        return
    # ts_rank() takes its weights weakest first ({D, C, B, A}).
    weights = [float(w) for w in postgres.WEIGHTS.strip("{}").split(",")][::-1]
    changed = "{" + ", ".join(map(str, change(weights)[::-1])) + "}"
    rank = postgres.RANK.text.replace(postgres.WEIGHTS, changed)
    assert rank != postgres.RANK.text
    monkeypatch.setattr(postgres, "RANK", Sql(rank))


@pytest.mark.parametrize("change", ["equal", "swapped"])
@pytest.mark.parametrize(
    "pair",
    list(itertools.combinations(range(len(COLUMNS)), 2)),
    ids=lambda pair: "-".join(COLUMNS[i] for i in pair),
)
def test_any_two_weights_made_equal_or_swapped_change_the_ranking(
    rows_differing_only_in_column, monkeypatch, pair, change
):
    patch_weights(monkeypatch, lambda weights: _weights_with(weights, pair, change))
    assert ranked_columns(rows_differing_only_in_column) != EXPECTED
