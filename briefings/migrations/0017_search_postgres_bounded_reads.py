"""Structures for bounded search reads on PostgreSQL (issue 18, search speed).

A search ranked every match of its words before keeping the first 200, found the strong rows by
reading every match's vector to check its weights, and joined every match to its document,
section and parent: at a hundred times today's collection, 64 ms at the 95th percentile. With
these (docs/search.md):

- a stored generated tsvector of the heading and key message alone, with a GIN index, for the
  strong rows;
- a GIN index of the filter words (SearchEntry.facets), so that a filter is an intersection of
  index entries, as on SQLite;
- partial indexes of the documents and sections that may not be shown, which are few.

SQLite needs nothing. Reversible: going back drops them.
"""

from django.db import migrations

ENTRY = "briefings_searchentry"
STRONG = "search_strong"
INDEXES = [
    f"{ENTRY}_strong",
    f"{ENTRY}_filters",
    "briefings_briefing_search_hidden",
    "briefings_section_search_hidden",
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from briefings.search.engines import backend_for

    backend = backend_for(schema_editor.connection.alias)
    backend.ensure(schema_editor.execute)
    schema_editor.execute(f"ANALYZE {ENTRY}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(f"ALTER TABLE {ENTRY} DROP COLUMN IF EXISTS {STRONG}")


class Migration(migrations.Migration):
    dependencies = [("briefings", "0016_search_vocabulary_per_statement")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
