"""Who is editing what: the version each piece of content is at, who saved it, who has it open,
and who has locked it.

A content key names what an editor's form edits as one unit: a document with its sections, key
messages and citations (``briefings.briefing:12``), or a shared row on its own (a theme, a
reference, a glossary term, a change note). Every write to a key moves its version on, in the
same transaction as the write (``briefings.editorial.conflicts``); a form carries the version it
was opened from, so a save from an out-of-date form is refused. The version lives in the
database, not in a process, so it holds with several application servers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

KEY_MAX_LENGTH = 80
LOCK_REASON_MAX_LENGTH = 200


class EditVersion(models.Model):
    """The version a content key is at: one row per key, moved on by every write to it."""

    key = models.CharField(max_length=KEY_MAX_LENGTH, unique=True)
    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.key} at version {self.version}"


class EditRecord(models.Model):
    """One transaction's write to a key: which version it made, who (if an editor) and when.
    The conflict page names from these who saved since a form was opened."""

    key = models.CharField(max_length=KEY_MAX_LENGTH)
    version = models.BigIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="unique_edit_record_version")
        ]

    def __str__(self):
        return f"{self.key} version {self.version}"


class EditorPresence(models.Model):
    """An editor has a key's page open: refreshed while the page is open, stale soon after."""

    key = models.CharField(max_length=KEY_MAX_LENGTH)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "user"], name="unique_editor_presence")
        ]

    def __str__(self):
        return f"{self.user} on {self.key}"


class DocumentLock(models.Model):
    """An editor's lock on a document: until it expires, other editors' saves are refused."""

    briefing = models.OneToOneField(
        "briefings.Briefing", on_delete=models.CASCADE, related_name="edit_lock"
    )
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=LOCK_REASON_MAX_LENGTH)
    locked_at = models.DateTimeField()
    until = models.DateTimeField()

    def __str__(self):
        return f"{self.briefing} locked by {self.locked_by}"

    def is_active(self, now) -> bool:
        return self.until > now


# Bookkeeping of editing, not guidance: no public page shows these rows, so saving them never
# renews the page cache's content version (models.PAGE_CONTENT leaves them out).
EDITING_STATE = (EditVersion, EditRecord, EditorPresence, DocumentLock)
