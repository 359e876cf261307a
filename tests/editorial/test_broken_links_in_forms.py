"""Broken citations and links are form errors, naming the unknown key with the closest existing
keys, on the document's page, a section's page and a key message's page."""

from django.urls import reverse

from briefings.models import Briefing, Citation, Section
from tests.support.admin_forms import briefing_form, get_form, row_index


def _errors(response):
    assert response.status_code == 200, "the form saved, but it has a broken link"
    return response.content.decode()


def test_an_unknown_citation_in_a_section_is_an_error_offering_the_closest_keys(editor_client):
    police = Briefing.objects.get(slug="police")
    real = Citation.objects.filter(briefing=police).order_by("local_key").first().local_key
    typo = real[:-1] + ("x" if real[-1] != "x" else "y")
    section = police.sections.order_by("order").first()
    url = reverse("admin:briefings_section_change", args=[section.pk])
    data = get_form(editor_client, url, "section_form")
    data["body"] += f"\n\nAs shown by [Smith, 2099](cite:smith-2099) and [them](cite:{typo})."

    page = _errors(editor_client.post(url, data))

    assert "The citation “smith-2099” matches no reference of this document" in page
    assert f"The citation “{typo}” matches no reference" in page
    assert f"Did you mean: {real}" in page
    assert "smith-2099" not in Section.objects.get(pk=section.pk).body


def test_an_unknown_section_link_on_the_document_form_is_an_error_with_the_closest_pages(
    editor_client,
):
    police = Briefing.objects.get(slug="police")
    target = police.sections.order_by("order").first()
    data = briefing_form(editor_client, police)
    index = row_index(data, "sections", "id", target.pk)
    broken = f"/documents/police/{target.slug}x/"
    data[f"sections-{index}-body"] += f"\n\nSee [the section]({broken})."
    url = reverse("admin:briefings_briefing_change", args=[police.pk])

    page = _errors(editor_client.post(url, data))

    assert f"The link “{broken}” is broken: no such section in the document." in page
    assert f"Did you mean: /documents/police/{target.slug}/" in page


def test_a_key_message_citing_an_unknown_reference_is_an_error(editor_client):
    message = Briefing.objects.get(slug="police").key_messages.first()
    url = reverse("admin:briefings_keymessage_change", args=[message.pk])
    data = get_form(editor_client, url, "keymessage_form")
    data["text"] += " ([Nobody, 2001](cite:nobody-2001))"

    page = _errors(editor_client.post(url, data))

    assert "The citation “nobody-2001” matches no reference of this document" in page


def test_a_citation_to_a_reference_added_in_the_same_form_is_not_an_error(editor_client):
    police = Briefing.objects.get(slug="police")
    data = briefing_form(editor_client, police)
    section = police.sections.order_by("order").first()
    index = row_index(data, "sections", "id", section.pk)
    reference = Citation.objects.exclude(briefing=police).first().reference
    total = int(data["citations-TOTAL_FORMS"])
    data.update(
        {
            "citations-TOTAL_FORMS": str(total + 1),
            f"citations-{total}-order": "999",
            f"citations-{total}-local_key": "added-in-this-form",
            f"citations-{total}-reference": str(reference.pk),
            f"citations-{total}-label": "Added, 2020",
            f"citations-{total}-entry": "Added, A. (2020) A work.",
        }
    )
    data[f"sections-{index}-body"] += "\n\nNew ([Added, 2020](cite:added-in-this-form))."
    url = reverse("admin:briefings_briefing_change", args=[police.pk])

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert 'class="citation"' in Section.objects.get(pk=section.pk).body_html


def test_an_existing_broken_link_does_not_block_saving_another_text(editor_client):
    police = Briefing.objects.get(slug="police")
    first, second = police.sections.order_by("order")[:2]
    Section.objects.filter(pk=first.pk).update(body=first.body + "\n\n[Old](cite:old-broken)")
    data = briefing_form(editor_client, police)
    data[f"sections-{row_index(data, 'sections', 'id', second.pk)}-body"] += "\n\nA fix elsewhere."
    url = reverse("admin:briefings_briefing_change", args=[police.pk])

    assert editor_client.post(url, data).status_code == 302


def test_the_preview_shows_a_broken_citation_as_broken_and_names_it(editor_client):
    police = Briefing.objects.get(slug="police")
    real = Citation.objects.filter(briefing=police).order_by("local_key").first().local_key
    url = reverse("admin:briefings_markdown_preview")
    text = f"Known [A]({'cite:' + real}); unknown [Smith, 2099](cite:smith-2099)."

    answer = editor_client.post(url, {"text": text, "document": str(police.pk)}).json()

    assert 'class="citation"' in answer["html"]
    assert '<span class="citation-unresolved">Smith, 2099</span>' in answer["html"]
    assert len(answer["problems"]) == 1
    assert "“smith-2099”" in answer["problems"][0]


def test_the_preview_marks_a_broken_section_link(editor_client):
    police = Briefing.objects.get(slug="police")
    url = reverse("admin:briefings_markdown_preview")
    text = "See [nowhere](/documents/police/no-such-section/)."

    answer = editor_client.post(url, {"text": text, "document": str(police.pk)}).json()

    assert '<a class="broken-link" href="/documents/police/no-such-section/"' in answer["html"]
    assert "no such section in the document" in answer["problems"][0]
