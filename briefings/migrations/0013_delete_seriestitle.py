"""A series list belongs to the document that prints it (issue 20).

The shared ``SeriesTitle`` rows were the union of the documents' "also available" lists, in the
order of whichever file was imported first. Every document already holds its own list, as
printed, in ``Briefing.also_available``, and its page now shows that, so the shared rows go.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("briefings", "0012_briefing_glossary")]

    operations = [
        migrations.AlterField(
            model_name="briefing",
            name="also_available",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="The series titles this document lists, in its order.",
            ),
        ),
        migrations.DeleteModel(name="SeriesTitle"),
    ]
