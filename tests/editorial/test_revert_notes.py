"""A revert is honest: it asks what to do with the public notes about the changes it undoes, and
its message names who made the version it restores."""

from django.urls import reverse

from briefings.editorial import selectors
from briefings.models import Briefing, ChangeNote
from tests.support.admin_forms import briefing_form, form_data, row_index, save_briefing


def _edit_with_note(client, briefing, text, note):
    section = briefing.sections.order_by("order").first()
    data = briefing_form(client, briefing)
    index = row_index(data, "sections", "id", section.pk)
    data[f"sections-{index}-body"] += f"\n\n{text}"
    data.update({"change_kind": "noteworthy", "change_note": note})
    save_briefing(client, briefing, data)


def _revert_url(briefing, version):
    return reverse("admin:briefings_briefing_revert", args=[briefing.pk, version.pk])


def _to_the_starting_point(client, briefing):
    baseline = list(selectors.document_versions(briefing))[-1]
    url = _revert_url(briefing, baseline)
    return url, form_data(client.get(url).content.decode(), "revert_form")


def test_reverting_asks_about_each_note_and_withdraws_the_ones_chosen(editor_client):
    police = Briefing.objects.get(slug="police")
    _edit_with_note(editor_client, police, "First addition.", "Added advice on first contact.")
    _edit_with_note(editor_client, police, "Second addition.", "Added advice on disclosure.")
    first, second = ChangeNote.objects.filter(briefing=police, kind="update").order_by("created")
    url, data = _to_the_starting_point(editor_client, police)
    page = editor_client.get(url).content.decode()
    assert "Added advice on first contact." in page
    assert "Added advice on disclosure." in page

    # Not choosing is not allowed: the note would be silently left announcing a change now gone.
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Choose what happens to this note." in response.content.decode()

    data[f"note_{first.pk}"] = "withdraw"
    data[f"note_{second.pk}"] = "amend"
    data[f"note_{second.pk}_text"] = "Advice on disclosure was added, then taken out for review."
    response = editor_client.post(url, data, follow=True)

    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.public
    assert second.public
    assert second.note == "Advice on disclosure was added, then taken out for review."
    public_page = editor_client.get(police.get_absolute_url()).content.decode()
    assert "Added advice on first contact." not in public_page
    assert "taken out for review" in public_page
    feed = editor_client.get("/feed/").content.decode()
    assert "Added advice on first contact." not in feed
    comment = selectors.document_versions(police).first().revision.comment
    assert "withdrew the note" in comment
    assert "amended the note" in comment
    message = next(str(m) for m in response.context["messages"])
    assert "by unknown" not in message
    assert "by the content files" in message


def test_an_amended_note_needs_its_text(editor_client):
    police = Briefing.objects.get(slug="police")
    _edit_with_note(editor_client, police, "An addition.", "Added a paragraph.")
    note = ChangeNote.objects.get(briefing=police, kind="update")
    url, data = _to_the_starting_point(editor_client, police)
    data[f"note_{note.pk}"] = "amend"
    data[f"note_{note.pk}_text"] = " "

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "Write the amended note, or withdraw it." in response.content.decode()
    note.refresh_from_db()
    assert note.public
    assert note.note == "Added a paragraph."


def test_the_revert_message_names_the_editor_who_made_the_restored_version(editor_client):
    police = Briefing.objects.get(slug="police")
    _edit_with_note(editor_client, police, "Kept addition.", "Added a kept paragraph.")
    _edit_with_note(editor_client, police, "Undone addition.", "Added a paragraph to undo.")
    kept_version = list(selectors.document_versions(police))[1]
    undone = ChangeNote.objects.get(note="Added a paragraph to undo.")
    url = _revert_url(police, kept_version)
    data = form_data(editor_client.get(url).content.decode(), "revert_form")
    assert f"note_{undone.pk}" in editor_client.get(url).context["form"].fields
    assert len(editor_client.get(url).context["form"].notes) == 1  # the kept note is not undone
    data[f"note_{undone.pk}"] = "keep"

    response = editor_client.post(url, data, follow=True)

    message = next(str(m) for m in response.context["messages"])
    assert message.endswith("The revert is itself a revision, so you can undo it.")
    assert " by editor." in message
    undone.refresh_from_db()
    assert undone.public
