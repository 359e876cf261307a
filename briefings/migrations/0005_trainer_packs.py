"""Trainer packs and the Trainers group (issue 8)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("briefings", "0004_search_index")]

    operations = []
