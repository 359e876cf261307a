"""Property-based: every public URL pattern, with generated path parts and query parameters,
answers 200, a redirect, 304 or 404, and never a server error.

The patterns are read from the URL configuration, so a page added later is covered without
touching this file. Generated values mix the real slugs and ids (to reach the deep code paths)
with arbitrary text, huge numbers and odd characters.
"""

import re
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import PathConverter, SlugConverter
from django.urls.resolvers import RoutePattern
from hypothesis import given
from hypothesis import strategies as st

from briefings.models import Briefing, KeyMessage, Role, Section, Theme
from tests.support.fuzzing import TEXT, fuzzed, request_with_any_query

pytestmark = pytest.mark.django_db

# Not public: the admin, sign-in, trainers' packs and editors' previews have their own tests.
PRIVATE_PREFIXES = ("admin/", "accounts/", "packs/", "preview/")
ALLOWED = {200, 301, 302, 304, 404}
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
QUERY_KEYS = ["role", "q", "sort", "page", "theme", "document", "kind", "type", "format"]


def public_routes(patterns=None, prefix=""):
    """(route text, converters) for every URL pattern outside the private areas."""
    routes = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(PRIVATE_PREFIXES):
            continue
        assert isinstance(entry.pattern, RoutePattern), f"not a path() route: {route}"
        if isinstance(entry, URLResolver):
            routes += public_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            routes.append(route)
    return sorted(set(routes))


ROUTES = public_routes()


def value_strategy(converter, real):
    if converter == "int":
        return st.one_of(
            st.sampled_from(real["int"]), st.integers(min_value=0, max_value=2**80)
        ).map(str)
    if converter == "slug":
        return st.one_of(
            st.sampled_from(real["slug"]),
            st.from_regex(SlugConverter.regex, fullmatch=True),
            TEXT.filter(bool),
        )
    if converter == "uuid":
        return st.one_of(st.uuids().map(str), TEXT.filter(bool))
    if converter == "path":
        return st.from_regex(PathConverter.regex, fullmatch=True)
    return TEXT.filter(bool)


@pytest.fixture
def real(db):
    """The curated content's slugs and ids, read in this test's own transaction: ids are not
    carried from one test to another, so the order tests run in cannot matter."""
    slugs = set(Briefing.objects.values_list("slug", flat=True))
    slugs |= set(Section.objects.values_list("slug", flat=True))
    slugs |= set(Theme.objects.values_list("slug", flat=True))
    slugs |= set(Role.objects.values_list("slug", flat=True))
    ints = [str(pk) for pk in Section.objects.values_list("pk", flat=True)]
    ints += [str(pk) for pk in KeyMessage.objects.values_list("pk", flat=True)]
    return {
        "slug": sorted(slugs),
        "int": ints,
        "role": sorted(Role.objects.values_list("slug", flat=True)),
    }


@pytest.mark.parametrize("route", ROUTES)
@fuzzed(max_examples=15)
@given(data=st.data())
def test_any_path_parts_and_query_parameters_give_no_server_error(client, real, route, data):

    def fill(match):
        converter = match.group("converter") or "str"
        value = data.draw(value_strategy(converter, real), label=match.group("name"))
        return quote(value, safe="")

    url = "/" + PARAMETER.sub(fill, route)
    values = [*real["role"], "cited", "author", "2", "-1"]
    query, response = request_with_any_query(client, data, url, QUERY_KEYS, values)
    assert response.status_code in ALLOWED, (url, query, response.status_code)


def test_the_public_routes_include_every_page_kind():
    assert {"", "documents/<slug:slug>/", "s/<int:pk>/", "sitemap.xml", "robots.txt"} <= set(ROUTES)
    assert not any(route.startswith(PRIVATE_PREFIXES) for route in ROUTES)
