"""A section's or key message's own admin page takes a note for readers and a comment for the
history, like the document's page; an untouched save records nothing."""

from django.urls import reverse

from briefings.editorial import selectors
from briefings.models import Briefing, ChangeNote
from tests.support.admin_forms import get_form


def _section_url(section):
    return reverse("admin:briefings_section_change", args=[section.pk])


def test_a_section_saved_with_a_note_and_comment_publishes_the_note_and_records_the_comment(
    editor_client,
):
    police = Briefing.objects.get(slug="police")
    section = police.sections.order_by("order").first()
    data = get_form(editor_client, _section_url(section), "section_form")
    data["body"] += "\r\n\r\nA new paragraph from the section's page."
    data["change_kind"] = "noteworthy"
    data["change_note"] = "Added a paragraph on early help."
    data["revision_comment"] = "Asked for by the review panel."

    response = editor_client.post(_section_url(section), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    note = ChangeNote.objects.get(briefing=police, note="Added a paragraph on early help.")
    assert note.public
    assert note.author.username == "editor"
    latest = selectors.document_versions(police).first()
    assert "Asked for by the review panel." in latest.revision.comment
    assert section.heading in latest.revision.comment
    page = editor_client.get(police.get_absolute_url()).content.decode()
    assert "Added a paragraph on early help." in page


def test_a_section_note_for_readers_without_text_is_a_form_error(editor_client):
    section = Briefing.objects.get(slug="police").sections.first()
    data = get_form(editor_client, _section_url(section), "section_form")
    data["body"] += "\n\nMore."
    data["change_kind"] = "noteworthy"

    response = editor_client.post(_section_url(section), data)

    assert response.status_code == 200
    assert "Write the note readers will see" in response.content.decode()


def test_a_key_message_page_takes_a_revision_comment(editor_client):
    police = Briefing.objects.get(slug="police")
    message = police.key_messages.first()
    url = reverse("admin:briefings_keymessage_change", args=[message.pk])
    data = get_form(editor_client, url, "keymessage_form")
    assert {"change_kind", "change_note", "revision_comment"} <= set(data)
    data["text"] += " Reworded."
    data["revision_comment"] = "Clearer wording."

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Clearer wording." in selectors.document_versions(police).first().revision.comment


def test_saving_a_section_unchanged_records_no_revision(editor_client):
    police = Briefing.objects.get(slug="police")
    section = police.sections.order_by("order").first()
    data = get_form(editor_client, _section_url(section), "section_form")
    data = {k: v.replace("\n", "\r\n") if isinstance(v, str) else v for k, v in data.items()}
    before = selectors.document_versions(police).count()
    updated = section.updated

    response = editor_client.post(_section_url(section), data)

    assert response.status_code == 302
    section.refresh_from_db()
    assert section.updated == updated
    # Only the starting point an edit records first, if the document had none.
    assert selectors.document_versions(police).count() <= before + 1
    assert all("Changed" not in v.revision.comment for v in selectors.document_versions(police))
