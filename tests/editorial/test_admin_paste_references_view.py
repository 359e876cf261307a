"""Pasting a reference list into a document from the admin: the parsed table to check, lines it
could not read flagged, and the references created only on confirmation."""

from django.urls import reverse
from reversion.models import Revision

from briefings.content.uploads import CheckedText
from briefings.models import Briefing, Citation, Reference, Section
from tests.support.reference_lists import SOURCES, source_reference_list

COY_2009 = (
    "Coy, M. (2009) 'Moved Around Like Bags of Rubbish Nobody Wants' How Multiple Placement "
    "Moves Can Make Young Women Vulnerable to Sexual Exploitation *Child Abuse Review* 18(4): "
    "254-266"
)
PASTE = f"""{COY_2009}
Newman, A. and Other, B. (2024) *A new study of trusted adults* London: Example Press
Newman, A. and Other, B. (2024) *A second study of trusted adults* London: Example Press
Not a reference at all
"""


def _url(briefing):
    return reverse("admin:briefings_briefing_paste_references", args=[briefing.pk])


def _draft(editor_client):
    editor_client.post(
        reverse("admin:briefings_briefing_add"),
        {
            "title": "A new briefing",
            "slug": "a-new-briefing",
            "kind": "research-briefing",
            "status": "draft",
            "has_reference_list": "on",
            "also_available": "[]",
            **{
                f"{prefix}-{name}": value
                for prefix in ("key_messages", "sections", "citations")
                for name, value in (
                    ("TOTAL_FORMS", "0"),
                    ("INITIAL_FORMS", "0"),
                    ("MIN_NUM_FORMS", "0"),
                    ("MAX_NUM_FORMS", "1000"),
                )
            },
        },
    )
    return Briefing.objects.get(slug="a-new-briefing")


def test_the_document_page_links_to_the_paste_form(editor_client):
    police = Briefing.objects.get(slug="police")
    page = editor_client.get(reverse("admin:briefings_briefing_change", args=[police.pk]))
    assert f'<a href="{_url(police)}">Paste references</a>' in page.content.decode()


def test_the_parsed_table_is_shown_and_nothing_is_created_before_confirming(editor_client):
    briefing = _draft(editor_client)
    before = Reference.objects.count()
    response = editor_client.post(_url(briefing), {"text": PASTE, "_check": "1"})
    rows = response.context["rows"]
    assert [(r.ref.line, r.ref.key, r.added) for r in rows] == [
        (1, "coy-2009", True),
        (2, "newman-other-2024a", True),
        (3, "newman-other-2024b", True),
        (4, "", False),
    ]
    page = response.content.decode()
    assert "4 lines were read: 3 to add, 1 could not be read" in page
    assert "Could not read “Not a reference at all”" in page
    assert Reference.objects.count() == before
    assert not briefing.citations.exists()


def test_confirming_creates_the_citations_with_existing_works_reused(editor_client, editor):
    briefing = _draft(editor_client)
    coy = Reference.objects.get(citations__briefing__slug="police", citations__local_key="coy-2009")
    response = editor_client.post(_url(briefing), {"text": PASTE, "_check": "1"})
    form = response.context["form"]
    response = editor_client.post(_url(briefing), {**form.initial, "_confirm": "1"})
    assert response.status_code == 302
    citations = list(briefing.citations.order_by("order"))
    assert [c.local_key for c in citations] == [
        "coy-2009",
        "newman-other-2024a",
        "newman-other-2024b",
    ]
    assert citations[0].reference == coy
    assert citations[1].title == "A new study of trusted adults"
    assert citations[1].publisher == "London: Example Press"
    assert citations[1].label == "Newman and Other, 2024"
    assert "<em>A new study of trusted adults</em>" in citations[1].entry_html
    revision = Revision.objects.latest("pk")
    assert revision.user == editor
    assert revision.comment == "Added 3 references from a pasted list."


def test_a_section_citing_a_key_before_it_existed_links_once_it_is_pasted(editor_client):
    briefing = _draft(editor_client)
    section = Section.objects.create(
        briefing=briefing, heading="Findings", body="As found ([Coy, 2009](cite:coy-2009))."
    )
    assert "#ref-" not in section.body_html
    response = editor_client.post(_url(briefing), {"text": PASTE, "_check": "1"})
    editor_client.post(_url(briefing), {**response.context["form"].initial, "_confirm": "1"})
    assert "#ref-coy-2009" in Section.objects.get(pk=section.pk).body_html


def test_works_already_listed_or_pasted_twice_are_not_added_again(editor_client):
    police = Briefing.objects.get(slug="police")
    text = COY_2009 + "\n"
    response = editor_client.post(
        _url(police), {"text": text + "X, Y. (2020) *New*\nX, Y. (2020) *New*", "_check": "1"}
    )
    statuses = [row.status for row in response.context["rows"]]
    assert statuses == ["already in the list, as coy-2009", "new", "the same work as line 2"]


def test_a_changed_list_is_checked_again_not_added(editor_client):
    briefing = _draft(editor_client)
    response = editor_client.post(_url(briefing), {"text": PASTE, "_check": "1"})
    form = response.context["form"]
    response = editor_client.post(
        _url(briefing),
        {
            "text": PASTE + "Extra, E. (2001) *Extra*",
            "checked": form.initial["checked"],
            "_confirm": "1",
        },
    )
    assert response.status_code == 200
    assert "The list changed since it was checked" in response.content.decode()
    assert not briefing.citations.exists()


def test_the_multi_agency_reference_list_pasted_whole_adds_every_work_once(editor_client):
    briefing = _draft(editor_client)
    text = source_reference_list(SOURCES / "003_d3b5fbb1411e1ccc.txt")
    response = editor_client.post(_url(briefing), {"text": text, "_check": "1"})
    rows = response.context["rows"]
    assert all(row.ref.ok for row in rows)
    assert not CheckedText.matches("forged", f"references-of-{briefing.pk}", text)
    editor_client.post(_url(briefing), {**response.context["form"].initial, "_confirm": "1"})
    # The source prints Harris and Robinson (2007) twice: one work, one entry.
    assert briefing.citations.count() == len(rows) - 1
    assert Citation.objects.filter(briefing=briefing, local_key="harris-robinson-2007").exists()
