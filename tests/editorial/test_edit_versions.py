"""The version check itself (briefings.editorial.conflicts), on SQLite and PostgreSQL: every
write moves a key's version on, once per save; a save expecting an old version writes nothing;
a lock refuses other editors; and two racing saves on PostgreSQL cannot both pass."""

from __future__ import annotations

import threading
import time

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

from briefings.editorial import conflicts, presence, services
from briefings.editorial.conflicts import DocumentLocked, EditConflict
from briefings.models import Briefing, EditRecord, KeyMessage, Role, Section, Theme


@pytest.fixture
def police(db):
    return Briefing.objects.get(slug="police")


def _version(police):
    return conflicts.current_version(conflicts.document_key(police.pk))


def _save(*objs, versions=None, user=None):
    """One save, as the admin makes it: expecting ``versions``, by ``user``, one transaction."""
    with conflicts.expecting(versions or {}, user), transaction.atomic():
        for obj in objs:
            obj.save()


def _section(police):
    return Section.objects.filter(briefing=police).exclude(body="").order_by("order").first()


@pytest.mark.django_db
def test_every_kind_of_write_to_a_document_moves_its_version(police, editor):
    writes = [
        lambda: _section(police).save(),
        lambda: KeyMessage.objects.filter(briefing=police).first().save(),
        lambda: police.save(),
        lambda: police.audiences.add(Role.objects.exclude(briefings=police).first()),
        lambda: police.citations.first().delete(),
        lambda: services.mark_reviewed(police, editor),
    ]
    for write in writes:
        before = _version(police)
        with transaction.atomic():
            write()
        assert _version(police) == before + 1


@pytest.mark.django_db
def test_a_save_of_many_rows_moves_the_version_once_and_records_who(police, editor):
    before = _version(police)
    sections = Section.objects.filter(briefing=police)[:5]
    _save(police, *sections, versions={conflicts.document_key(police.pk): before}, user=editor)
    assert _version(police) == before + 1
    record = EditRecord.objects.get(key=conflicts.document_key(police.pk), version=before + 1)
    assert record.user == editor


@pytest.mark.django_db
def test_a_save_expecting_an_old_version_writes_nothing(police, editor):
    key = conflicts.document_key(police.pk)
    opened = _version(police)
    with transaction.atomic():
        police.save()  # someone else's save
    section = _section(police)
    body = section.body

    section.body = "Overwritten."
    with pytest.raises(EditConflict):
        _save(section, versions={key: opened}, user=editor)

    section.refresh_from_db()
    assert section.body == body
    assert _version(police) == opened + 1


@pytest.mark.django_db
def test_writes_to_shared_rows_move_their_own_version_not_the_documents(police):
    theme = Theme.objects.first()
    key = conflicts.key_for(theme)
    before, document_before = conflicts.current_version(key), _version(police)
    with transaction.atomic():
        theme.description = "Changed."
        theme.save()
    assert conflicts.current_version(key) == before + 1
    assert _version(police) == document_before


@pytest.mark.django_db
def test_a_rolled_back_savepoint_moves_the_version_again_on_the_next_write(police):
    before = _version(police)
    with transaction.atomic():
        try:
            with transaction.atomic():
                police.save()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        assert _version(police) == before
        police.save()
    assert _version(police) == before + 1


@pytest.mark.django_db
def test_a_lock_refuses_other_editors_but_not_its_holder_nor_an_import(police, editor):
    other = User.objects.create_user("other", password="x" * 20, is_staff=True)
    presence.lock(police, editor, 30, "Rewriting the introduction")
    with pytest.raises(DocumentLocked, match="Rewriting the introduction"):
        _save(police, user=other)
    _save(police, user=editor)
    with transaction.atomic():
        police.save()  # no editor: a command


@pytest.mark.django_db
def test_an_expired_lock_refuses_nothing(police, editor):
    other = User.objects.create_user("other", password="x" * 20, is_staff=True)
    lock = presence.lock(police, editor, 15, "Briefly")
    lock.until = timezone.now() - timezone.timedelta(seconds=1)
    lock.save()
    _save(police, user=other)
    assert presence.active_lock(police) is None


@pytest.mark.django_db
def test_presence_shows_other_editors_until_their_marker_lapses(police, editor):
    other = User.objects.create_user("other", password="x" * 20, is_staff=True)
    key = conflicts.document_key(police.pk)
    long_ago = timezone.now() - timezone.timedelta(seconds=presence.PRESENCE_SECONDS + 1)
    presence.mark_present(key, other)
    assert [mark.user for mark in presence.others_present(key, editor)] == [other]
    assert presence.others_present(key, other) == []
    presence.mark_present(key, other, now=long_ago)
    assert presence.others_present(key, editor) == []


# ---- two application servers saving at once (PostgreSQL) -----------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_racing_saves_from_the_same_version_cannot_both_pass():
    if connection.vendor != "postgresql":
        # SQLite's IMMEDIATE transactions never overlap: the second waits before it starts.
        pytest.skip("the race needs concurrent transactions (the PostgreSQL run has them)")
    from tests.conftest import load_portal_content

    load_portal_content()
    police = Briefing.objects.get(slug="police")
    key = conflicts.document_key(police.pk)
    section_id = _section(police).pk
    opened = conflicts.current_version(key)
    first_holds = threading.Event()
    results = {}

    def editor(name, hold):
        try:
            with conflicts.expecting({key: opened}), transaction.atomic():
                section = Section.objects.get(pk=section_id)
                if not hold:
                    first_holds.wait(10)
                section.body += f"\n\nAdded by {name}."
                section.save()
                if hold:
                    first_holds.set()
                    time.sleep(0.5)  # the other save starts while this one holds the version
            results[name] = "saved"
        except EditConflict:
            results[name] = "refused"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=editor, args=("first", True)),
        threading.Thread(target=editor, args=("second", False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert results == {"first": "saved", "second": "refused"}
    body = Section.objects.get(pk=section_id).body
    assert "Added by first." in body
    assert "Added by second." not in body
    assert conflicts.current_version(key) == opened + 1
