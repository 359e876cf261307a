"""SQLite in production mode (WAL, IMMEDIATE transactions, busy timeout) under concurrent saves."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

# sqlite_content_copy is copied from the test database.
pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).resolve().parents[1] / "support" / "concurrent_edits.py"
# Enough to overlap: with DEFERRED transactions this load sees "database is locked" at once.
WRITERS, READERS, SAVES = 3, 3, 6


def run(database, tmp_path):
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    result = subprocess.run(  # noqa: S603 - our own script with numeric arguments
        [sys.executable, str(SCRIPT), str(WRITERS), str(READERS), str(SAVES)],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_concurrent_saves_and_reads_never_see_database_is_locked(sqlite_content_copy, tmp_path):
    outcome = run(sqlite_content_copy, tmp_path)
    assert not any("locked" in error for error in outcome["errors"]), outcome["errors"]
    assert outcome["errors"] == []
    assert outcome["saves"] == WRITERS * SAVES
    assert outcome["edits_in_database"] == WRITERS * SAVES  # no save was lost
    assert outcome["reads"] > 0
    mode = sqlite3.connect(sqlite_content_copy).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
