"""Packs have moved to their own app (``briefings.packs``, label ``packs``), whose first migration
took over their tables and content types. Here they leave the ``briefings`` state; their tables
stay, under their old names, as the ``packs`` models' tables."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0008_search_facet_words"),
        ("packs", "0001_packs_from_briefings"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="PackItem"),
                migrations.DeleteModel(name="Pack"),
            ],
            database_operations=[],
        ),
    ]
