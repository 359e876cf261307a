"""A search's work is bounded: exact up to SEARCH_EXACT_LIMIT matches, then "more than"."""

from collections import Counter

import pytest
from django.db.models import Q

from briefings.models import SearchEntry, Status
from briefings.search.engines import backend_for
from briefings.search.query import STOP_WORDS, parse, vocabulary_words
from briefings.search.results import Filters
from tests.support.search import make_document, outcome_of, run_search

pytestmark = pytest.mark.django_db

BROAD = "young"


def ids(raw):
    return [hit.id for hit in raw.hits]


def commonest_words(count):
    """The words held by the most rows of the real collection (stop words are never searched)."""
    rows = Counter(
        word
        for entry in SearchEntry.objects.all()
        for word in vocabulary_words(entry.heading, entry.summary, entry.body, entry.extra)
        if word not in STOP_WORDS and not word.isdigit()
    )
    return [word for word, _ in rows.most_common(count)]


def test_every_one_word_search_of_the_real_collection_is_exact_at_the_default_limit():
    # The broadest words, each also a prefix (the last word always is) and stemmed: if the
    # limit were set below what they match, readers of the real collection would see
    # "more than" for a plain word.
    outcomes = {word: outcome_of(q=word) for word in commonest_words(15)}
    assert {word for word, found in outcomes.items() if found.capped} == set()
    assert max(found.total for found in outcomes.values()) > 100


def test_up_to_the_limit_the_ranking_and_counts_are_exact(settings):
    exact = outcome_of(q=BROAD)
    assert not exact.capped
    settings.SEARCH_EXACT_LIMIT = exact.total
    at_limit = outcome_of(q=BROAD)
    assert not at_limit.capped
    assert at_limit.total == exact.total
    assert [h.url for h in at_limit.hits] == [h.url for h in exact.hits]
    assert [(f.name, [(o.value, o.count) for o in f.options]) for f in at_limit.facets] == [
        (f.name, [(o.value, o.count) for o in f.options]) for f in exact.facets
    ]


def test_beyond_the_limit_the_count_says_more_than_and_the_page_says_why(client, settings):
    assert outcome_of(q=BROAD).total > 10
    settings.SEARCH_EXACT_LIMIT = 10
    outcome = outcome_of(q=BROAD)
    assert outcome.capped
    assert outcome.total == 10
    assert outcome.results_phrase == "more than 10 results"
    assert outcome.page_count == 1
    assert all(facet.capped for facet in outcome.facets)
    html = run_search(q=BROAD).content.decode()
    assert "More than 10 results" in html
    assert "of more than 10 results" in html
    assert "only the first 10 found are ranked and counted" in html
    assert '<span class="visually-hidden">at least </span>' in html


def test_beyond_the_limit_matches_in_a_heading_or_key_message_come_first(settings):
    strong = SearchEntry.objects.filter(Q(heading__icontains=BROAD) | Q(summary__icontains=BROAD))
    assert strong.count() > 10
    settings.SEARCH_EXACT_LIMIT = 10
    raw = backend_for().search(parse(BROAD + " "), Filters(), 0, 100)
    assert raw.capped
    assert len(raw.hits) == 10
    assert set(ids(raw)) <= set(strong.values_list("id", flat=True))


def test_the_row_read_beyond_the_limit_is_never_shown(settings):
    settings.SEARCH_EXACT_LIMIT = 10
    raw = backend_for().search(parse(BROAD + " "), Filters(), 10, 10)
    assert raw.capped
    assert raw.hits == []


def test_a_filter_narrower_than_the_limit_still_finds_every_filtered_match(settings):
    themes = next(f for f in outcome_of(q=BROAD).facets if f.name == "theme").options
    theme = next(o for o in reversed(themes) if 1 <= o.count < 10)
    exact = backend_for().search(parse(BROAD), Filters(theme=theme.value), 0, 100)
    settings.SEARCH_EXACT_LIMIT = 10
    limited = backend_for().search(parse(BROAD), Filters(theme=theme.value), 0, 100)
    assert not limited.capped
    assert limited.total == exact.total == theme.count
    # Read whole, as without a limit: ranked the same.
    assert ids(limited) == ids(exact)


