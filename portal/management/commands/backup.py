"""Copy the live SQLite database to a file with SQLite's online backup API.

A plain file copy of a database in WAL mode can miss committed pages still in the -wal file or
catch a page half-written; the backup API copies a consistent snapshot while readers and writers
carry on.
"""

import os
import sqlite3
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections


class Command(BaseCommand):
    help = "Make a consistent online copy of the SQLite database at PATH (see README: restore)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the copy.")
        parser.add_argument("--force", action="store_true", help="Replace PATH if it exists.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, path, force, database, **options):
        connection = connections[database]
        if connection.vendor != "sqlite":
            raise CommandError(
                f"backup copies SQLite databases; this one is {connection.vendor}. "
                "Use that server's own tools (for PostgreSQL, pg_dump)."
            )
        target = Path(path).expanduser().resolve()
        if target.exists() and not force:
            raise CommandError(f"{target} exists; pass --force to replace it.")
        if not target.parent.is_dir():
            raise CommandError(f"{target.parent} is not a directory.")
        source_name = str(connection.settings_dict["NAME"])
        if Path(source_name).resolve() == target:
            raise CommandError("PATH is the live database itself.")

        # Write beside the target and rename at the end, so PATH is never a partial copy.
        handle, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        os.close(handle)
        try:
            connection.ensure_connection()
            copy = sqlite3.connect(partial)
            try:
                # pages=-1 (the default) copies everything in one step inside one read
                # transaction: a snapshot, and in WAL mode writers are not held up meanwhile.
                connection.connection.backup(copy)
                # The copy is one self-contained file, not a database with a -wal beside it.
                copy.execute("PRAGMA journal_mode=DELETE")
                check = copy.execute("PRAGMA integrity_check").fetchone()[0]
                tables = copy.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                ).fetchone()[0]
            finally:
                copy.close()
            if check != "ok":
                raise CommandError(f"The copy failed SQLite's integrity check: {check}")
            os.replace(partial, target)
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
        size = target.stat().st_size
        self.stdout.write(
            self.style.SUCCESS(f"Backed up {tables} tables ({size:,} bytes) to {target}")
        )
