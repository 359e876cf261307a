"""The spelling vocabulary is counted per statement and kept exact (issue 18, bulk indexing).

On PostgreSQL a row-level trigger upserted every word of every row written, one row at a time:
rebuilding the index of a collection a hundred times today's took a quarter of an hour, and the
words of rows changed or deleted were never taken away. Three statement-level triggers (insert,
update, delete), reading each statement's transition tables, replace it; a rebuild counts the
vocabulary once at its end. On SQLite the code now takes words away as well as adding them,
those of deleted rows from their texts, which a trigger keeps in a table.
Either way the vocabulary is counted again here, so that it starts exact.

Reversible: going back restores the row-level trigger.
"""

from django.db import migrations

ENTRY = "briefings_searchentry"
VOCABULARY = "briefings_searchentry_vocabulary"
STATEMENT_TRIGGERS = [f"{VOCABULARY}_{event}" for event in ("insert", "update", "delete")]
ROW_TRIGGER = f"{VOCABULARY}_add"

# The row-level trigger as migration 0004 made it.
ROW_TRIGGER_DDL = [
    f"""CREATE OR REPLACE FUNCTION {ROW_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {VOCABULARY} (word)
        SELECT DISTINCT lexeme FROM unnest(to_tsvector('simple'::regconfig,
            concat_ws(' ', NEW.heading, NEW.summary, NEW.body, NEW.extra)))
        WHERE length(lexeme) <= 60
        ON CONFLICT (word) DO UPDATE SET n = {VOCABULARY}.n + 1;
        RETURN NULL;
    END
    $$""",
    f"DROP TRIGGER IF EXISTS {ROW_TRIGGER} ON {ENTRY}",
    f"""CREATE TRIGGER {ROW_TRIGGER} AFTER INSERT OR UPDATE OF heading, summary, body, extra
        ON {ENTRY} FOR EACH ROW EXECUTE FUNCTION {ROW_TRIGGER}()""",
]


def count_per_statement(apps, schema_editor):
    from briefings.search.engines import backend_for

    backend = backend_for(schema_editor.connection.alias)
    # On PostgreSQL the statement triggers are missing: ensure() drops the row trigger and
    # creates them. SQLite has nothing missing.
    backend.ensure(schema_editor.execute)
    backend.refill(schema_editor.execute)


def count_per_row(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        # The texts of deleted rows, kept for the vocabulary (engines/sqlite.py).
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {VOCABULARY}_deleted_insert")
        schema_editor.execute(f"DROP TABLE IF EXISTS {VOCABULARY}_deleted")
        return
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in STATEMENT_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {ENTRY}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {VOCABULARY}_count()")
    for statement in ROW_TRIGGER_DDL:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("briefings", "0015_briefing_is_called_a_document")]

    operations = [migrations.RunPython(count_per_statement, count_per_row)]
