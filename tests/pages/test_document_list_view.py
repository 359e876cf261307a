import pytest

from tests.support.factories import make_briefing
from tests.support.queries import queries_for


def test_the_document_list_shows_every_published_document_by_its_short_title(client, db):
    response = client.get("/documents/")
    page = response.content.decode()
    slugs = [b.slug for b in response.context["briefings"]]
    assert sorted(slugs) == sorted(
        [
            "cse-factsheet",
            "police",
            "social-workers",
            "multi-agency-working",
            "commissioning-health-care-services",
        ]
    )
    assert '<a class="card-title" href="/documents/police/">Police</a>' in page


def test_viewing_as_a_role_lists_its_documents_first_and_keeps_the_others(client, db):
    briefings = client.get("/documents/?role=social-workers").context["briefings"]
    assert briefings[0].slug == "social-workers"
    assert len(briefings) == 5


@pytest.mark.parametrize(("path", "most"), [("/documents/", 2), ("/documents/?role=police", 3)])
def test_the_document_list_costs_a_fixed_number_of_queries(client, db, path, most):
    before = queries_for(client, path)
    make_briefing("many", sections=40)
    make_briefing("more", sections=20, role="social-workers")
    assert queries_for(client, path) == before
    assert before <= most
