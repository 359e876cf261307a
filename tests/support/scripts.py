"""Running one of tests/support's scripts in a separate interpreter against a database: real
parallel requests or threads, each with its own connection, which one test process cannot make."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SUPPORT = Path(__file__).resolve().parent


def run_script(name: str, database_url: str, *args, cwd: Path) -> dict:
    """Run ``tests/support/<name>`` with the test settings and ``database_url``; its last line
    of output is a JSON outcome, returned. A failed script fails the test with its stderr."""
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": database_url,
    }
    result = subprocess.run(  # noqa: S603 - our own script with our own arguments
        [sys.executable, str(SUPPORT / name), *map(str, args)],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=cwd,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
