"""A slow admin save cannot make a trainer's save fail: the write lock is not held while Markdown
renders (SQLite in production mode: WAL, IMMEDIATE transactions, busy timeout)."""

import sqlite3

import pytest

from tests.support.scripts import run_script

# sqlite_content_copy is copied from the test database.
pytestmark = pytest.mark.django_db


def test_a_trainer_saves_a_pack_while_an_editors_save_is_still_rendering(
    sqlite_content_copy, tmp_path
):
    outcome = run_script("slow_admin_save.py", f"sqlite:///{sqlite_content_copy}", cwd=tmp_path)
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
