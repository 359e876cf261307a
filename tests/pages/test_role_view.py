from briefings.models import Briefing
from tests.support.factories import make_briefing
from tests.support.queries import queries_for


def test_a_role_page_puts_that_roles_documents_and_key_messages_first(client, db):
    response = client.get("/roles/social-workers/")
    page = response.content.decode()
    assert response.status_code == 200
    assert [b.slug for b in response.context["own"]] == ["social-workers"]
    assert "Anxiety, shame and guilt are powerful barriers to young people seeking help." in page
    written_for_you = page.split('id="own-heading"')[1].split('id="km-heading"')[0]
    assert 'href="/documents/social-workers/?role=social-workers"' in written_for_you
    others = page.split('id="others-heading"')[1]
    assert 'href="/documents/police/?role=social-workers"' in others


def test_a_role_page_shows_how_much_each_document_says_on_each_theme(client, db):
    response = client.get("/roles/police/")
    matrix = response.context["matrix"]
    # The documents written for police come first, whichever order they are in among themselves.
    own = set(
        Briefing.objects.published().filter(audiences__slug="police").values_list("slug", flat=True)
    )
    assert len(own) < len(matrix.briefings)
    assert {b.slug for b in matrix.briefings[: len(own)]} == own
    row = next(r for r in matrix.rows if r.theme.slug == "disrupting-perpetrators")
    assert all(isinstance(n, int) for n in row.cells)
    assert sum(row.cells) > 0
    page = response.content.decode()
    assert '<table class="matrix">' in page
    assert '<th scope="row">' in page


def test_an_unknown_role_is_not_found(client, db):
    assert client.get("/roles/astronauts/").status_code == 404


def test_a_role_page_costs_a_fixed_number_of_queries_however_many_documents(client, db):
    before = queries_for(client, "/roles/police/")
    make_briefing("many", sections=40, themes=("trafficking", "going-missing"))
    make_briefing("more", sections=20, role="social-workers")
    assert queries_for(client, "/roles/police/") == before
    assert before <= 7
