"""SQLite in production mode (WAL, IMMEDIATE transactions, busy timeout) under concurrent saves."""

import sqlite3

import pytest

from tests.support.scripts import run_script

# sqlite_content_copy is copied from the test database.
pytestmark = pytest.mark.django_db

# Enough to overlap: with DEFERRED transactions this load sees "database is locked" at once.
WRITERS, READERS, SAVES = 3, 3, 6


def run(database, tmp_path):
    return run_script(
        "concurrent_edits.py", f"sqlite:///{database}", WRITERS, READERS, SAVES, cwd=tmp_path
    )


def test_concurrent_saves_and_reads_never_see_database_is_locked(sqlite_content_copy, tmp_path):
    outcome = run(sqlite_content_copy, tmp_path)
    assert not any("locked" in error for error in outcome["errors"]), outcome["errors"]
    assert outcome["errors"] == []
    assert outcome["saves"] == WRITERS * SAVES
    assert outcome["edits_in_database"] == WRITERS * SAVES  # no save was lost
    assert outcome["reads"] > 0
    mode = sqlite3.connect(sqlite_content_copy).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
