"""PostgreSQL keeps the search vectors in the row (issue 18, search speed).

A row whose texts outgrow 2 KB had its vectors moved to the TOAST table, so every read that
checks each row's match (a cut read in id order, a phrase's adjacency, ts_rank) fetched them
from there: such reads were about twice as slow as with the vectors in the row. STORAGE MAIN
keeps them in the row, compressed, and moves the long texts out first. The rows already stored
are rewritten so that they follow it (the vectors are recomputed to the same values).

SQLite needs nothing. Reversible: going back lets PostgreSQL move the vectors out again.
"""

from django.db import migrations

ENTRY = "briefings_searchentry"
COLUMNS = ("search_vector", "search_strong")


def storage(kind):
    return f"ALTER TABLE {ENTRY} " + ", ".join(
        f"ALTER COLUMN {column} SET STORAGE {kind}" for column in COLUMNS
    )


def keep_in_the_row(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(storage("MAIN"))
    schema_editor.execute(f"UPDATE {ENTRY} SET kind = kind")
    # Statistics for the rewritten rows; an empty table (a new install) has none to gather, and
    # analysing it would record it as empty until autovacuum next looks.
    if (
        apps.get_model("briefings", "SearchEntry")
        .objects.using(schema_editor.connection.alias)
        .exists()
    ):
        schema_editor.execute(f"ANALYZE {ENTRY}")


def let_them_move_out(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(storage("EXTENDED"))


class Migration(migrations.Migration):
    dependencies = [("briefings", "0020_edit_versions_presence_and_locks")]

    operations = [migrations.RunPython(keep_in_the_row, let_them_move_out)]
