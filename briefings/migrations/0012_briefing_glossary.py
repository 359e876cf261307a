"""Each document holds its own glossary (issue 20, and issue 14 item 5).

``Briefing.glossary`` is the list of terms the document defines, as its file gives them;
``glossary_terms`` is derived from it on save. A shared term is public only when a published
document defines it, or no document does (a term added in the admin). An existing database has
no record of which document defined which term, so its terms start with no defining document
and stay public as before; the next import of each document records its own glossary.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("briefings", "0011_citation_work_fields")]

    operations = [
        migrations.AddField(
            model_name="briefing",
            name="glossary",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="The terms this document defines: a list of {term, expansion, note}.",
            ),
        ),
        migrations.AddField(
            model_name="briefing",
            name="glossary_terms",
            field=models.ManyToManyField(
                blank=True, editable=False, related_name="defined_in", to="briefings.glossaryterm"
            ),
        ),
    ]
