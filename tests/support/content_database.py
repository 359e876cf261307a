"""A SQLite file database migrated and holding the curated content, built by the project's own
``manage.py`` in a separate interpreter (so the caller's settings and connections are untouched).

Used by tests that need a real database file (tests/conftest.py, ``sqlite_content_file``) and by
mutation testing (perf/mutation.py), which starts every test session from a copy of one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def build_content_database(path: Path) -> Path:
    """Migrate a new SQLite database at ``path`` and import the curated content into it."""
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"sqlite:///{path}",
    }
    for command in (["migrate", "--noinput"], ["import_briefings"]):
        done = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
            [sys.executable, "manage.py", *command, "-v", "0"],
            env=environ,
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {command[0]} failed:\n{done.stdout}{done.stderr}")
    return path
