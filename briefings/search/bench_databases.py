"""Throw-away databases for the search benchmark (manage.py bench_search): the bench database
emptied and loaded again, and a copy of it per corpus scale, each with its own connection, so
that the scales can be timed in turns."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS
from django.db.utils import load_backend


def recreate(connection):
    """Empty the bench database (delete the SQLite file, or drop and create the PostgreSQL
    database), then migrate it and load the real content."""
    name = str(connection.settings_dict["NAME"])
    connection.close()
    if connection.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        Path(name).parent.mkdir(parents=True, exist_ok=True)
    else:
        quoted = connection.ops.quote_name(name)
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
            cursor.execute(f"CREATE DATABASE {quoted}")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("import_briefings", verbosity=0)


def settle(connection):
    """Leave PostgreSQL's autovacuum nothing to do: vacuum and analyze the database now, as
    autovacuum would have by the time readers search a collection. Its statistics guide the
    planner, its visibility map lets index-only scans skip the table, and a worker that vacuumed
    the freshly written rows while the searches were timed would take one of the CPUs."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


class Copies:
    """Copies of the bench database as it is now, each opened on its own connection."""

    def __init__(self, connection):
        self.original = connection
        self.name = str(connection.settings_dict["NAME"])
        self.copies: dict[int, str] = {}
        self.wrappers: dict[int, object] = {}

    def add(self, scale: int):
        """A copy of the database as it is now, for this scale; returns its connection."""
        if self.original.vendor == "sqlite":
            path = Path(self.name)
            name = str(path.with_name(f"{path.stem}-scale-{scale}{path.suffix}"))
            Path(name).unlink(missing_ok=True)
            with self.original.cursor() as cursor:
                cursor.execute("VACUUM INTO %s", [name])
        else:
            name = f"{self.name}_scale_{scale}"
            quote = self.original.ops.quote_name
            settle(self.original)
            # A database is copied from a template no one is connected to.
            self.original.close()
            with self.original._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
                cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(self.name)}")
        self.copies[scale] = name
        settings_dict = {**self.original.settings_dict, "NAME": name}
        backend = load_backend(settings_dict["ENGINE"])
        self.wrappers[scale] = backend.DatabaseWrapper(settings_dict, DEFAULT_DB_ALIAS)
        return self.wrappers[scale]

    def drop(self):
        for wrapper in self.wrappers.values():
            wrapper.close()
        for name in self.copies.values():
            if self.original.vendor == "sqlite":
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{name}{suffix}").unlink(missing_ok=True)
            else:
                with self.original._nodb_cursor() as cursor:
                    cursor.execute(f"DROP DATABASE IF EXISTS {self.original.ops.quote_name(name)}")
