"""Helpers for the search tests: build small documents through the ORM (so the index is kept fresh
by the same signals an admin save fires) and read what the search page found."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.http import QueryDict
from django.test import RequestFactory

from briefings.models import Briefing, Citation, KeyMessage, Reference, Role, Section, Status
from briefings.search.service import search
from briefings.search.views import search_page, search_params

SECTION_URL = re.compile(r"^/documents/(?P<doc>[^/]+)/(?P<section>[^/#?]+)/$")


def make_document(
    slug,
    sections=(),
    *,
    key_messages=(),
    references=(),
    role="police",
    status=Status.PUBLISHED,
    publish_from=None,
):
    """A briefing with sections given as (key, heading, body[, status[, parent key]])."""
    briefing = Briefing.objects.create(
        title=f"Search test {slug}",
        slug=slug,
        series_title=f"Search test {slug}",
        status=status,
        publish_from=publish_from,
    )
    briefing.audiences.set([Role.objects.get(slug=role)])
    for order, (key, title) in enumerate(references):
        reference = Reference.objects.create(
            key=f"{slug}-{key}", authors="Tester, A.", year="2020", title=title
        )
        Citation.objects.create(
            briefing=briefing,
            reference=reference,
            local_key=key,
            label="Tester, 2020",
            entry=f"Tester, A. (2020) *{title}*",
            order=order,
        )
    saved = {}
    for order, spec in enumerate(sections):
        key, heading, body, *rest = spec
        section_status = rest[0] if rest else Status.PUBLISHED
        parent = saved.get(rest[1]) if len(rest) > 1 else None
        section = Section(
            briefing=briefing,
            key=key,
            heading=heading,
            body=body,
            order=order,
            status=section_status,
            parent=parent,
        )
        section.save()
        saved[key] = section
    for order, (key, text) in enumerate(key_messages):
        KeyMessage.objects.create(briefing=briefing, key=key, order=order, text=text)
    return briefing


def run_search(**params):
    """The search page's context, rendered by the view itself (no page cache in between)."""
    request = RequestFactory().get("/search/", params)
    response = search_page(request)
    assert response.status_code == 200
    return response


def outcome_of(**params):
    """What the search page would show for these GET parameters (no page cache in between)."""
    return search(search_params(QueryDict(urlencode(params))))


def result_keys(outcome, limit=None):
    """Each hit as "document/section-key" (sections and quotes) or "kind:url" for the rest."""
    keys = []
    for hit in outcome.hits[:limit]:
        match = SECTION_URL.match(hit.url)
        if match and hit.kind in ("section", "quote"):
            section = Section.objects.get(briefing__slug=match["doc"], slug=match["section"])
            keys.append(f"{match['doc']}/{section.key}")
        else:
            keys.append(f"{hit.kind}:{hit.url}")
    return keys


def admin_form_data(response):
    """What the admin change form would post back unchanged (fields of the main form only)."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[name] = str(getattr(value, "pk", value))
    return data


def vocabulary() -> dict[str, int]:
    """The spelling vocabulary as the database holds it: word -> rows holding it."""
    from django.db import connection

    from briefings.search.schema import VOCABULARY

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {VOCABULARY}")  # noqa: S608 - a constant table name
        return dict(cursor.fetchall())


def recounted_vocabulary() -> dict[str, int]:
    """What counting every index row again gives (the engine's refill after a bulk write)."""
    from briefings.search.engines import backend_for

    backend = backend_for()
    backend.refill(backend.execute)
    return vocabulary()
