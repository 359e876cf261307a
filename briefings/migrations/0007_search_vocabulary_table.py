"""The SQLite spelling vocabulary becomes an ordinary table (issue 5, speed).

It was an fts5vocab view of a second, unstemmed full-text table; such a view counts the rows of
every word it reads, so a suggestion cost more as the collection grew. The full-text structures are
rebuilt from the search rows and the vocabulary counted again. PostgreSQL already keeps its
vocabulary in a table and needs nothing.
"""

from django.db import migrations


def reinstall_full_text(apps, schema_editor):
    from briefings.search.engines import backend_for

    backend_for(schema_editor.connection.alias).reinstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("briefings", "0006_search_prefix_indexes")]

    operations = [migrations.RunPython(reinstall_full_text, migrations.RunPython.noop)]
