"""The editorial workflow's writes: publish, schedule, return to draft, mark reviewed, change
notes, revisions, revert and recover.

Every change to a document is recorded as a revision (who, when, why) so it can be undone, and
every text is rendered before the write transaction opens (``briefings.rendering``). The admin
actions, the admin's change forms, the importer and the management commands all come through here;
the reads are in ``selectors.py``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import reversion
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst

from ..models import Briefing, ChangeNote, Section, Status
from . import revisions, selectors
from .revisions import ImportRevisions, RevisionError

# "Mark as reviewed" sets the next review this far ahead.
REVIEW_INTERVAL_DAYS = 365

__all__ = [
    "AMEND_NOTE",
    "KEEP_NOTE",
    "RECOVERABLE",
    "REVIEW_INTERVAL_DAYS",
    "WITHDRAW_NOTE",
    "ChangeAccount",
    "NoteDecision",
    "RevisionError",
    "add_change_note",
    "editing",
    "ensure_starting_point",
    "mark_reviewed",
    "note_first_publication",
    "publish",
    "record_before_deleting",
    "record_document_edit",
    "record_part_edit",
    "record_parts_deleted",
    "recover",
    "return_to_draft",
    "revert",
    "schedule",
    "start_import_revisions",
]


@dataclass(frozen=True)
class ChangeAccount:
    """An editor's account of a change: a comment for the history, a note for readers."""

    comment: str = ""  # for editors, in the document's history
    note: str = ""  # for readers, under "Updates to this page"; empty for a minor change


# ---- change notes -------------------------------------------------------------------------------


def add_change_note(briefing, note: str, user, *, kind=ChangeNote.Kind.UPDATE, created=None):
    """Tell readers what changed: a note under "Updates to this page" and in the feed."""
    return ChangeNote.objects.create(
        briefing=briefing,
        kind=kind,
        note=note,
        author=user,
        created=created or timezone.now(),
    )


def _publication_date(briefing):
    now = timezone.now()
    return max(now, briefing.publish_from) if briefing.publish_from else now


def note_first_publication(briefing, user, *, previous_status: str | None) -> bool:
    """After a save: a document published for the first time gets a "First published." note.

    ``previous_status``: the document's status before the save, None for a new document. The
    note is dated when readers first see the document (its publish date, if later).
    """
    if briefing.status != Status.PUBLISHED or previous_status == Status.PUBLISHED:
        return False
    if previous_status is not None and selectors.ever_published(briefing):
        return False
    add_change_note(
        briefing,
        "First published.",
        user,
        kind=ChangeNote.Kind.FIRST_PUBLISHED,
        created=_publication_date(briefing),
    )
    return True


# ---- edits made through the admin's forms -------------------------------------------------------


def ensure_starting_point(briefing) -> bool:
    """Record the document as it is now if no revision holds it yet, so the next change to it
    (an edit, a deletion) can be undone. Outside any transaction that will render."""
    return revisions.ensure_baseline(briefing)


@contextmanager
def editing(briefing: Briefing | None, user) -> Iterator[None]:
    """Around a document edit whose writes are made by the caller (the admin's change forms).

    A document with no revision yet gets its starting point first, so the edit can be undone;
    then the block is one transaction and one revision, by ``user``. Render before entering it.
    """
    if briefing is not None:
        ensure_starting_point(briefing)
    with reversion.create_revision():
        reversion.set_user(user)
        yield


def record_document_edit(briefing, user, account: ChangeAccount, summary: str) -> None:
    """Within ``editing``, after the writes: the document as saved, with the editor's comment
    (else ``summary``, what the form changed) and the note for readers, if any."""
    revisions.record_document(briefing)
    comment = account.comment or summary
    if account.note:
        add_change_note(briefing, account.note, user)
        comment = f"{comment} Note for readers: {account.note}"
    reversion.set_comment(comment)


def record_part_edit(part, summary: str, user=None, account: ChangeAccount | None = None) -> None:
    """Within ``editing``: a section or key message saved on its own page is an edit of its
    document, recorded whole, so the document's history shows it like any other; with the
    editor's comment (else ``summary``) and the note for readers, if any, as on the document."""
    account = account or ChangeAccount()
    revisions.record_document(part.briefing)
    comment = f"{capfirst(part._meta.verbose_name)} “{part}”: {account.comment or summary}"
    if account.note:
        add_change_note(part.briefing, account.note, user)
        comment = f"{comment} Note for readers: {account.note}"
    reversion.set_comment(comment)


def record_before_deleting(briefings: Iterable[Briefing], user) -> None:
    """Before documents are deleted: their last revision is what "Recover" brings back."""
    for briefing in briefings:
        with reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(
                f"Deleted by {user.get_username()}; this is the document as it was."
            )
            revisions.record_document(briefing)


def record_parts_deleted(briefing, user, comment: str) -> None:
    """After sections or key messages were deleted from their own pages; call
    ``ensure_starting_point`` before deleting, so the deleted parts can be recovered."""
    revisions.record_deletion(briefing, user, comment)


# ---- the workflow's own steps -------------------------------------------------------------------


