"""Uncached searches answered by a pool of servers of their own, behind nginx (docs/deploy.md).

A search the page cache cannot answer costs tens of milliseconds of CPU; a page from the cache
well under one. In one process they share one interpreter, so while strangers send searches
that were never made before, every cached page waits its turn behind them: the readers' p95 grew
four to seven times under `make abuse-test` whatever the per-process limits allowed.

With ``SEARCH_POOL_LOCATION`` set (the page servers' unit, deploy/systemd/portal@.service, sets
``/_search/``), a page server does not run such a search. It answers at once with an empty
response carrying ``X-Accel-Redirect: /_search/search/?<the canonical query>``; nginx follows
it internally (the location is ``internal``: no client can ask for it) to the search pool,
deploy/systemd/portal-search@.service, and the reader gets the pool's answer. The pool runs at a
lower CPU priority with its own rate limits, so the machine's scheduler serves the page servers
first, and a flood of searches slows searches, not reading.

For a page the cache may answer (an anonymous reader's), the hand-off carries the content
version the page server is answering under, as ``v``. nginx keeps the pool's answers in a cache
of its own keyed by that URL (deploy/nginx/portal.conf), so a search asked again is answered by
nginx without the pool, and an edit (a new version) is never answered from an older one. The
pool ignores ``v`` (it is no parameter of the page). A signed-in reader's search carries none,
and nginx neither keeps nor answers it from its cache.

Without the setting (`make run`, a single server, the pool itself) the search runs where it
arrived, as before.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.utils.encoding import iri_to_uri
from django.utils.http import urlencode

from .caching import answering_version

# The parameter that carries the content version: not one the search page reads.
VERSION_PARAMETER = "v"


def hand_off(request, location: str) -> HttpResponse:
    """The empty answer that tells nginx to fetch this request from the pool at ``location``."""
    target = location + request.path_info.lstrip("/")
    query = request.GET.urlencode()
    version = answering_version()
    if version is not None:
        query = "&".join(filter(None, [query, urlencode({VERSION_PARAMETER: version.token})]))
    response = HttpResponse(b"")
    response["X-Accel-Redirect"] = iri_to_uri(f"{target}?{query}" if query else target)
    # Never kept by the page cache or anything between: only nginx may act on it.
    response["Cache-Control"] = "no-store"
    response.search_pool = True  # for the request log
    return response


def in_search_pool(*, when):
    """Hand requests for which ``when(request)`` is true to the search pool, when there is one.

    Put it inside ``@query_parameters`` (the pool is asked for the canonical query, so a junk
    parameter never reaches it) and outside the rate limit (the pool counts what it runs)."""

    def decorate(view):
        @wraps(view)
        def handed_off(request, *args, **kwargs):
            location = settings.SEARCH_POOL_LOCATION
            if location and when(request):
                return hand_off(request, location)
            return view(request, *args, **kwargs)

        return handed_off

    return decorate
