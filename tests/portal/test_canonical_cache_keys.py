"""The page cache's key is the page's canonical query (portal/query.py): the parameters the page
declares it reads, normalised and in a fixed order. Anything else a URL carries makes no new
render and no new cache entry."""

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver, path
from django.urls import include as include_urls

from portal.query import NoParameters, query_parameters

pytestmark = pytest.mark.django_db

# One of every public page type, with the parameters it really reads.
PAGES = [
    "/",
    "/roles/police/",
    "/documents/",
    "/documents/police/",
    "/documents/police/?role=police",
    "/documents/multi-agency-working/an-integrated-approach/",
    "/themes/",
    "/themes/parents-and-carers/?role=social-workers",
    "/themes/disrupting-perpetrators/compare/",
    "/references/?sort=cited",
    "/glossary/",
    "/search/?q=grooming&role=police",
    "/feed/",
    "/sitemap.xml",
    "/robots.txt",
]


def page_entries():
    return [key for key in cache._cache if "portal:page:" in key]


def renders(client, urls):
    """How many of the requests the cache could not answer (each one a render)."""
    misses = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        misses += response["X-Page-Cache"] == "miss"
    return misses


def with_extra(url, extra):
    return f"{url}{'&' if '?' in url else '?'}{extra}"


@pytest.mark.parametrize("url", PAGES)
def test_twenty_unknown_parameters_cost_one_render(client, url):
    junk = ["utm_source=newsletter{n}", "fbclid=IwAR{n}x", "x{n}=1", "_={n}", "Role{n}=police"]
    urls = [with_extra(url, junk[n % 5].format(n=n)) for n in range(20)]
    assert renders(client, urls) == 1
    assert len(page_entries()) == 1


def test_the_same_page_serves_the_same_bytes_whatever_was_appended(client):
    plain = client.get("/documents/police/?role=police")
    tagged = client.get("/documents/police/?utm_campaign=spring&role=police&ref=mail")
    assert tagged["X-Page-Cache"] == "hit"
    assert tagged.content == plain.content


def test_the_view_sees_only_the_parameters_it_declares(client):
    response = client.get("/references/?sort=cited&role=police&utm_source=x&sort2=y")
    assert response.wsgi_request.GET.urlencode() == "role=police&sort=cited"


@pytest.mark.parametrize(
    "spellings",
    [
        ["/search/?q=trust&page=2", "/search/?page=02&q=trust", "/search/?q=trust+&page=2"],
        ["/search/?q=trust&role=police", "/search/?role=police&q=trust&role=police"],
        ["/references/?sort=cited&role=police", "/references/?role=police&sort=cited"],
        ["/documents/police/", "/documents/police/?role=", "/documents/police/?role=no-such-role"],
        ["/search/?q=trust", "/search/?q=trust&kind=not-a-kind", "/search/?q=trust&page=-3"],
    ],
)
def test_spellings_of_one_request_share_one_entry(client, spellings):
    assert renders(client, spellings) == 1


def test_unknown_roles_make_no_new_entries(client):
    urls = [f"/documents/police/?role=invented-role-{n}" for n in range(20)]
    assert renders(client, urls) == 1


def test_what_a_page_does_read_still_makes_its_own_page(client):
    assert renders(client, ["/documents/police/", "/documents/police/?role=police"]) == 2
    assert renders(client, ["/references/", "/references/?sort=cited"]) == 2
    assert renders(client, ["/search/?q=trust", "/search/?q=consent"]) == 2


def test_a_new_role_is_a_page_of_its_own_at_once(client):
    from briefings.models import Role

    url = "/documents/police/?role=youth-workers"
    assert b"Viewing as: <strong>Everyone</strong>" in client.get(url).content
    Role.objects.create(slug="youth-workers", name="Youth workers", person="a youth worker")
    assert b"Viewing as: <strong>Youth workers</strong>" in client.get(url).content


def test_the_default_port_is_the_same_host(client):
    assert renders(client, ["/glossary/", "/glossary/"]) == 1
    assert client.get("/glossary/", HTTP_HOST="testserver:80")["X-Page-Cache"] == "hit"


def cacheable_routes(resolver=None, prefix="/"):
    from django.conf import settings

    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(tuple(settings.PAGE_CACHE_SKIP_PREFIXES)):
            continue
        if isinstance(pattern, URLResolver):
            yield from cacheable_routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def test_every_page_the_cache_can_answer_declares_its_parameters():
    routes = dict(cacheable_routes())
    assert "/documents/<slug:slug>/" in routes
    undeclared = [route for route, view in routes.items() if not hasattr(view, "query_form")]
    assert undeclared == []


def undeclared_view(request):
    from django.http import HttpResponse

    return HttpResponse(f"reads {sorted(request.GET)}")


urlpatterns = [
    path("t/undeclared/", undeclared_view),
    path("t/declared/", query_parameters(NoParameters)(undeclared_view)),
    path("", include_urls("portal.urls")),
]


@pytest.mark.urls(__name__)
def test_a_page_that_declares_nothing_is_cached_only_without_a_query_string(client):
    assert renders(client, ["/t/undeclared/", "/t/undeclared/"]) == 1
    first = client.get("/t/undeclared/?a=1")
    assert "X-Page-Cache" not in first  # served, never from or into the cache
    assert first.content == b"reads ['a']"
    assert client.get("/t/declared/?a=1").content == b"reads []"
