"""A slow admin save cannot make a trainer's save fail: the write lock is not held while Markdown
renders (SQLite in production mode: WAL, IMMEDIATE transactions, busy timeout)."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

# sqlite_content_copy is copied from the test database.
pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).resolve().parents[1] / "support" / "slow_admin_save.py"


def test_a_trainer_saves_a_pack_while_an_editors_save_is_still_rendering(
    sqlite_content_copy, tmp_path
):
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"sqlite:///{sqlite_content_copy}",
    }
    result = subprocess.run(  # noqa: S603 - our own script, no arguments
        [sys.executable, str(SCRIPT)],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == []
    # The editor's text was rendered (slowly) outside any transaction, with the lock free...
    assert outcome["slow_render_in_transaction"] == [False]
    assert outcome["lock_free_while_rendering"] == [True]
    # ...so the trainer's save went through while it rendered, and then the editor's did too.
    assert outcome["trainer_status"] == 302
    assert outcome["pack_saved"]
    assert outcome["editor_status"] == 302
    assert outcome["edit_saved"]
    assert (
        sqlite3.connect(sqlite_content_copy).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    )
