import re

import pytest

from briefings.models import Reference
from tests.support.factories import make_briefing
from tests.support.queries import queries_for


def test_the_reference_index_lists_each_work_once_with_where_it_is_cited(client, db):
    response = client.get("/references/")
    refs = response.context["references"]
    keys = [r.key for r in refs]
    assert len(keys) == len(set(keys)) == Reference.objects.count()
    beckett = next(r for r in refs if r.key.startswith("beckett-2011-not-a-world-away"))
    documents = {s.briefing.slug for s in beckett.citing_sections.all()}
    assert {"police", "multi-agency-working"} <= documents
    page = response.content.decode()
    assert f'id="ref-{beckett.key}"' in page


def test_references_sort_by_author_and_by_how_often_cited(client, db):
    by_author = client.get("/references/").context["references"]
    authors = [r.authors for r in by_author]
    assert authors == sorted(authors)
    by_count = client.get("/references/?sort=cited").context["references"]
    counts = [r.cited for r in by_count]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] > counts[-1]


def test_a_bad_sort_falls_back_to_author(client, db):
    def order(url):
        response = client.get(url)
        assert response.status_code == 200, url
        return re.findall(r'id="ref-([^"]+)"', response.content.decode())

    # The first request renders (nothing is cached yet), so its context gives the author order.
    by_author = [r.key for r in client.get("/references/").context["references"]]
    assert order("/references/") == by_author
    assert by_author != order("/references/?sort=cited")  # else either fallback would pass
    for bad in ("%00drop", "authors", "cited%20", "-cited"):
        assert order(f"/references/?sort={bad}") == by_author, bad


@pytest.mark.parametrize("path", ["/references/", "/references/?sort=cited"])
def test_the_reference_index_costs_three_queries_however_many_works(client, db, path):
    before = queries_for(client, path)
    make_briefing("many", sections=40)
    make_briefing("more", sections=20, role="social-workers")
    assert queries_for(client, path) == before
    assert before <= 3