def _save_revision(briefing, user, comment: str, fields: dict, then=None) -> None:
    """Set ``fields`` and save the document as a revision; its texts are rendered first, then
    one transaction holds the save, ``then()`` and the revision."""
    for name, value in fields.items():
        setattr(briefing, name, value)
    briefing.prerender()
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        briefing.save()
        revisions.record_document(briefing)
        if then is not None:
            then()


def publish(briefing, user) -> bool:
    """Publish a draft document; False if it was published already."""
    return _publish(briefing, user, publish_from=briefing.publish_from, comment="Published.")


def schedule(briefing, user, when: datetime.datetime) -> bool:
    """Publish the document from ``when`` on: it stays hidden from readers until then."""
    comment = (
        f"Scheduled: readers see it from {date_format(timezone.localtime(when), 'j F Y, H:i')}."
    )
    return _publish(briefing, user, publish_from=when, comment=comment)


def _publish(briefing, user, *, publish_from, comment) -> bool:
    previous = briefing.status
    if previous == Status.PUBLISHED and briefing.publish_from == publish_from:
        return False
    revisions.ensure_baseline(briefing)
    _save_revision(
        briefing,
        user,
        comment,
        {"status": Status.PUBLISHED, "publish_from": publish_from},
        then=lambda: note_first_publication(briefing, user, previous_status=previous),
    )
    return True


def return_to_draft(briefing, user) -> bool:
    """Hide a published document from readers; False if it was a draft already."""
    if briefing.status == Status.DRAFT:
        return False
    revisions.ensure_baseline(briefing)
    comment = "Returned to draft: hidden from readers."
    _save_revision(briefing, user, comment, {"status": Status.DRAFT})
    return True


def mark_reviewed(briefing, user, today: datetime.date | None = None) -> None:
    """The document was reviewed ``today``; its next review is due a year on."""
    today = today or timezone.localdate()
    revisions.ensure_baseline(briefing)
    next_review = today + datetime.timedelta(days=REVIEW_INTERVAL_DAYS)
    fields = {"last_reviewed": today, "next_review_due": next_review}
    _save_revision(briefing, user, "Reviewed.", fields)


# ---- going back ---------------------------------------------------------------------------------


KEEP_NOTE, WITHDRAW_NOTE, AMEND_NOTE = "keep", "withdraw", "amend"


@dataclass(frozen=True)
class NoteDecision:
    """What a revert does with a public note about a change it undoes."""

    note_id: int
    action: str  # KEEP_NOTE, WITHDRAW_NOTE or AMEND_NOTE
    text: str = ""  # the amended note, for AMEND_NOTE


def _apply_note_decisions(briefing, decisions: Iterable[NoteDecision]) -> list[str]:
    """Withdraw or amend the document's notes as decided; what was done, for the history."""
    done = []
    notes = {note.pk: note for note in briefing.change_notes.all()}
    for decision in decisions:
        note = notes.get(decision.note_id)
        if note is None or decision.action == KEEP_NOTE:
            continue
        if decision.action == WITHDRAW_NOTE:
            note.public = False
            note.save(update_fields=["public"])
            done.append(f"withdrew the note “{note.note}”")
        elif decision.action == AMEND_NOTE:
            done.append(f"amended the note “{note.note}” to “{decision.text}”")
            note.note = decision.text
            note.save(update_fields=["note"])
    return done


def revert(
    briefing,
    version,
    user,
    account: ChangeAccount | None = None,
    notes: Iterable[NoteDecision] = (),
) -> Briefing:
    """Restore the document to ``version``, recorded as a new revision (so it can be undone).

    ``notes``: what to do with each public note about a change the revert undoes
    (``selectors.notes_undone_by_revert``); done in the revert's transaction.
    Raises RevisionError, with a message for the editor, when it cannot be restored.
    """
    account = account or ChangeAccount()
    comment = account.comment or (
        f"Reverted to the version of {selectors.describe_revision(version.revision)}."
    )
    decisions = list(notes)

    def then():
        done = _apply_note_decisions(briefing, decisions)
        if account.note:
            add_change_note(briefing, account.note, user)
        if done:
            reversion.set_comment(f"{comment} Notes for readers: {'; '.join(done)}.")

    return revisions.revert_document(briefing, version, user, comment, then=then)


RECOVERABLE = (Briefing, Section)


def recover(version, user) -> Briefing | Section:
    """Bring back a deleted document or section, with its ids and permanent links.

    Raises RevisionError when ``version`` is neither, or cannot be recovered.
    """
    if version._model is Section:
        return revisions.recover_section(version, user)
    if version._model is Briefing:
        return revisions.recover_document(version, user)
    raise RevisionError("That is not a version of a document or a section.")


# ---- imports ------------------------------------------------------------------------------------


def start_import_revisions(comments: dict[str, str]) -> ImportRevisions:
    """Before an import writes: a starting point for each document it may change. Call
    ``record()`` on the result after the writes: each document that changed gets a revision
    with its comment from ``comments`` (by slug)."""
    return ImportRevisions(comments)
