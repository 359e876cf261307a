"""Each index row carries its filter values as words (SearchEntry.facets), so that SQLite's
full-text index applies a filter itself instead of the search checking every match. The words
must give exactly what checking the filters on the rows gives, and what a reader types can never
match them."""

import itertools

import pytest

from briefings.models import Briefing, KeyMessage, Role, SearchEntry, Theme
from briefings.search import schema
from briefings.search.engines import backend_for
from briefings.search.engines.base import SearchBackend
from briefings.search.query import parse
from briefings.search.results import Filters
from briefings.search.schema import FACET_EVERY_ROLE, FACET_KIND, FACET_MARK
from tests.support.search import make_document, outcome_of

pytestmark = pytest.mark.django_db

WORDS = ("young", "support", "CSE", "missing OR trust", '"information sharing"')


def everything(raw):
    return (
        raw.total,
        raw.capped,
        [hit.id for hit in raw.hits],
        # Facet options with equal counts come in no set order (PostgreSQL breaks such ties
        # as its plan goes): compared as sets of (value, count).
        {name: sorted((c.value, c.count) for c in found) for name, found in raw.facets.items()},
        raw.everyone,
    )


def filter_combinations():
    """One and two filters at a time, over some of each facet's values."""
    values = {
        "kind": [kind for kind, _ in SearchEntry.Kind.choices],
        "document": list(Briefing.objects.order_by("slug").values_list("slug", flat=True)[:3]),
        "role": list(Role.objects.order_by("slug").values_list("slug", flat=True)[:3]),
        "theme": list(Theme.objects.order_by("slug").values_list("slug", flat=True)[:3]),
    }
    singles = [{name: value} for name, options in values.items() for value in options]
    pairs = [
        {first: values[first][0], second: values[second][-1]}
        for first, second in itertools.combinations(values, 2)
    ]
    return [*singles, *pairs, {name: options[0] for name, options in values.items()}]


def holds(entry, name, value):
    """Whether an index row has this filter value, read from the rows it indexes through the
    ORM: a second account of the filters, independent of the search's SQL."""
    if name == "kind":
        return entry.kind == value
    if name == "document":
        return entry.briefing is not None and entry.briefing.slug == value
    if name == "role":
        return entry.briefing is None or entry.briefing.audiences.filter(slug=value).exists()
    themed = entry.section is not None and entry.section.themes.filter(slug=value).exists()
    if entry.kind == "key-message":
        themed = themed or KeyMessage.objects.get(pk=entry.object_id).themes.filter(slug=value)
    return bool(themed)


def test_a_filtered_search_finds_exactly_the_unfiltered_matches_that_hold_the_filter(settings):
    # On either database: whatever the engine does with the filters (index words on SQLite,
    # conditions on the rows on PostgreSQL), the rows found are the ones the ORM says qualify.
    settings.SEARCH_EXACT_LIMIT = 1000
    backend = backend_for()
    checked = 0
    for words in WORDS:
        everything_found = backend.search(parse(words), Filters(), 0, 1000)
        assert len(everything_found.hits) == everything_found.total
        entries = SearchEntry.objects.select_related("briefing", "section").in_bulk(
            [hit.id for hit in everything_found.hits]
        )
        for chosen in filter_combinations():
            found = backend.search(parse(words), Filters(**chosen), 0, 1000)
            expected = {
                pk
                for pk, entry in entries.items()
                if all(holds(entry, name, value) for name, value in chosen.items())
            }
            assert {hit.id for hit in found.hits} == expected, (words, chosen)
            assert found.total == len(expected), (words, chosen)
            checked += bool(expected) and expected != set(entries)
    # Most combinations keep some rows and drop others, so the comparison has teeth.
    assert checked > len(WORDS) * len(filter_combinations()) / 2


@pytest.mark.parametrize("limit", [200, 10])
def test_the_filter_words_change_no_result_count_or_order(settings, monkeypatch, limit):
    # Exact and capped reads alike: the same rows, counts and order as checking every match.
    settings.SEARCH_EXACT_LIMIT = limit
    backend = backend_for()
    # Each engine narrows in its own way (index words on SQLite, indexed columns on PostgreSQL):
    # compared with the base class's plain conditions on the rows, never with itself.
    assert type(backend).filtering is not SearchBackend.filtering
    combinations = filter_combinations()

    def run():
        return [
            everything(backend.search(parse(words), Filters(**chosen), 0, 10))
            for words in WORDS
            for chosen in combinations
        ]

    narrowed = run()
    # The same search with the filters checked on the rows instead.
    monkeypatch.setattr(type(backend), "filtering", SearchBackend.filtering)
    assert narrowed == run()
    assert sum(1 for found in narrowed if found[0]) > len(narrowed) / 2


def test_every_row_carries_its_kind_document_roles_and_themes():
    police = Briefing.objects.get(slug="police")
    roles = sorted(police.audiences.values_list("pk", flat=True))
    section = police.sections.filter(themes__isnull=False).first()
    entry = SearchEntry.objects.get(kind="section", object_id=section.pk)
    words = entry.facets.split()
    assert words[:2] == [f"{FACET_KIND}section", f"{schema.FACET_DOCUMENT}{police.pk}"]
    assert [w for w in words if w.startswith(schema.FACET_ROLE)] == [
        f"{schema.FACET_ROLE}{pk}" for pk in roles
    ]
    assert sorted(w for w in words if w.startswith(schema.FACET_THEME)) == sorted(
        f"{schema.FACET_THEME}{pk}" for pk in section.themes.values_list("pk", flat=True)
    )
    glossary = SearchEntry.objects.filter(kind="glossary").first()
    assert glossary.facets.split() == [f"{FACET_KIND}glossary", FACET_EVERY_ROLE]


@pytest.mark.parametrize(
    "typed",
    ["kindsection", "allroles", "doc1", "role1", "theme1", FACET_EVERY_ROLE, f"{FACET_MARK}doc"],
)
def test_what_a_reader_types_never_matches_a_filter_word(typed):
    # Neither whole nor as a prefix (the last word of a search is one). The search itself, not
    # the page, which would go on to suggest a spelling.
    assert backend_for().search(parse(typed), Filters(), 0, 10).total == 0


def test_an_unknown_filter_value_finds_nothing_and_fails_nothing():
    for chosen in ({"document": "no-such"}, {"theme": "no-such"}):
        raw = backend_for().search(parse("young"), Filters(**chosen), 0, 10)
        assert raw.total == 0
    assert backend_for().search(parse("young"), Filters(kind="no-such"), 0, 10).total == 0


def test_roles_changed_from_either_side_are_followed_by_the_role_filter():
    make_document("otter-notes", [("s1", "Otters", "An otter paragraph.")], role="police")
    schools = Role.objects.get(slug="schools")
    briefing = Briefing.objects.get(slug="otter-notes")

    def found():
        return outcome_of(q="otter", audience="schools").total

    assert found() == 0
    schools.briefings.add(briefing)
    assert found() == 1
    briefing.audiences.remove(schools)
    assert found() == 0
    briefing.audiences.add(schools)
    schools.briefings.clear()
    assert found() == 0
