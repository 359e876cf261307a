"""The search page's layout on a phone (issue 17): "Filters (n)" before the results, and the
filters in force summarised, each removable in one tap. Short titles name the documents."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit


def _page(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def _chips(page):
    summary = page.split('<div class="active-filters">')[1].split("</div>")[0]
    return [
        (unescape(href), re.sub(r"<[^>]+>", "", label).replace("×", "").strip())
        for href, label in re.findall(r'<a class="filter-chip" href="([^"]+)">(.*?)</a>', summary)
    ]


def test_the_filters_control_comes_before_the_results_and_counts_the_filters_in_force(client, db):
    page = _page(client, q="missing", audience="police", theme="going-missing")
    summary = re.search(r"<summary><span>Filters \((\d+)<", page)
    assert summary
    assert summary.group(1) == "2"
    assert page.index('<details class="search-filters"') < page.index('id="results-heading"')
    unfiltered = _page(client, q="missing")
    assert "<summary><span>Filters</span></summary>" in unfiltered
    assert 'class="active-filters"' not in unfiltered


def test_each_filter_in_force_is_shown_and_removed_on_its_own(client, db):
    page = _page(client, q="missing", audience="police", theme="going-missing", kind="section")
    chips = _chips(page)
    labels = [label for _, label in chips]
    assert labels == [
        "Remove the filter Kind of result: Sections",
        "Remove the filter Guidance for: Police",
        "Remove the filter Theme: Going missing",
    ]
    for href, label in chips:
        kept = parse_qs(urlsplit(href).query)
        assert kept["q"] == ["missing"]
        removed = {"Kind": "kind", "Guidance": "audience", "Theme": "theme"}[
            label.split()[3].rstrip(":")
        ]
        assert removed not in kept
        assert len(kept) == 3  # q and the two other filters
    assert '<a class="clear-filters" href="/search/?q=missing">Remove all filters</a>' in page


def test_a_filter_that_matches_nothing_is_still_named_and_removable(client, db):
    page = _page(client, q="xylophone", audience="police")
    assert _chips(page) == [("/search/?q=xylophone", "Remove the filter Guidance for: Police")]


def test_results_name_documents_by_their_short_titles(client, db):
    page = _page(client, q="definition")
    metas = re.findall(r'<p class="result-meta">(.*?)</p>', page)
    documents = {re.sub(r"<[^>]+>", "", m).split(" · ")[1] for m in metas if " · " in m}
    assert "CSE factsheet" in documents
    assert not any(d.startswith("Child sexual exploitation factsheet") for d in documents)
