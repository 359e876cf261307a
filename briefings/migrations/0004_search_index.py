"""Search index tables for SQLite FTS5 and PostgreSQL full-text search (issue 5).

The rows live in an ordinary table (SearchEntry). The full-text structures depend on the database:
an FTS5 external-content table with sync triggers on SQLite, a generated weighted tsvector column
with a GIN index on PostgreSQL (see briefings/search/sqlite.py and postgres.py for the DDL). The
index is filled from any content already present, so an existing site is searchable at once.
"""

import django.db.models.deletion
from django.db import migrations, models


def fill_index(apps, schema_editor):
    from briefings.search import index

    index.rebuild(apps=apps, using=schema_editor.connection.alias)


def install_full_text(apps, schema_editor):
    from briefings.search.engines import backend_for

    backend_for(schema_editor.connection.alias).install(schema_editor)


def remove_full_text(apps, schema_editor):
    from briefings.search.engines import backend_for

    backend_for(schema_editor.connection.alias).uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("briefings", "0003_editorial_workflow")]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("section", "Section"),
                            ("key-message", "Key message"),
                            ("quote", "Young person’s words"),
                            ("reference", "Reference"),
                            ("glossary", "Glossary term"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "object_id",
                    models.BigIntegerField(
                        help_text="The section, key message, citation or glossary term this row indexes."
                    ),
                ),
                (
                    "part",
                    models.PositiveSmallIntegerField(
                        default=0, help_text="A quote's place in its section."
                    ),
                ),
                (
                    "position",
                    models.PositiveIntegerField(default=0, help_text="Reading order in the document."),
                ),
                (
                    "title",
                    models.TextField(blank=True, help_text="What the result is called on the page."),
                ),
                ("anchor", models.CharField(blank=True, max_length=200)),
                ("heading", models.TextField(blank=True)),
                ("summary", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
                ("extra", models.TextField(blank=True)),
                (
                    "briefing",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="briefings.briefing",
                    ),
                ),
                (
                    "section",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="briefings.section",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "search entries",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "object_id", "part"), name="unique_search_entry"
                    )
                ],
                "indexes": [
                    models.Index(
                        fields=["id", "kind", "briefing", "section", "object_id", "position"],
                        name="search_entry_match",
                    )
                ],
            },
        ),
        migrations.RunPython(install_full_text, remove_full_text),
        # The triggers index each row as it is written.
        migrations.RunPython(fill_index, migrations.RunPython.noop),
    ]
