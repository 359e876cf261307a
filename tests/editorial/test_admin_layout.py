"""The document's admin page as an editor meets it: no tag machinery, list fields as lines,
provenance read-only, one way to the history, compact citation rows with their own page."""

from django.urls import reverse

from briefings.models import Briefing, Citation
from tests.support.admin_forms import briefing_form, get_form, save_briefing


def test_the_admin_home_has_no_taggit_block(editor_client, admin_client):
    for client in (editor_client, admin_client):
        page = client.get(reverse("admin:index")).content.decode()
        assert "Taggit" not in page
        assert "Themes" in page


def test_also_available_is_edited_one_title_per_line(editor_client):
    police = Briefing.objects.get(slug="police")
    assert police.also_available
    data = briefing_form(editor_client, police)
    assert data["also_available"] == "\n".join(police.also_available)
    assert "[" not in data["also_available"]
    data["also_available"] = "\r\n".join([*police.also_available, "  A new title  ", ""])

    save_briefing(editor_client, police, data)

    police.refresh_from_db()
    assert police.also_available[-1] == "A new title"


def test_the_source_file_is_shown_but_cannot_be_changed(editor_client):
    police = Briefing.objects.get(slug="police")
    data = briefing_form(editor_client, police)
    assert "source_file" not in data
    data["source_file"] = "forged.md"
    save_briefing(editor_client, police, {**data, "revision_comment": "Try the source."})
    police.refresh_from_db()
    assert police.source_file != "forged.md"
    page = editor_client.get(reverse("admin:briefings_briefing_change", args=[police.pk]))
    assert police.source_file in page.content.decode()


def test_the_document_page_has_one_history_link_and_djangos_history_leads_to_it(editor_client):
    police = Briefing.objects.get(slug="police")
    page = editor_client.get(reverse("admin:briefings_briefing_change", args=[police.pk]))
    html = page.content.decode()
    revisions = reverse("admin:briefings_briefing_revisions", args=[police.pk])
    assert html.count('class="historylink"') == 1
    assert f'href="{revisions}" class="historylink"' in html
    response = editor_client.get(reverse("admin:briefings_briefing_history", args=[police.pk]))
    assert response.status_code == 302
    assert response["Location"] == revisions


def test_a_citation_row_is_compact_and_its_work_fields_are_on_its_own_page(editor_client):
    police = Briefing.objects.get(slug="police")
    data = briefing_form(editor_client, police)
    assert "citations-0-authors" not in data
    citation = Citation.objects.filter(briefing=police).order_by("order").first()
    url = reverse("admin:briefings_citation_change", args=[citation.pk])
    fields = get_form(editor_client, url, "citation_form")
    fields["title"] = "A corrected title"
    fields["revision_comment"] = "Title as printed."

    response = editor_client.post(url, fields)

    assert response.status_code == 302, response.content.decode()[:2000]
    citation.refresh_from_db()
    assert citation.title == "A corrected title"
    from briefings.editorial import selectors

    latest = selectors.document_versions(police).first()
    assert "Title as printed." in latest.revision.comment


def test_a_sections_history_link_leads_to_its_documents_revisions(editor_client):
    section = Briefing.objects.get(slug="police").sections.first()
    response = editor_client.get(reverse("admin:briefings_section_history", args=[section.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:briefings_briefing_revisions", args=[section.briefing_id]
    )
