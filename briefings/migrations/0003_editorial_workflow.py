"""Editorial workflow: change notes and revisions (issue 7).

Revisions are stored by django-reversion in its own tables; this app only adds change notes, and
gives the Editors group the permissions on them that it has on every other content model.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def grant_editors(apps, schema_editor):
    # Permissions are normally created after migrations; make sure they exist now.
    app_config = apps.get_app_config("briefings")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="briefings", content_type__model="changenote"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0002_roles_and_editors_group"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ChangeNote",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("published", "First published"), ("update", "Update")], default="update", max_length=10)),
                ("created", models.DateTimeField(db_index=True, default=django.utils.timezone.now, help_text="When readers are told it changed.")),
                ("note", models.TextField(help_text="Plain text, shown to readers as written.", max_length=1000)),
                ("public", models.BooleanField(default=True, help_text="Untick to withdraw a note published by mistake.")),
                ("author", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("briefing", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="change_notes", to="briefings.briefing")),
            ],
            options={
                "ordering": ["-created", "-pk"],
            },
        ),
        migrations.RunPython(grant_editors, migrations.RunPython.noop),
    ]
