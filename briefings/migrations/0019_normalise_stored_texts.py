"""Give every stored Markdown text its one spelling (LF line ends, no trailing whitespace but
hard line breaks), as the forms and the importer now do on save, so that the next save of an
untouched form does not count these texts as changed. The rendered HTML is unchanged by it."""

from django.db import migrations

from briefings.normalise import normalise_text

TEXTS = {
    "Briefing": ("intro", "source_note"),
    "Section": ("body",),
    "KeyMessage": ("text",),
    "Citation": ("entry",),
}


def normalise_stored_texts(apps, schema_editor):
    for model_name, fields in TEXTS.items():
        model = apps.get_model("briefings", model_name)
        for row in model.objects.only("pk", *fields).iterator():
            changed = {
                name: normalise_text(getattr(row, name))
                for name in fields
                if normalise_text(getattr(row, name)) != getattr(row, name)
            }
            if changed:
                model.objects.filter(pk=row.pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [("briefings", "0018_briefing_short_title")]

    operations = [migrations.RunPython(normalise_stored_texts, migrations.RunPython.noop)]
