"""Whatever arrives in the search box, the reader gets a page (results or a clear "no results"),
never an error; and content can never put markup into a results page."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings.models import Section
from tests.support.search import make_document, outcome_of

pytestmark = pytest.mark.django_db

SOUP = st.sampled_from(
    [
        '"',
        "'",
        "-",
        "*",
        "OR",
        "AND",
        "NOT",
        "NEAR",
        "(",
        ")",
        ":",
        "^",
        "{",
        "}",
        "\\",
        ";",
        "--",
        "|",
        "&",
        "!",
        "<->",
        ":*",
        "%",
        "_",
        "\x00",
        "\x02",
        "\x03",
        "\u200b",
        "\ufeff",
        "😀",
        "👩‍👧",
        "ß",
        "İ",
        "ﬁ",
        "DROP TABLE briefings_section;",
        "' OR 1=1 --",
        '") OR ("',
        "<script>alert(1)</script>",
        "CAMHS",
        "child and adolescent mental health services",
        "police",
        "young",
        "exploi",
    ]
)
QUERIES = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(SOUP, st.text(max_size=12)), max_size=25).map(" ".join),
    st.lists(SOUP, max_size=30).map("".join),
)
OTHER_PARAMETERS = st.dictionaries(
    st.sampled_from(["role", "kind", "page", "theme", "document", "group"]),
    st.one_of(st.text(max_size=20), st.sampled_from(["police", "section", "2", "document"])),
    max_size=3,
)
ANSWERS = ("result", "No results", "no words to search for", "Add a word to search for")


def assert_page_answers(response, q):
    assert response.status_code == 200
    html = response.content.decode()
    if q.replace("\x00", " ").strip():
        assert any(answer in html for answer in ANSWERS), html[-2000:]
    else:
        assert 'id="search-q"' in html  # nothing typed: the form, waiting


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(q=QUERIES, extra=OTHER_PARAMETERS)
def test_any_input_gives_a_page_with_results_or_a_clear_no_results(client, q, extra):
    assert_page_answers(client.get("/search/", {"q": q, **extra}), q)


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '"""',
        '"unbalanced',
        "-",
        "--",
        "OR",
        "AND OR NOT",
        "*",
        "**",
        "a*",
        "police -",
        "-police",
        "NEAR(police young, 2)",
        "heading:police",
        "{heading body}: police",
        "police^",
        "'; DROP TABLE briefings_searchentry; --",
        "1' OR '1'='1",
        "%' OR 1=1 --",
        "\x00",
        "police\x00young",
        "😀 🙂 🚀",
        "Ünïcödé façade naïve",
        "з",
        "子供の保護",
        "'police' & !'young'",
        "police:* | young <-> people",
        "(((((police",
        ")))))",
    ],
)
def test_known_troublemakers_give_a_page(client, q):
    assert_page_answers(client.get("/search/", {"q": q}), q)


def test_ten_thousand_characters_give_a_page_and_a_note_that_only_the_start_was_used(client):
    text = ('police young -people OR "missing" * ( ) NEAR 😀 ' * 300)[:10_000]
    response = client.get("/search/", {"q": text})
    assert_page_answers(response, text)
    assert "only its start was used" in response.content.decode()


def test_a_heading_with_markup_is_shown_as_text_with_only_the_match_marked(client):
    make_document(
        "search-markup",
        [("s1", '<b onmouseover="alert(1)">Kinkajou</b> guidance', "Kinkajou text.")],
    )
    html = client.get("/search/", {"q": "kinkajou"}).content.decode()
    assert "<b onmouseover" not in html
    assert "&lt;b onmouseover=&quot;alert(1)&quot;&gt;<mark>Kinkajou</mark>&lt;/b&gt;" in html


def test_markup_written_as_text_in_the_body_stays_text_in_the_snippet(client):
    make_document(
        "search-code",
        [("s1", "Tapir", "Never type `<img src=x onerror=alert(1)>` near a tapir.")],
    )
    html = client.get("/search/", {"q": "tapir onerror"}).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x <mark>onerror</mark>=alert(1)&gt;" in html


def test_highlight_markers_in_content_cannot_open_a_mark(client):
    make_document("search-markers", [("s1", "Okapi \x02spoof\x03 heading", "Okapi.")])
    section = Section.objects.get(briefing__slug="search-markers")
    hit = outcome_of(q="okapi").hits[0]
    assert hit.url.endswith(f"/{section.slug}/")
    assert str(hit.title) == "<mark>Okapi</mark> spoof heading"
