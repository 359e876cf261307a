"""A pack holds at most 60 items even when several adds arrive at once (issue 14: six concurrent
adds at 58 items once left 63).

The adds run as real parallel requests, each thread with its own database connection, in a
separate interpreter (tests/support/concurrent_pack_adds.py): against a file copy of the test
database on SQLite (an in-memory database cannot be shared), and against the test database itself
on PostgreSQL (so this test commits: it is transactional).
"""

import sqlite3
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.db import connection

from briefings.packs.models import MAX_ITEMS, Pack
from tests.conftest import load_portal_content
from tests.support.scripts import run_script

ADDERS, ROOM = 6, 2
ROUNDS = 3


def database_url(tmp_path):
    """A DATABASE_URL for another process that sees this test's committed content."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "race.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")  # as production runs it
        copy.close()
        return f"sqlite:///{path}"
    assert connection.vendor == "postgresql", connection.vendor
    user, password = quote(settings["USER"], safe=""), quote(settings["PASSWORD"], safe="")
    host, port = settings["HOST"] or "localhost", settings["PORT"] or "5432"
    return f"postgres://{user}:{password}@{host}:{port}/{settings['NAME']}"


def race(url, tmp_path):
    return run_script("concurrent_pack_adds.py", url, ADDERS, ROOM, cwd=tmp_path)


@pytest.mark.django_db(transaction=True)
def test_concurrent_adds_to_a_nearly_full_pack_stop_at_the_limit_with_a_message(tmp_path):
    load_portal_content()  # an earlier transactional test may have emptied the database
    for round_ in range(ROUNDS):
        workdir = tmp_path / f"round-{round_}"
        workdir.mkdir()
        url = database_url(workdir)
        outcome = race(url, workdir)
        answers = outcome["answers"]
        assert [a for a in answers if "error" in a] == [], answers
        # Every request answered: an add redirects to the editor; a refused one shows the form
        # again with the reason. Nothing else (no 500, no "database is locked").
        assert sorted(a["status"] for a in answers) == [200] * (ADDERS - ROOM) + [302] * ROOM
        assert all(a["refused_as_full"] for a in answers if a["status"] == 200), answers
        assert outcome["items"] == MAX_ITEMS
        if connection.vendor == "postgresql":
            assert Pack.objects.get(pk=outcome["pack"]).items.count() == MAX_ITEMS
            # The trainer goes, and their pack with them, before the next round.
            User.objects.filter(username="race-trainer").delete()
        else:
            items = sqlite3.connect(url.removeprefix("sqlite:///")).execute(
                "SELECT count(*) FROM briefings_packitem WHERE pack_id = ?", [outcome["pack"]]
            )
            assert items.fetchone()[0] == MAX_ITEMS