@pytest.mark.parametrize("limit", [None, "between"])
def test_two_filters_give_what_the_one_filter_search_counts_for_the_other(settings, limit):
    theme = next(f for f in outcome_of(q=BROAD).facets if f.name == "theme").options[0].value
    themed = outcome_of(q=BROAD, theme=theme)
    kinds = next(f for f in themed.facets if f.name == "kind").options
    kind = min(kinds, key=lambda o: o.count)
    both = outcome_of(q=BROAD, theme=theme, kind=kind.value)
    assert both.total == kind.count
    if limit == "between":
        # The one-filter set is cut at the limit, the two-filter one is not: the page's set
        # must then be read afresh rather than taken from the one-filter set.
        settings.SEARCH_EXACT_LIMIT = max(10, both.total)
        assert outcome_of(q=BROAD, theme=theme).capped
    again = outcome_of(q=BROAD, theme=theme, kind=kind.value)
    assert not again.capped
    assert again.total == both.total
    assert [h.url for h in again.hits] == [h.url for h in both.hits]


def test_a_chosen_option_counts_the_pages_results_exactly_when_only_its_facet_is_capped(
    settings, client
):
    # The kind facet is counted from every kind's matches (over the limit, so lower bounds);
    # the quotes alone are within it, so the chosen kind's count is the page's own total.
    settings.SEARCH_EXACT_LIMIT = 10
    response = client.get("/search/", {"q": BROAD, "kind": "quote"})
    outcome = response.context["outcome"]
    assert not outcome.capped
    assert 0 < outcome.total <= 10
    kind = next(f for f in outcome.facets if f.name == "kind")
    assert kind.capped
    chosen = next(o for o in kind.options if o.selected)
    assert (chosen.count, chosen.exact) == (outcome.total, True)
    assert not any(o.exact for o in kind.options if not o.selected)
    html = response.content.decode()
    assert f'Young people’s words <span class="count">({outcome.total}<span' in html
    assert '<span class="visually-hidden">at least </span>' in html  # the other kinds


def test_a_capped_facets_counts_are_lower_bounds_of_the_exact_ones(settings):
    # With police guidance chosen, the "Guidance for" facet counts every profession's matches,
    # and at a limit of 10 the page's and that set are both over it.
    settings.SEARCH_EXACT_LIMIT = 10
    limited = outcome_of(q=BROAD, audience="police")
    assert limited.capped
    counted = [(f.name, o) for f in limited.facets if f.capped for o in f.options]
    assert {name for name, _ in counted} == {"kind", "role", "document", "theme"}
    settings.SEARCH_EXACT_LIMIT = 200
    for name, option in counted:
        # What choosing the option finds, every other filter kept.
        chosen = {"audience": "police", {"role": "audience"}.get(name, name): option.value}
        exact = outcome_of(q=BROAD, **chosen)
        assert not exact.capped
        assert 0 < option.count <= exact.total, (name, option)


@pytest.mark.parametrize("facet", ["role", "document", "theme"])
def test_a_chosen_option_counts_as_more_than_the_limit_when_the_page_is_over_it_too(
    settings, client, facet
):
    # The chosen value with the most matches for the word, named as the filters name it.
    exact = next(f for f in outcome_of(q=BROAD).facets if f.name == facet)
    top = max(exact.options, key=lambda o: o.count)
    assert top.count > 10
    settings.SEARCH_EXACT_LIMIT = 10
    parameter = {"role": "audience"}.get(facet, facet)
    response = client.get("/search/", {"q": BROAD, parameter: top.value})
    outcome = response.context["outcome"]
    assert outcome.capped
    shown = next(f for f in outcome.facets if f.name == facet)
    assert shown.capped
    # Listed and named even when the facet's first matches hold none of the page's, and
    # counted as the page's own lower bound, as its heading gives it.
    (chosen,) = [o for o in shown.options if o.selected]
    assert (chosen.label, chosen.count, chosen.exact) == (top.label, 10, False)
    html = response.content.decode()
    assert "More than 10 results" in html
    assert (
        f'<strong aria-current="true">{top.label} <span class="count">'
        '(<span class="visually-hidden">at least </span>10<span aria-hidden="true">+'
    ) in html


def test_a_cut_read_passes_over_rows_that_may_not_be_shown_and_still_fills_to_the_limit(
    settings,
):
    # The draft's rows come first in the read order; none may be shown, and the cut read
    # must go on to the published ones rather than stop at the first limit + 1 matches.
    body = "Quokka outreach in the evening."
    make_document(
        "quokka-draft",
        [(f"d{i}", f"Draft {i}", body) for i in range(5)],
        status=Status.DRAFT,
    )
    make_document("quokka-open", [(f"p{i}", f"Open {i}", body) for i in range(5)])
    settings.SEARCH_EXACT_LIMIT = 3
    found = outcome_of(q="quokka")
    assert found.capped
    assert found.total == 3
    assert len(found.hits) == 3
    assert all(hit.url.startswith("/documents/quokka-open/") for hit in found.hits)
