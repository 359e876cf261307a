"""Prefix indexes of 3 to 8 characters for the SQLite full-text table (issue 5, speed).

FTS5 fixes a table's options when it is created, so the table is dropped and rebuilt from the
search rows. PostgreSQL needs nothing: its prefix search reads the GIN index as it is.
"""

from django.db import migrations


def reinstall_full_text(apps, schema_editor):
    from briefings.search.engines import backend_for

    backend_for(schema_editor.connection.alias).reinstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("briefings", "0005_trainer_packs")]

    operations = [migrations.RunPython(reinstall_full_text, migrations.RunPython.noop)]
