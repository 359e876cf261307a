"""Trainer packs and the Trainers group (issue 8).

Packs have since moved to their own app (``briefings.packs``, label ``packs``); its first
migration takes over these tables and moves the content types, and so these permissions, with them.

Trainers get the permissions on packs and nothing else: they build packs on the public site, are
not staff, and see no admin. Editors may look at every pack in the admin (view only).
"""

import secrets

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

PACK_MODELS = {"pack": "pack", "packitem": "pack item"}
ACTIONS = ["add", "change", "delete", "view"]


def new_token():
    """The token default as it was here; the live one is briefings.packs.models.new_token (this
    app does not import the packs app, which depends on it)."""
    return secrets.token_urlsafe(12)


def _permissions(apps, actions):
    """The pack permissions, created now: Django would only create them after all migrations."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    found = []
    for model, verbose_name in PACK_MODELS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="briefings", model=model)
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {verbose_name}"},
            )
            found.append(permission)
    return found


def seed_trainers(apps, schema_editor=None):
    """Also called by the browser tests after a transactional test has flushed the tables."""
    Group = apps.get_model("auth", "Group")
    trainers, _ = Group.objects.get_or_create(name="Trainers")
    trainers.permissions.set(_permissions(apps, ACTIONS))
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.add(*_permissions(apps, ["view"]))


def unseed_trainers(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Trainers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0004_search_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="Pack",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(max_length=200)),
                ("introduction", models.TextField(blank=True, help_text="Plain text.", max_length=2000)),
                ("visibility", models.CharField(choices=[("unlisted", "Unlisted: only people with the link can see it"), ("listed", "Listed: shown on the public list of packs")], default="unlisted", max_length=10)),
                ("token", models.CharField(default=new_token, editable=False, help_text="The secret part of the pack's link.", max_length=16, unique=True)),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("updated", models.DateTimeField(auto_now=True)),
                ("owner", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="packs", to=settings.AUTH_USER_MODEL)),
            ],
            options={
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
                ("pack", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="items", to="briefings.pack")),
                ("section", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="pack_items", to="briefings.section")),
            ],
            options={
                "ordering": ["pack", "order", "id"],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(models.Q(("key_message__isnull", True), ("kind", "section")), models.Q(("kind", "key_message"), ("section__isnull", True)), _connector="OR"), name="pack_item_one_target"),
                    models.UniqueConstraint(fields=("pack", "section"), name="unique_pack_section"),
                    models.UniqueConstraint(fields=("pack", "key_message"), name="unique_pack_key_message"),
                ],
            },
        ),
        migrations.RunPython(seed_trainers, unseed_trainers),
    ]
