import pytest

from tests.support.factories import make_briefing
from tests.support.queries import queries_for


def test_home_says_what_the_portal_is_and_offers_roles_search_themes_and_documents(client, db):
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Research guidance on child sexual exploitation" in page
    for link in [
        'href="/roles/police/"',
        'href="/roles/social-workers/"',
        'href="/roles/multi-agency/"',
        'href="/roles/health-commissioners/"',
        'href="/documents/">Reader from any profession (everyone)',
    ]:
        assert link in page
    assert '<form class="search-form" action="/search/" method="get" role="search">' in page
    assert 'href="/themes/trafficking/"' in page
    assert 'href="/documents/cse-factsheet/"' in page


def test_roles_without_documents_are_not_offered(client, db):
    assert 'href="/roles/schools/"' not in client.get("/").content.decode()


def test_home_sets_no_cookies(client, db):
    assert not client.get("/").cookies


@pytest.mark.parametrize(("path", "most"), [("/", 4), ("/?role=police", 5)])
def test_home_costs_a_fixed_number_of_queries_however_many_documents(client, db, path, most):
    before = queries_for(client, path)
    make_briefing("many", sections=40, themes=("trafficking", "going-missing"))
    make_briefing("more", sections=20, role="social-workers")
    assert queries_for(client, path) == before
    assert before <= most
