"""'Also see': the themes a search is about, offered beside its results (issue 17), and only
themes that published guidance carries."""

import pytest

from briefings.models import Briefing, Status, Theme
from briefings.search.names import names_matching
from tests.support.search import make_document, outcome_of, run_search

pytestmark = pytest.mark.django_db

THEMES = [
    ("going-missing", "Going missing"),
    ("young-people-in-care", "Young people in care"),
    ("barriers-to-disclosure", "Barriers to disclosure"),
    ("information-and-intelligence-sharing", "Information and intelligence sharing"),
]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("what to do if a young person goes missing", ["going-missing"]),
        ("children who went missing from care", ["going-missing", "young-people-in-care"]),
        ("barrier to disclosing abuse", ["barriers-to-disclosure"]),
        ("information sharing", ["information-and-intelligence-sharing"]),
        # Sharing only the commonest words of this guidance is not being about a theme.
        ("young people", []),
        ("missing", []),
        ("", []),
    ],
)
def test_a_theme_is_offered_when_the_search_names_it_in_any_form(typed, expected):
    assert [slug for slug, _ in names_matching(typed, THEMES)] == expected


def test_the_issues_question_is_offered_the_going_missing_theme_as_a_link(client):
    html = run_search(q="what to do if a young person goes missing").content.decode()
    assert 'Also see: <a href="/themes/going-missing/">the Going missing theme</a>' in html
    with_role = client.get(
        "/search/", {"q": "what to do if a young person goes missing", "role": "police"}
    ).content.decode()
    assert '<a href="/themes/going-missing/?role=police">the Going missing theme</a>' in with_role


def test_a_theme_only_unpublished_guidance_carries_is_never_offered():
    theme = Theme.objects.create(name="Quokka welfare", slug="quokka-welfare")
    briefing = make_document(
        "quokka-draft", [("s1", "Quokkas", "Quokka welfare text.", Status.DRAFT)]
    )
    briefing.sections.get().themes.add(theme)
    assert outcome_of(q="quokka welfare").see_also == []
    make_document("quokka-public", [("s1", "Quokkas", "Quokka welfare text.")])
    assert outcome_of(q="quokka welfare").see_also == []  # still carried by a draft only
    section = Briefing.objects.get(slug="quokka-draft").sections.get()
    section.status = Status.PUBLISHED
    section.save()
    assert [t.name for t in outcome_of(q="quokka welfare").see_also] == ["Quokka welfare"]
    # Withdrawn as an editor does, by saving: a new content version, which the search's
    # reading of the themes shown follows.
    withdrawn = Briefing.objects.get(slug="quokka-draft")
    withdrawn.status = Status.DRAFT
    withdrawn.save()
    assert outcome_of(q="quokka welfare").see_also == []  # its document withdrawn
