import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefings.models import Briefing, Section, Status
from tests.support.factories import make_briefing


def test_the_document_page_shows_metadata_contents_key_messages_and_sections(client, db):
    page = client.get("/documents/police/").content.decode()
    assert "<h1>Key messages from research on child sexual exploitation: Police</h1>" in page
    for text in [
        "Nicola Sharp-Jeffs, Maddy Coy and Liz Kelly",
        "January 2017",
        "Centre of expertise on child sexual abuse",
        "<dd>Police</dd>",
    ]:
        assert text in page
    contents = page.split('<nav class="contents" aria-label="Contents">')[1].split("</nav>")[0]
    for section in Section.objects.filter(briefing__slug="police"):
        assert f'<a href="#{section.slug}">{section.heading}</a>' in contents
        assert f'id="{section.slug}"' in page
    assert page.count('class="permalink"') == 6 + 7  # every section and key message


def test_quotes_are_set_apart_with_their_attribution(client, db):
    page = client.get("/documents/police/").content.decode()
    assert page.count('<figure class="quote">') == 3
    assert '<figcaption class="quote-attribution">Young person C; <a class="citation"' in page


def test_citations_link_to_the_reference_list_and_references_link_back(client, db):
    page = client.get("/documents/police/").content.decode()
    target = re.search(r'<a class="citation" href="/documents/police/#(ref-coy-2009[^"]+)"', page)
    assert target
    entry = page.split(f'<li id="{target.group(1)}">')[1].split("</li>")[0]
    assert "Coy, M. (2009)" in entry
    assert "Cited in: " in entry
    assert '<a href="#barriers-to-engagement">Barriers to engagement</a>' in entry


def test_acronyms_are_expanded_once_per_page(client, db):
    page = client.get("/documents/police/").content.decode()
    assert page.count('<abbr title="child sexual exploitation">CSE</abbr>') == 1
    assert page.count('<abbr title="Crown Prosecution Service">CPS</abbr>') == 1
    assert page.count("CSE") > 5


def test_the_page_heading_keeps_the_full_title_and_navigation_uses_the_short_one(client, db):
    page = client.get("/documents/multi-agency-working/").content.decode()
    title = "Key messages from research on child sexual exploitation: Multi-agency working"
    assert f"<h1>{title}</h1>" in page
    assert f"<title>{title} · CSE guidance portal</title>" in page
    crumbs = page.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert '<li aria-current="page">Multi-agency working</li>' in crumbs
    factsheet = client.get("/documents/cse-factsheet/").content.decode()
    assert "<h1>Child sexual exploitation factsheet</h1>" in factsheet
    assert '<li aria-current="page">CSE factsheet</li>' in factsheet


def test_every_document_says_when_it_was_last_updated_and_reviewed(client, db):
    from briefings.models import ChangeNote

    page = client.get("/documents/police/").content.decode()
    assert "<dt>Last updated</dt><dd>No updates since publication</dd>" in page
    assert "<dt>Last reviewed</dt><dd>Not recorded</dd>" in page
    police = Briefing.objects.get(slug="police")
    police.last_reviewed = datetime.date(2026, 3, 4)
    police.save()
    ChangeNote.objects.create(
        briefing=police,
        note="Links updated.",
        created=datetime.datetime(2026, 5, 6, 12, tzinfo=datetime.UTC),
    )
    page = client.get("/documents/police/").content.decode()
    assert '<time datetime="2026-05-06">6 May 2026</time>' in page
    assert '<time datetime="2026-03-04">4 March 2026</time>' in page


def test_a_document_can_be_searched_from_its_page(client, db):
    page = client.get("/documents/police/?role=police").content.decode()
    form = page.split('<form class="search-form document-search"')[1].split("</form>")[0]
    assert 'action="/search/" method="get"' in form
    assert '<label for="document-q">Search this document</label>' in form
    assert '<input type="hidden" name="document" value="police">' in form
    assert '<input type="hidden" name="role" value="police">' in form
    results = client.get("/search/", {"q": "missing", "document": "police"}).content.decode()
    assert "Document: Police" in results
    # Another profession's document is searched whole: the reader's role is an emphasis, which
    # travels on, never a filter.
    other = client.get("/documents/social-workers/?role=police").content.decode()
    form = other.split('<form class="search-form document-search"')[1].split("</form>")[0]
    assert '<input type="hidden" name="role" value="police">' in form
    whole = client.get("/search/", {"q": "missing", "document": "social-workers"})
    as_police = client.get(
        "/search/", {"q": "missing", "document": "social-workers", "role": "police"}
    )
    assert as_police.context["outcome"].total == whole.context["outcome"].total > 0


