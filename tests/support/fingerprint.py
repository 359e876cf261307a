"""A canonical dump of the content tables, for comparing two databases' content.

Rows are named by their natural keys (a document by slug, a section by document and key, ...)
instead of their autoincrement ids, and creation and update times are left out, so two databases
that hold the same content compare equal however and in whatever order it was written.
"""

import json

from briefings.models import (
    Briefing,
    Citation,
    GlossaryTerm,
    KeyMessage,
    Quote,
    Reference,
    Role,
    Section,
    SectionSlugHistory,
    Series,
    Theme,
    ThemedKeyMessage,
    ThemedSection,
)

TIMES = {"created", "updated"}
MODELS = [
    Role,
    Theme,
    Series,
    Briefing,
    Reference,
    GlossaryTerm,
    Citation,
    Section,
    KeyMessage,
    Quote,
    SectionSlugHistory,
    ThemedSection,
    ThemedKeyMessage,
]


def _natural_keys() -> dict:
    def pairs(model, *names):
        return {
            pk: rest[0] if len(rest) == 1 else tuple(rest)
            for pk, *rest in model.objects.values_list("pk", *names)
        }

    return {
        Role: pairs(Role, "slug"),
        Theme: pairs(Theme, "slug"),
        Series: pairs(Series, "name"),
        Briefing: pairs(Briefing, "slug"),
        Reference: pairs(Reference, "key"),
        GlossaryTerm: pairs(GlossaryTerm, "term"),
        Section: pairs(Section, "briefing__slug", "key"),
        KeyMessage: pairs(KeyMessage, "briefing__slug", "key"),
        Citation: pairs(Citation, "briefing__slug", "local_key"),
    }


def _rows(model, keys) -> list[dict]:
    rows = {}
    for row in model.objects.values():
        out = {}
        for field in model._meta.concrete_fields:
            if field.primary_key or field.name in TIMES:
                continue
            value = row[field.attname]
            if field.is_relation and value is not None:
                value = keys[field.related_model][value]
            out[field.name] = value
        rows[row["id"]] = out
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        if not through._meta.auto_created:
            continue  # taggit's through models are dumped as models of their own
        source = field.m2m_field_name()
        target = field.m2m_reverse_field_name()
        for pk in rows:
            rows[pk][field.name] = []
        for owner, other in through.objects.values_list(f"{source}_id", f"{target}_id"):
            rows[owner][field.name].append(keys[field.related_model][other])
        for pk in rows:
            rows[pk][field.name] = sorted(rows[pk][field.name], key=json.dumps)
    return sorted(rows.values(), key=lambda row: json.dumps(row, sort_keys=True, default=str))


def content_fingerprint() -> dict[str, list[dict]]:
    keys = _natural_keys()
    return {model.__name__: _rows(model, keys) for model in MODELS}
