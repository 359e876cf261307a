"""Editorial workflow: change notes and revisions (issue 7)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("briefings", "0002_roles_and_editors_group")]

    operations = []
