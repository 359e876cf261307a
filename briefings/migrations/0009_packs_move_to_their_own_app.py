"""Packs move to their own app (``briefings.packs``, label ``packs``): here they leave the
``briefings`` state. Nothing changes in the database: their tables stay, under their old names,
and the packs app's first migration, which depends on this one, takes them over (and moves their
content types). Rolling this back rolls that back first, so the two always move together."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("briefings", "0008_search_facet_words")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="PackItem"),
                migrations.DeleteModel(name="Pack"),
            ],
            database_operations=[],
        ),
    ]
