"""Each citation holds the cited work's fields as its own document gives them (issue 20).

Until now a work cited by several documents was one row whose fields were whatever file was
imported last. The citations take a copy of those fields, the best record an existing database
has of what each document gives; the next import of a document replaces its copies with the
document's own, and the shared reference is then derived from the citations.
Every printed entry (``Citation.entry``) is left exactly as it was.
"""

from django.db import migrations, models

WORK_FIELDS = ("authors", "year", "title", "publisher", "journal", "url")


def copy_work_fields(apps, schema_editor):
    Citation = apps.get_model("briefings", "Citation")
    citations = list(Citation.objects.select_related("reference").order_by("pk"))
    for citation in citations:
        for name in WORK_FIELDS:
            setattr(citation, name, getattr(citation.reference, name))
    Citation.objects.bulk_update(citations, WORK_FIELDS, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("briefings", "0010_reference_title_and_role_description_limits")]

    operations = [
        migrations.AddField(
            model_name="citation",
            name="authors",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name="citation",
            name="year",
            field=models.CharField(blank=True, max_length=10),
        ),
        migrations.AddField(
            model_name="citation",
            name="title",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="citation",
            name="publisher",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="citation",
            name="journal",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="citation",
            name="url",
            field=models.URLField(blank=True, max_length=500),
        ),
        migrations.RunPython(copy_work_fields, migrations.RunPython.noop),
    ]
