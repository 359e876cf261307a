"""Each search row's filter values as index words (issue 5, speed).

A filter that few matches pass (one document of hundreds, a theme) had the search read every
match to find them. With the kind, document, roles and themes held as words in a fifth, unshown
full-text column, FTS5 intersects the lists instead. The SQLite full-text table is rebuilt with
that column and every row is written again with its words; PostgreSQL filters from its own
indexes and only gets the new column filled.
"""

from django.db import migrations, models


def index_facet_words(apps, schema_editor):
    from briefings.search import index
    from briefings.search.engines import backend_for

    alias = schema_editor.connection.alias
    backend_for(alias).reinstall(schema_editor)
    index.rebuild(apps=apps, using=alias)


class Migration(migrations.Migration):
    dependencies = [("briefings", "0007_search_vocabulary_table")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="facets",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(index_facet_words, migrations.RunPython.noop),
    ]
