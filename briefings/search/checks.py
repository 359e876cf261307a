"""`manage.py check --database default` warns when the full-text structures are incomplete.

On SQLite, Django rebuilds a table to alter it, which drops the triggers that keep the FTS5 table
in step; a search would then silently miss new edits. The warning says how to repair it.
"""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError, connections

from briefings.models import SearchEntry

from .engines import backend_for


@register(Tags.database)
def full_text_index_is_complete(app_configs=None, databases=None, **kwargs):
    problems = []
    for alias in databases or []:
        connection = connections[alias]
        try:
            if SearchEntry._meta.db_table not in connection.introspection.table_names():
                continue  # not migrated yet
            missing = backend_for(alias).missing()
        except (DatabaseError, NotImplementedError):
            continue
        if missing:
            problems.append(
                Warning(
                    f"The search index on database '{alias}' lacks: {', '.join(missing)}.",
                    hint="Run `manage.py rebuild_search_index` to restore it.",
                    id="briefings.W501",
                )
            )
    return problems
