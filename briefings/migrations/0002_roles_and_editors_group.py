"""Seed the audiences of the series and the Editors group.

Editors get exactly the permissions needed to edit content: every model of this app, and the
taggit models behind themes. Nothing on users, groups or permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = [
    # slug, name, person, description
    ("police", "Police", "police officer", "Police officers, including first responders."),
    ("social-workers", "Social workers", "social worker", "Social workers in children's services."),
    ("multi-agency", "Multi-agency coordinators", "multi-agency coordinator or lead professional",
     "CSE coordinators and lead professionals from any agency, and multi-agency planners."),
    ("health-commissioners", "Health commissioners", "commissioner of health services",
     "Commissioners of health care services."),
    ("health-staff", "Staff in health settings", "member of staff in a health setting",
     "Staff working in health settings."),
    ("schools", "Professionals in schools", "professional in a school setting",
     "Professionals in school settings."),
    ("police-commissioners", "Police commissioners", "strategic commissioner of police services",
     "Strategic commissioning of police services."),
    ("childrens-services-commissioners", "Children's services commissioners",
     "strategic commissioner of children's services",
     "Strategic commissioning of children's services."),
]

EDITOR_APPS = {"briefings", "taggit"}


def seed(apps, schema_editor=None):
    """Also called by the test suite after a transactional test has flushed the tables."""
    Role = apps.get_model("briefings", "Role")
    for order, (slug, name, person, description) in enumerate(ROLES):
        Role.objects.update_or_create(
            slug=slug, defaults={"name": name, "person": person, "description": description,
                                 "order": order},
        )
    # Permissions are normally created after migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(Permission.objects.filter(content_type__app_label__in=EDITOR_APPS))


def unseed(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0001_content_model"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
