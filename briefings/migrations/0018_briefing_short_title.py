"""A short title per document (issue 17): the distinguishing part of the title, for cards,
breadcrumbs, navigation and search results, while the page heading keeps the full title.

Existing documents get theirs from what they already print: the series title ("Police") or the
part after the title's last colon. A document with neither keeps an empty short title and is
shown by its full title until an editor (or the content file) gives one: nothing is invented.
"""

from django.db import migrations, models


def short_title_from_title(title, series_title=""):
    if series_title:
        return series_title[:100]
    head, colon, tail = title.rpartition(": ")
    return tail.strip()[:100] if colon and head.strip() and tail.strip() else ""


def fill_short_titles(apps, schema_editor):
    Briefing = apps.get_model("briefings", "Briefing")
    for briefing in Briefing.objects.filter(short_title=""):
        short = short_title_from_title(briefing.title, briefing.series_title)
        if short:
            Briefing.objects.filter(pk=briefing.pk).update(short_title=short)


class Migration(migrations.Migration):
    dependencies = [("briefings", "0017_search_postgres_bounded_reads")]

    operations = [
        migrations.AddField(
            model_name="briefing",
            name="short_title",
            field=models.CharField(
                blank=True,
                help_text="The distinguishing part of the title, as printed (“Police”), for "
                "cards, breadcrumbs and navigation. Empty: the full title is used.",
                max_length=100,
            ),
        ),
        migrations.AlterField(
            model_name="briefing",
            name="title",
            field=models.CharField(help_text="The full title, as printed.", max_length=250),
        ),
        migrations.RunPython(fill_short_titles, migrations.RunPython.noop),
    ]
