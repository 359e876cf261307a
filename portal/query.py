"""The GET parameters a page reads, declared once, for the view and for the page cache alike.

A view declares its parameters with ``@query_parameters(SomeForm)``, the Form that validates
them. The decorator hands the view a canonical ``request.GET``: only the declared fields, each
as its cleaned value, invalid values dropped, in the fields' alphabetical order. The page cache
(portal/caching.py) builds its key from the very same canonical query. So a parameter the page
does not read (a tracking tag, junk) can neither change the page nor create a cache entry, and
two spellings of one request (``?page=01``, ``?q=grooming%20``, the parameters in another order)
share one entry.

Unknown parameters are ignored rather than redirected away: a reader arriving from a link with a
tracking tag gets the page at once, without an extra round trip, and the cache answers them both.

A cacheable page without a declaration is answered from the cache only when it has no query
string, and a test checks that every public page declares one.

A form's cleaned values must survive a round trip through ``str()`` (strings, numbers, choices):
the view cleans the canonical query again.
"""

from __future__ import annotations

from functools import wraps

from django import forms
from django.http import QueryDict
from django.urls import Resolver404, resolve
from django.utils.http import urlencode


class NoParameters(forms.Form):
    """For a page that reads no GET parameter at all."""


def _is_empty(value) -> bool:
    return value is None or value == "" or value is False or value in ([], ())


def canonical_query(form_class, data) -> str:
    """The query string the form makes of ``data``: declared, valid, normalised, ordered."""
    form = form_class(data)
    form.is_valid()
    pairs = []
    for name in sorted(form.fields):
        value = form.cleaned_data.get(name)
        if _is_empty(value):
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        pairs.extend((name, str(item)) for item in values)
    return urlencode(pairs)


def query_parameters(form_class):
    """Declare the GET parameters a view reads: see the module docstring."""

    def decorate(view):
        @wraps(view)
        def with_canonical_query(request, *args, **kwargs):
            request.GET = QueryDict(canonical_query(form_class, request.GET))
            return view(request, *args, **kwargs)

        with_canonical_query.query_form = form_class
        return with_canonical_query

    return decorate


def declared_form(path_info: str):
    """The query form the view at this path declares, or None (no such page, or undeclared)."""
    try:
        match = resolve(path_info)
    except Resolver404:
        return None
    return getattr(match.func, "query_form", None)


def cache_query(request) -> str | None:
    """The canonical query for the page cache's key; None when the cache must stay out of the
    way (a query string on a page that has not declared what it reads)."""
    form_class = declared_form(request.path_info)
    if form_class is None:
        return None if request.META.get("QUERY_STRING") else ""
    return canonical_query(form_class, request.GET)