def test_a_printed_document_ends_with_its_address_and_the_date(client, db):
    page = client.get("/documents/police/").content.decode()
    footer = page.split('<footer class="print-footer">')[1].split("</footer>")[0]
    assert "http://testserver/documents/police/" in footer
    assert "data-print-date" in footer
    assert "data-print hidden>Print this page</button>" in page
    assert "use your browser’s Print command" in page
    assert page.index('id="references"') < page.index('class="print-footer"')


def test_a_document_without_a_reference_list_lists_the_works_its_citations_point_to(client, db):
    page = client.get("/documents/social-workers/").content.decode()
    cited = set(re.findall(r'class="citation" href="/references/#(ref-[^"]+)"', page))
    assert len(cited) > 5
    works = page.split('<h2 id="works-cited">Works cited</h2>')[1].split("</section>")[0]
    assert "This document prints no reference list." in works
    for anchor in cited:
        assert f'<li id="{anchor}">' in works
    entries = works.count("<li ")
    assert entries == len(cited) == works.count("(as printed in the reference list of")
    coy = works.split('<li id="ref-coy-2009-moved-around')[1].split("</li>")[0]
    assert "Coy, M. (2009)" in coy


def test_the_series_lists_held_and_missing_titles(client, db):
    page = client.get("/documents/multi-agency-working/").content.decode()
    series = page.split('id="series"')[1]
    assert '<a href="/documents/police/">Police</a>' in series
    assert "<strong>Multi-agency working</strong> (this document)" in series
    assert 'Strategic commissioning of police services <span class="muted">(not held' in series


def test_the_print_stylesheet_is_linked_for_print(client, db):
    page = client.get("/documents/police/").content.decode()
    assert re.search(
        r'<link rel="stylesheet" href="/static/css/print[^"]*\.css" media="print">', page
    )


def test_a_draft_document_is_not_found(client, db):
    make_briefing("hidden", status=Status.DRAFT)
    assert client.get("/documents/hidden/").status_code == 404


def test_an_unknown_document_gets_the_helpful_404_page(client, db):
    response = client.get("/documents/no-such-thing/")
    assert response.status_code == 404
    assert "Browse all documents" in response.content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["/documents/{slug}/", "/documents/{slug}/section-1/"])
def test_the_number_of_queries_does_not_grow_with_the_document(client, db, path):
    small = make_briefing("small", sections=3)
    large = make_briefing("large", sections=300)
    assert large.sections.count() == 300
    assert _queries(client, path.format(slug=small.slug)) == _queries(
        client, path.format(slug=large.slug)
    )


def test_the_document_page_uses_a_small_fixed_number_of_queries(
    client, db, django_assert_num_queries, django_assert_max_num_queries
):
    # One query for each kind of thing the page shows, however many there are: the document,
    # its roles, its sections, their themes, its key messages, their themes, its citations,
    # which references each section cites, the glossary (for abbreviations), the other
    # documents of its series, and its public change notes. 11; the test above proves the
    # count does not grow with the number of sections.
    with django_assert_num_queries(11):
        client.get("/documents/police/")
    with django_assert_max_num_queries(14):  # and the works its citations name, as printed
        client.get("/documents/social-workers/")


def test_viewing_as_a_role_is_carried_in_links_without_cookies(client, db):
    response = client.get("/documents/police/?role=police")
    page = response.content.decode()
    assert "Viewing as: <strong>Police</strong>" in page
    assert 'href="/documents/police/barriers-to-engagement/?role=police"' in page
    assert not response.cookies


def test_an_unknown_role_is_ignored(client, db):
    page = client.get("/documents/police/?role=%22%3E%3Cscript%3E").content.decode()
    assert "Viewing as: <strong>Everyone</strong>" in page
    assert "<script>" not in page.split("<body")[1]


def test_every_published_document_renders(client, db):
    for briefing in Briefing.objects.published():
        assert client.get(briefing.get_absolute_url()).status_code == 200
