"""Change notes: a change readers should know about is shown on the page and in the feed."""

import datetime
import xml.etree.ElementTree as ET

import time_machine
from django.urls import reverse
from django.utils import timezone

from briefings.models import Briefing, ChangeNote
from tests.support.admin_forms import briefing_form, save_briefing
from tests.support.clock import MOMENT

ATOM = "{http://www.w3.org/2005/Atom}"
NOTE = "We added advice on recording contact with young people who go missing."


def _save(client, briefing, **fields):
    data = briefing_form(client, briefing)
    data["intro"] = briefing.intro + " Edited."
    data.update(fields)
    return save_briefing(client, briefing, data)


def _feed_entries(client):
    response = client.get("/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - the portal's own feed
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.findtext(f"{ATOM}id"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def _updates(page):
    if 'id="updates"' not in page:
        return ""
    return page.split('<h2 id="updates">')[1].split("</section>")[0]


@time_machine.travel(MOMENT, tick=False)
def test_a_noteworthy_change_shows_on_the_page_and_in_the_feed(editor_client, client):
    briefing = Briefing.objects.get(slug="police")
    _save(editor_client, briefing, change_kind="noteworthy", change_note=NOTE)

    page = client.get("/documents/police/").content.decode()
    assert f"2 March 2026</time>: {NOTE}</li>" in _updates(page)
    assert '<a href="#updates">Updates to this page</a>' in page  # in the contents
    entries = _feed_entries(client)
    mine = [e for e in entries if e["summary"] == NOTE]
    assert len(mine) == 1
    assert mine[0]["title"] == f"Updated: {briefing.title}"
    assert mine[0]["link"] == "http://testserver/documents/police/#updates"
    assert ChangeNote.objects.get(note=NOTE).author.username == "editor"


def test_a_minor_change_leaves_no_public_note(editor_client, client):
    briefing = Briefing.objects.get(slug="police")
    before = _feed_entries(client)
    _save(editor_client, briefing, change_kind="minor")

    assert not ChangeNote.objects.filter(briefing=briefing).exists()
    page = client.get("/documents/police/").content.decode()
    assert "Updates to this page" not in page
    assert _feed_entries(client) == before


def test_saving_without_choosing_counts_as_a_minor_change(editor_client):
    briefing = Briefing.objects.get(slug="police")
    data = briefing_form(editor_client, briefing)
    assert data["change_kind"] == "minor"  # the form's default
    del data["change_kind"]
    save_briefing(editor_client, briefing, data)
    assert not ChangeNote.objects.exists()


def test_a_noteworthy_change_needs_its_note_and_a_note_needs_the_noteworthy_choice(editor_client):
    briefing = Briefing.objects.get(slug="police")
    url = reverse("admin:briefings_briefing_change", args=[briefing.pk])
    data = briefing_form(editor_client, briefing)

    missing = editor_client.post(url, {**data, "change_kind": "noteworthy", "change_note": " "})
    assert missing.status_code == 200
    assert "Write the note readers will see" in missing.content.decode()
    stray = editor_client.post(url, {**data, "change_kind": "minor", "change_note": NOTE})
    assert stray.status_code == 200
    assert "choose “Change readers should know about”" in stray.content.decode()
    assert not ChangeNote.objects.exists()


def test_updates_are_listed_newest_first_and_a_withdrawn_note_disappears(editor_client, client):
    briefing = Briefing.objects.get(slug="police")
    _save(editor_client, briefing, change_kind="noteworthy", change_note="First update.")
    ChangeNote.objects.filter(note="First update.").update(
        created=timezone.now() - datetime.timedelta(days=3)
    )
    _save(editor_client, briefing, change_kind="noteworthy", change_note="Second update.")

    updates = _updates(client.get("/documents/police/").content.decode())
    assert updates.index("Second update.") < updates.index("First update.")

    note = ChangeNote.objects.get(note="Second update.")
    note.public = False
    note.save()
    updates = _updates(client.get("/documents/police/").content.decode())
    assert "Second update." not in updates
    assert "First update." in updates


def test_notes_are_plain_text(editor_client, client):
    briefing = Briefing.objects.get(slug="police")
    _save(
        editor_client,
        briefing,
        change_kind="noteworthy",
        change_note='<script>alert("x")</script> Fixed a <b>link</b>.',
    )
    updates = _updates(client.get("/documents/police/").content.decode())
    assert "&lt;script&gt;" in updates
    assert "<script>" not in updates


def test_publishing_a_new_document_is_announced_once(editor_client, client):
    briefing = Briefing.objects.get(slug="police")
    briefing.status = "draft"
    briefing.slug = "brand-new"
    briefing.pk = None
    briefing.title = "A brand new document"
    briefing.save()
    changelist = reverse("admin:briefings_briefing_changelist")
    editor_client.post(
        changelist, {"action": "publish_selected", "_selected_action": [briefing.pk]}
    )

    note = ChangeNote.objects.get(briefing=briefing)
    assert (note.kind, note.note) == (ChangeNote.Kind.FIRST_PUBLISHED, "First published.")
    titles = [e["title"] for e in _feed_entries(client)]
    assert titles.count("Published: A brand new document") == 1
    # Unpublishing and publishing again is not a first publication.
    editor_client.post(changelist, {"action": "return_to_draft", "_selected_action": [briefing.pk]})
    editor_client.post(
        changelist, {"action": "publish_selected", "_selected_action": [briefing.pk]}
    )
    assert ChangeNote.objects.filter(briefing=briefing).count() == 1


def test_the_feed_lists_every_published_document_and_nothing_of_drafts(editor_client, client):
    police = Briefing.objects.get(slug="police")
    _save(editor_client, police, change_kind="noteworthy", change_note=NOTE)
    changelist = reverse("admin:briefings_briefing_changelist")
    editor_client.post(changelist, {"action": "return_to_draft", "_selected_action": [police.pk]})

    entries = _feed_entries(client)
    assert not [e for e in entries if "/documents/police/" in e["link"]]
    published = Briefing.objects.published()
    assert {e["link"] for e in entries} == {
        f"http://testserver{b.get_absolute_url()}" for b in published
    }
    assert len({e["id"] for e in entries}) == len(entries)


def test_every_page_points_feed_readers_at_the_feed(client, db):
    page = client.get("/").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Updates to the guidance" '
        'href="/feed/">'
    ) in page


def test_editors_can_correct_or_withdraw_notes_in_the_admin(editor_client):
    briefing = Briefing.objects.get(slug="police")
    _save(editor_client, briefing, change_kind="noteworthy", change_note="Typo in note.")
    note = ChangeNote.objects.get()
    url = reverse("admin:briefings_changenote_change", args=[note.pk])
    data = {
        "briefing": str(briefing.pk),
        "kind": "update",
        "created_0": timezone.localtime(note.created).strftime("%Y-%m-%d"),
        "created_1": timezone.localtime(note.created).strftime("%H:%M:%S"),
        "note": "Corrected note.",
    }
    assert editor_client.post(url, data).status_code == 302
    note.refresh_from_db()
    assert (note.note, note.public) == ("Corrected note.", False)


def test_a_note_with_markup_reaches_feed_readers_as_the_plain_text_it_is(editor_client, client):
    note = 'Fixed <b>bold</b> & <a href="javascript:alert(1)">links</a> <script>alert(1)</script>'
    briefing = Briefing.objects.get(slug="police")
    _save(editor_client, briefing, change_kind="noteworthy", change_note=note)

    root = ET.fromstring(client.get("/feed/").content)  # noqa: S314 - the portal's own feed
    summaries = [entry.find(f"{ATOM}summary") for entry in root.findall(f"{ATOM}entry")]
    assert summaries
    # Declared as text, a summary is shown exactly as written: never read as HTML.
    assert {summary.get("type") for summary in summaries} == {"text"}
    assert [s.text for s in summaries if s.text == note] == [note]
