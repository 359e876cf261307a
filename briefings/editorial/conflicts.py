"""Two editors never overwrite each other silently: content versions, checked in the database.

Every write to a content key (``briefings.models.editing``) moves its version on, in the same
transaction as the write: a ``pre_save``/``pre_delete`` receiver bumps the key's ``EditVersion``
row before the first write of each transaction, so the admin, the services, a revert and
``import_briefings`` all move it, and an editor's open form becomes out of date.

A save made from a form carries the version the form was opened from (``expecting``). The bump
for that key is then a conditional UPDATE (``... WHERE version = <expected>``): if another save
moved the version on, no row matches, ``EditConflict`` is raised, and the transaction, with every
write it made, is rolled back. On PostgreSQL the UPDATE waits for a concurrent writer of the same
key to finish and then re-checks the row, so two racing saves cannot both pass; on SQLite the
write transactions are IMMEDIATE, so they never overlap. Taking the version row first, before any
content row, also keeps two saves of one document from deadlocking.

A document locked by one editor refuses every other editor's writes to it (``DocumentLocked``);
writes with no editor behind them (the import command) are not refused, but still move the
version on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import reversion
from django.db import connections, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, pre_delete, pre_save
from django.utils import timezone

from ..models import (
    Briefing,
    ChangeNote,
    Citation,
    DocumentLock,
    EditRecord,
    EditVersion,
    GlossaryTerm,
    KeyMessage,
    Reference,
    Section,
    Theme,
)

# What a change form edits as one unit. Sections, key messages and citations are edited on the
# document's page as well as their own, so they share the document's key.
OWN_KEY = (Briefing, ChangeNote, Theme, Reference, GlossaryTerm)
DOCUMENT_PARTS = (Section, KeyMessage, Citation)
DOCUMENT_PREFIX = "briefings.briefing:"

_expected: ContextVar[dict[str, int] | None] = ContextVar("expected_versions", default=None)
_writer: ContextVar[object | None] = ContextVar("edit_writer", default=None)


class EditRefused(Exception):
    """A write that was not made; the message is for the editor."""


class EditConflict(EditRefused):
    def __init__(self, key: str, expected: int, current: int):
        self.key, self.expected, self.current = key, expected, current
        super().__init__(
            "Someone else saved this since you opened it, so your save was not applied."
        )


class DocumentLocked(EditRefused):
    def __init__(self, lock: DocumentLock):
        self.lock = lock
        until = timezone.localtime(lock.until).strftime("%H:%M on %d %B %Y")
        super().__init__(
            f"“{lock.briefing}” is locked by {editor_name(lock.locked_by)} until {until} "
            f"({lock.reason}). Nothing was saved; ask them, or try again after the lock ends."
        )


def editor_name(user) -> str:
    if user is None:
        return "an import or script (no editor)"
    return user.get_full_name() or user.get_username()


# ---- keys and versions ---------------------------------------------------------------------------


def document_key(briefing_id) -> str:
    return f"{DOCUMENT_PREFIX}{briefing_id}"


def key_for(obj) -> str | None:
    """The content key a row belongs to, or None for a row not yet written."""
    if isinstance(obj, DOCUMENT_PARTS):
        return document_key(obj.briefing_id) if obj.briefing_id else None
    if isinstance(obj, OWN_KEY) and obj.pk is not None:
        return f"{obj._meta.label_lower}:{obj.pk}"
    return None


def current_version(key: str, using: str = "default") -> int:
    """The version ``key`` is at now (0 before its first recorded write)."""
    found = EditVersion.objects.using(using).filter(key=key).values_list("version", flat=True)
    return found.first() or 0


def document_versions() -> dict[int, int]:
    """Every document's version, by document id (a document never written through the version
    check is absent: its version is 0). One query, for a form that may change any of them."""
    rows = EditVersion.objects.filter(key__startswith=DOCUMENT_PREFIX).values_list("key", "version")
    return {int(key.removeprefix(DOCUMENT_PREFIX)): version for key, version in rows}


def saved_since(key: str, version: int):
    """The writes to ``key`` after ``version``, oldest first, with who made them."""
    return (
        EditRecord.objects.filter(key=key, version__gt=version)
        .select_related("user")
        .order_by("version")
    )


@contextmanager
def expecting(versions: dict[str, int], user=None) -> Iterator[None]:
    """Around a save made from a form opened at ``versions`` (key → version), by ``user``: the
    first write to each key raises ``EditConflict`` if it has moved on since."""
    expected_token = _expected.set({**(_expected.get() or {}), **versions})
    writer_token = _writer.set(user) if user is not None else None
    try:
        yield
    finally:
        _expected.reset(expected_token)
        if writer_token is not None:
            _writer.reset(writer_token)


def current_writer():
    """The editor behind the writes being made: as set by ``expecting``, else the user of the
    revision being recorded, else None (an import, a script)."""
    writer = _writer.get()
    if writer is None and reversion.is_active():
        writer = reversion.get_user()
    return writer if writer is not None and writer.is_authenticated else None


# ---- moving a version on -------------------------------------------------------------------------


class _Touched:
    """Registered with ``on_commit`` when a key is bumped inside a transaction: while it is still
    in the connection's list, that transaction (or savepoint) has bumped the key and holds its
    row. A savepoint rolled back drops it from the list, and the key is bumped again.

    ``scope`` is the ``expecting`` block (one save) the bump was made in: the save's further
    writes are not bumped again, and a different save in the same transaction (as tests run)
    is checked afresh. A write outside any such block is not bumped again within the savepoint
    that bumped it."""

    __slots__ = ("key", "markers", "scope")

    def __init__(self, markers, key, scope):
        self.markers, self.key, self.scope = markers, key, scope

    def __call__(self):
        if self.markers.get(self.key) is self:
            del self.markers[self.key]


def _already_touched(connection, key, scope) -> bool:
    if not connection.in_atomic_block:
        return False
    marker = getattr(connection, "_edit_markers", {}).get(key)
    if marker is None:
        return False
    # Django keeps on_commit callbacks as (savepoint ids, callback, robust) until the commit.
    for savepoints, callback, _robust in connection.run_on_commit:
        if callback is marker:
            if scope is not None:
                return marker.scope is scope
            return savepoints <= set(connection.savepoint_ids)
    return False


def _remember(connection, key, scope) -> None:
    if not connection.in_atomic_block:
        return
    markers = connection.__dict__.setdefault("_edit_markers", {})
    marker = markers[key] = _Touched(markers, key, scope)
    transaction.on_commit(marker, using=connection.alias)


def _check_lock(key, writer, now, using) -> None:
    if writer is None or not key.startswith(DOCUMENT_PREFIX):
        return
    lock = (
        DocumentLock.objects.using(using)
        .filter(briefing_id=int(key.removeprefix(DOCUMENT_PREFIX)), until__gt=now)
        .exclude(locked_by=writer)
        .select_related("locked_by", "briefing")
        .first()
    )
    if lock is not None:
        raise DocumentLocked(lock)


def _bump(key, expected, now, using) -> int:
    versions = EditVersion.objects.using(using)
    rows = versions.filter(key=key)
    if expected is not None:
        rows = rows.filter(version=expected)
    changed = rows.update(version=F("version") + 1, changed_at=now)
    if not changed:
        # The key's first write: make its row (another writer may make it at the same moment).
        versions.bulk_create([EditVersion(key=key, version=0)], ignore_conflicts=True)
        changed = rows.update(version=F("version") + 1, changed_at=now)
    if not changed:
        raise EditConflict(key, expected, current_version(key, using))
    return versions.filter(key=key).values_list("version", flat=True).get()


def touch(key: str, using: str = "default") -> None:
    """Before a write to ``key``: refuse it if the document is locked by someone else or the
    version has moved on from the one expected; else move the version on (once a transaction)."""
    connection = connections[using]
    scope = _expected.get()
    expected = (scope or {}).get(key)
    if _already_touched(connection, key, scope):
        return
    writer = current_writer()
    now = timezone.now()
    # One transaction for the bump and its record, also when the write itself has none.
    with transaction.atomic(using=using, savepoint=False):
        _check_lock(key, writer, now, using)
        version = _bump(key, expected, now, using)
        EditRecord.objects.using(using).create(key=key, version=version, user=writer, at=now)
    _remember(connection, key, scope)


# ---- the receivers: every write of a content row -----------------------------------------------


def _before_write(sender, instance, using, **kwargs):
    key = key_for(instance)
    if key is not None:
        touch(key, using)


def _before_audiences_change(sender, instance, action, reverse, pk_set, using, **kwargs):
    if not action.startswith("pre_"):
        return
    ids = (pk_set or ()) if reverse else [instance.pk]
    for briefing_id in sorted(ids):
        touch(document_key(briefing_id), using)


def connect() -> None:
    """Called once from ``BriefingsConfig.ready``."""
    for model in (*OWN_KEY, *DOCUMENT_PARTS):
        uid = f"edit-version-{model._meta.label_lower}"
        pre_save.connect(_before_write, sender=model, dispatch_uid=f"{uid}-save")
        pre_delete.connect(_before_write, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(
        _before_audiences_change,
        sender=Briefing.audiences.through,
        dispatch_uid="edit-version-audiences",
    )
