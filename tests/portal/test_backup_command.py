"""`manage.py backup PATH`: a consistent online copy of the SQLite database."""

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

# sqlite_content_copy is copied from the test database.
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def backup(database, *args):
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "backup", *map(str, args)],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def count(path, table):
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


def test_the_copy_opens_and_holds_the_content(sqlite_content_copy, tmp_path):
    target = tmp_path / "copy.sqlite3"
    result = backup(sqlite_content_copy, target)
    assert result.returncode == 0, result.stderr
    assert "Backed up" in result.stdout
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # One self-contained file: no -wal needed beside it.
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        headings = {row[0] for row in copy.execute("SELECT heading FROM briefings_section")}
    for table in ("briefings_briefing", "briefings_section", "briefings_keymessage"):
        assert count(target, table) == count(sqlite_content_copy, table) > 0
    assert "Disrupting offenders" in headings


def test_a_write_committed_only_to_the_wal_is_in_the_copy(sqlite_content_copy, tmp_path):
    """A file copy of the main database file would miss this row; the backup API does not."""
    writer = sqlite3.connect(sqlite_content_copy)
    writer.execute("PRAGMA wal_autocheckpoint=0")  # keep the commit in the -wal file
    writer.execute("UPDATE briefings_glossaryterm SET expansion = 'Changed in the WAL'")
    writer.commit()
    assert Path(f"{sqlite_content_copy}-wal").stat().st_size > 0
    target = tmp_path / "copy.sqlite3"
    try:
        result = backup(sqlite_content_copy, target)
    finally:
        writer.close()
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(target) as copy:
        values = {row[0] for row in copy.execute("SELECT expansion FROM briefings_glossaryterm")}
    assert values == {"Changed in the WAL"}


def test_a_backup_taken_while_a_writer_writes_is_consistent(sqlite_content_copy, tmp_path):
    stop = threading.Event()
    written = []

    def write():
        db = sqlite3.connect(sqlite_content_copy, timeout=20)
        while not stop.is_set():
            db.execute(
                "INSERT INTO briefings_glossaryterm (term, expansion, note) VALUES (?, ?, '')",
                (f"T{len(written)}", "x"),
            )
            db.commit()
            written.append(1)
        db.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        target = tmp_path / "copy.sqlite3"
        result = backup(sqlite_content_copy, target)
    finally:
        stop.set()
        thread.join()
    assert result.returncode == 0, result.stderr
    assert written
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_an_existing_file_is_kept_unless_forced(sqlite_content_copy, tmp_path):
    target = tmp_path / "copy.sqlite3"
    target.write_text("precious")
    refused = backup(sqlite_content_copy, target)
    assert refused.returncode != 0
    assert "exists; pass --force" in refused.stderr
    assert target.read_text() == "precious"
    assert backup(sqlite_content_copy, target, "--force").returncode == 0
    assert count(target, "briefings_briefing") > 0


def test_the_sqlite_content_copy_cannot_be_its_own_backup(sqlite_content_copy):
    result = backup(sqlite_content_copy, sqlite_content_copy, "--force")
    assert result.returncode != 0
    assert "live database itself" in result.stderr


def test_other_databases_are_refused_with_a_pointer_to_their_tools(monkeypatch, tmp_path):
    monkeypatch.setattr(connection, "vendor", "postgresql")
    with pytest.raises(CommandError, match="pg_dump"):
        call_command("backup", str(tmp_path / "copy.sqlite3"))
