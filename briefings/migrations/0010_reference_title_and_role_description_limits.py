"""Reference titles and role descriptions get a length limit, so the admin can report an
over-long one as a form error. A text column has no length in the database, so only Django's
state changes (an AlterField would make SQLite copy both tables for nothing)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0009_packs_move_to_their_own_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="reference",
                    name="title",
                    field=models.TextField(max_length=1000),
                ),
                migrations.AlterField(
                    model_name="role",
                    name="description",
                    field=models.TextField(blank=True, max_length=1000),
                ),
            ],
            database_operations=[],
        ),
    ]
