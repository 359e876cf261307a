"""A young person's quote is titled in quote marks once (search results).

The index wrapped each quote's shortened words in quote marks, but the words carry their own,
so results showed “"We had a multi-agency meeting …” with the opening mark doubled. The index
now leaves the words' own marks out of the title (the text keeps them); the rows are written
again so that the stored titles follow.
"""

from django.db import migrations


def index_again(apps, schema_editor):
    from briefings.search import index

    alias = schema_editor.connection.alias
    # Only a collection with quotes has titles to mend: an empty database (a new install, the
    # tests) is left as it is, statistics and all.
    if apps.get_model("briefings", "SearchEntry").objects.using(alias).filter(kind="quote").exists():
        index.rebuild(apps=apps, using=alias)


class Migration(migrations.Migration):
    dependencies = [("briefings", "0021_search_vectors_kept_in_the_row")]

    operations = [migrations.RunPython(index_again, migrations.RunPython.noop)]
