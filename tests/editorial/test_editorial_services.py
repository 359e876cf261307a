"""The editorial services, called directly: each change is a revision (who, when, why) that can be
undone, with a note for readers when they should know."""

import datetime

import pytest
import reversion
from django.utils import timezone
from reversion.models import Version

from briefings.editorial import selectors, services
from briefings.editorial.revisions import BASELINE_COMMENT
from briefings.models import Briefing, ChangeNote, KeyMessage, Status


@pytest.fixture
def police(db):
    return Briefing.objects.get(slug="police")


def _comments(briefing):
    return [v.revision.comment for v in selectors.document_versions(briefing)]


def test_add_change_note_tells_readers_with_its_author(police, editor):
    note = services.add_change_note(police, "Added advice on missing children.", editor)
    assert note.kind == ChangeNote.Kind.UPDATE
    assert note.author == editor
    assert list(police.change_notes.shown()) == [note]


def test_a_first_publication_gets_its_note_dated_when_readers_first_see_it(police, editor):
    later = timezone.now() + datetime.timedelta(days=3)
    police.publish_from = later
    assert services.note_first_publication(police, editor, previous_status=None)
    note = police.change_notes.get()
    assert (note.kind, note.note, note.created) == ("published", "First published.", later)
    # Published already, or published before: no second note.
    assert not services.note_first_publication(police, editor, previous_status=Status.PUBLISHED)
    assert police.change_notes.count() == 1


def test_a_document_published_before_gets_no_first_publication_note_again(police, editor):
    services.ensure_starting_point(police)  # a revision holding it published
    police.status = Status.DRAFT
    police.save()
    police.status = Status.PUBLISHED
    assert not services.note_first_publication(police, editor, previous_status=Status.DRAFT)
    assert not police.change_notes.exists()


def test_publish_makes_a_draft_visible_and_records_it(police, editor):
    Briefing.objects.filter(pk=police.pk).update(status=Status.DRAFT)
    police.refresh_from_db()
    assert services.publish(police, editor)
    police.refresh_from_db()
    assert police in Briefing.objects.published()
    latest = selectors.document_versions(police).first().revision
    assert (latest.comment, latest.user) == ("Published.", editor)
    assert police.change_notes.get().note == "First published."
    assert not services.publish(police, editor)  # already published: nothing recorded
    assert len(_comments(police)) == 2


def test_schedule_publishes_from_a_time_and_hides_the_document_until_then(police, editor):
    Briefing.objects.filter(pk=police.pk).update(status=Status.DRAFT)
    police.refresh_from_db()
    when = timezone.now() + datetime.timedelta(days=7)
    assert services.schedule(police, editor, when)
    police.refresh_from_db()
    assert (police.status, police.publish_from) == (Status.PUBLISHED, when)
    assert police not in Briefing.objects.published()
    assert police in Briefing.objects.published(when + datetime.timedelta(minutes=1))
    assert police.change_notes.get().created == when
    assert _comments(police)[0].startswith("Scheduled: readers see it from ")


def test_return_to_draft_hides_a_document(police, editor):
    assert services.return_to_draft(police, editor)
    police.refresh_from_db()
    assert police.status == Status.DRAFT
    assert _comments(police)[0] == "Returned to draft: hidden from readers."
    assert not services.return_to_draft(police, editor)


def test_mark_reviewed_sets_both_review_dates(police, editor):
    services.mark_reviewed(police, editor, today=datetime.date(2026, 3, 2))
    police.refresh_from_db()
    assert police.last_reviewed == datetime.date(2026, 3, 2)
    assert police.next_review_due == datetime.date(2027, 3, 2)
    assert _comments(police)[0] == "Reviewed."


def test_an_edit_made_in_editing_is_one_revision_with_the_comment_and_note(police, editor):
    section = police.sections.get(key="barriers-to-engagement")
    account = services.ChangeAccount(comment="Author's correction.", note="Corrected a date.")
    with services.editing(police, editor):
        section.body += "\n\nAnother paragraph."
        section.save()
        services.record_document_edit(police, editor, account, "Changed body.")
    assert _comments(police) == [
        "Author's correction. Note for readers: Corrected a date.",
        BASELINE_COMMENT,
    ]
    assert police.change_notes.get().note == "Corrected a date."
    with services.editing(police, editor):
        services.record_document_edit(police, editor, services.ChangeAccount(), "Changed title.")
    assert _comments(police)[0] == "Changed title."


def test_an_edit_of_a_part_is_recorded_as_a_revision_of_its_document(police, editor):
    message = KeyMessage.objects.filter(briefing=police).first()
    with services.editing(police, editor):
        services.record_part_edit(message, "Changed text.")
    assert _comments(police)[0] == f"Key message “{message}”: Changed text."


def test_the_starting_point_is_recorded_once(police):
    assert services.ensure_starting_point(police)
    assert not services.ensure_starting_point(police)
    assert _comments(police) == [BASELINE_COMMENT]


def test_revert_restores_a_version_with_a_note_for_readers(police, editor):
    section = police.sections.get(key="barriers-to-engagement")
    body = section.body
    services.ensure_starting_point(police)
    with services.editing(police, editor):
        section.body = "Replaced."
        section.save()
        services.record_document_edit(police, editor, services.ChangeAccount(), "Changed.")
    baseline = selectors.document_versions(police).last()
    account = services.ChangeAccount(note="Restored the earlier advice.")
    services.revert(police, baseline, editor, account)
    section.refresh_from_db()
    assert section.body == body
    assert _comments(police)[0].startswith("Reverted to the version of ")
    assert police.change_notes.get().note == "Restored the earlier advice."


def test_revert_refuses_a_version_of_another_document(police, editor):
    other = Briefing.objects.get(slug="social-workers")
    services.ensure_starting_point(other)
    with pytest.raises(services.RevisionError):
        services.revert(police, selectors.document_versions(other).first(), editor)


def test_a_deleted_section_and_a_deleted_document_are_recovered_with_their_ids(police, editor):
    section = police.sections.get(key="barriers-to-engagement")
    section_pk, police_pk = section.pk, police.pk
    services.ensure_starting_point(police)
    section.delete()
    services.record_parts_deleted(police, editor, "Deleted a section.")
    recovered = services.recover(selectors.deleted_sections(police_pk)[0].version, editor)
    assert (recovered.pk, recovered.body_html) == (section_pk, section.body_html)
    assert _comments(police)[0] == f"Recovered the deleted section “{section}”."

    services.record_before_deleting([police], editor)
    police.delete()
    document = services.recover(selectors.deleted_documents()[0].version, editor)
    assert document.pk == police_pk
    assert document.sections.filter(pk=section_pk).exists()


def test_recover_refuses_a_version_that_is_neither_a_document_nor_a_section(police, editor):
    message = KeyMessage.objects.filter(briefing=police).first()
    with reversion.create_revision():
        reversion.add_to_revision(message)
    with pytest.raises(services.RevisionError):
        services.recover(Version.objects.get_for_object(message).first(), editor)


def test_import_revisions_record_the_documents_that_changed_only(police):
    other = Briefing.objects.get(slug="social-workers")
    recorder = services.start_import_revisions(
        {"police": "Imported from police.md.", "social-workers": "Imported from sw.md."}
    )
    police.title += " (revised)"
    police.save()
    assert recorder.record() == 1
    assert _comments(police)[0] == "Imported from police.md."
    assert not selectors.document_versions(other).exists()
