"""Who else has a document open, and document locks (as Wagtail offers).

Presence is a short-lived marker per editor and content key, refreshed while the page is open
(on each page load and by a small script, ``static/js/admin-presence.js``); one not refreshed for
``PRESENCE_SECONDS`` is gone. A lock is held by one editor for a stated time with a reason; until
it ends, ``briefings.editorial.conflicts`` refuses every other editor's write to the document.
Both live in the database, so every application server sees them.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import DocumentLock, EditorPresence

# The page refreshes its marker every PRESENCE_REFRESH_SECONDS; a marker older than
# PRESENCE_SECONDS (a closed tab, a lost connection) no longer counts.
PRESENCE_REFRESH_SECONDS = 30
PRESENCE_SECONDS = 90
# How long an editor may lock a document for, in minutes, as the lock form offers it.
LOCK_DURATIONS = [
    (15, "15 minutes"),
    (30, "30 minutes"),
    (60, "1 hour"),
    (120, "2 hours"),
    (240, "4 hours"),
    (480, "8 hours"),
    (1440, "1 day"),
]


class LockError(Exception):
    """A lock that could not be taken or released; the message is for the editor."""


# ---- presence ------------------------------------------------------------------------------------


def mark_present(key: str, user, now=None) -> None:
    """``user`` has ``key``'s page open now."""
    now = now or timezone.now()
    if EditorPresence.objects.filter(key=key, user=user).update(seen_at=now):
        return
    try:
        with transaction.atomic():
            EditorPresence.objects.create(key=key, user=user, seen_at=now)
    except IntegrityError:  # the same editor's other tab made it first
        EditorPresence.objects.filter(key=key, user=user).update(seen_at=now)


def others_present(key: str, user, now=None) -> list[EditorPresence]:
    """The other editors with ``key``'s page open, longest there first."""
    now = now or timezone.now()
    since = now - datetime.timedelta(seconds=PRESENCE_SECONDS)
    return list(
        EditorPresence.objects.filter(key=key, seen_at__gte=since)
        .exclude(user=user)
        .select_related("user")
        .order_by("user__username")
    )


# ---- locks ---------------------------------------------------------------------------------------


def active_lock(briefing, now=None) -> DocumentLock | None:
    """The document's lock, if one holds now."""
    now = now or timezone.now()
    return (
        DocumentLock.objects.filter(briefing=briefing, until__gt=now)
        .select_related("locked_by")
        .first()
    )


def lock(briefing, user, minutes: int, reason: str, now=None) -> DocumentLock:
    """Lock the document for ``minutes`` with ``reason``: others' saves are refused until then.
    Raises LockError when another editor holds a lock on it now."""
    now = now or timezone.now()
    until = now + datetime.timedelta(minutes=minutes)
    with transaction.atomic():
        held = DocumentLock.objects.select_for_update().filter(briefing=briefing).first()
        if held is not None and held.is_active(now) and held.locked_by_id != user.pk:
            raise LockError(f"It is already locked by {held.locked_by.get_username()}.")
        fields = {"locked_by": user, "reason": reason, "locked_at": now, "until": until}
        if held is None:
            try:
                with transaction.atomic():
                    return DocumentLock.objects.create(briefing=briefing, **fields)
            except IntegrityError:
                raise LockError("Another editor locked it at the same moment.") from None
        for name, value in fields.items():
            setattr(held, name, value)
        held.save()
        return held


def unlock(briefing, user) -> bool:
    """Release the document's lock: its holder may, and an administrator (superuser). False if
    there was no lock to release; LockError if someone else holds it."""
    now = timezone.now()
    held = active_lock(briefing, now)
    if held is None:
        return False
    if held.locked_by_id != user.pk and not user.is_superuser:
        raise LockError(f"Only {held.locked_by.get_username()} can unlock it.")
    return bool(DocumentLock.objects.filter(pk=held.pk).delete()[0])
