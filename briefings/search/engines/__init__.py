"""The search engines, one per database (base.py says what each provides)."""

from django.db import connections


def backend_for(alias="default"):
    """The engine for a connection's database."""
    vendor = connections[alias].vendor
    if vendor == "sqlite":
        from .sqlite import SQLiteBackend

        return SQLiteBackend(alias)
    if vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend(alias)
    raise NotImplementedError(f"Search does not support the {vendor} database.")
