"""Packs become their own app: the models move from ``briefings`` to ``packs`` and no data moves.

State only: the tables keep their names (``briefings_pack``, ``briefings_packitem``; see each
model's ``Meta.db_table``), so every pack, item and token stays where it is. A new database gets
the tables from ``briefings`` 0005 as before, then follows the same steps as an existing one.

The two content types are renamed in place, so the permissions that hang on them (the Trainers
group's, the Editors' view permission) and the admin's log keep pointing at the same rows, and
Django's post-migrate step finds them and creates no others. It follows ``briefings`` 0009, which
dropped the models from the ``briefings`` state, so rolling ``briefings`` back to 0008 undoes
this first and puts the content types back where that state expects them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import briefings.packs.models

MODELS = ("pack", "packitem")


def _merge(apps, old, new):
    """Two content types for one model (not made by any migration, but seen by hand-run
    commands): keep ``new``, give it ``old``'s permissions, holders included, then drop ``old``."""
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    for permission in Permission.objects.filter(content_type=old):
        twin, _ = Permission.objects.get_or_create(
            content_type=new, codename=permission.codename, defaults={"name": permission.name}
        )
        for group in Group.objects.filter(permissions=permission):
            group.permissions.add(twin)
        for user in User.objects.filter(user_permissions=permission):
            user.user_permissions.add(twin)
        permission.delete()
    old.delete()


def _relabel(apps, source, destination):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=destination, model=model).first()
        if new is None:
            old.app_label = destination
            old.save(update_fields=["app_label"])
        else:
            _merge(apps, old, new)
    ContentType.objects.clear_cache()


def content_types_to_packs(apps, schema_editor):
    _relabel(apps, "briefings", "packs")


def content_types_to_briefings(apps, schema_editor):
    _relabel(apps, "packs", "briefings")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("briefings", "0009_packs_move_to_their_own_app"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Pack",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("title", models.CharField(max_length=200)),
                        ("introduction", models.TextField(blank=True, help_text="Plain text.", max_length=2000)),
                        ("visibility", models.CharField(choices=[("unlisted", "Unlisted: only people with the link can see it"), ("listed", "Listed: shown on the public list of packs")], default="unlisted", max_length=10)),
                        ("token", models.CharField(default=briefings.packs.models.new_token, editable=False, help_text="The secret part of the pack's link.", max_length=16, unique=True)),
                        ("created", models.DateTimeField(auto_now_add=True)),
                        ("updated", models.DateTimeField(auto_now=True)),
                        ("owner", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="packs", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "briefings_pack",
                        "ordering": ["-updated"],
                    },
                ),
                migrations.CreateModel(
                    name="PackItem",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("order", models.PositiveIntegerField(default=0)),
                        ("kind", models.CharField(choices=[("section", "Section"), ("key_message", "Key message")], max_length=12)),
                        ("note", models.TextField(blank=True, help_text="Plain text: the trainer's note.", max_length=1000)),
                        ("key_message", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="pack_items", to="briefings.keymessage")),
                        ("pack", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="items", to="packs.pack")),
                        ("section", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="pack_items", to="briefings.section")),
                    ],
                    options={
                        "db_table": "briefings_packitem",
                        "ordering": ["pack", "order", "id"],
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(models.Q(("key_message__isnull", True), ("kind", "section")), models.Q(("kind", "key_message"), ("section__isnull", True)), _connector="OR"), name="pack_item_one_target"),
                            models.UniqueConstraint(fields=("pack", "section"), name="unique_pack_section"),
                            models.UniqueConstraint(fields=("pack", "key_message"), name="unique_pack_key_message"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_packs, content_types_to_briefings),
    ]
