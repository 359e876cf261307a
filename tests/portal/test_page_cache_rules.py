"""The page cache's rules at their edges: which requests it may answer, which responses it may
keep, when a scheduled change is due and an outage over (at the very moment), and the error each
outage logs, whichever call to the cache failed."""

import logging

import pytest
import time_machine
from django.core.cache import caches
from django.http import HttpResponse

from portal import caching
from tests.support.clock import MOMENT

pytestmark = pytest.mark.django_db

DOCUMENT = "/documents/police/"


def test_only_anonymous_get_and_head_of_public_pages_may_be_answered(rf, settings):
    assert caching.is_cacheable_request(rf.get(DOCUMENT))
    assert caching.is_cacheable_request(rf.head(DOCUMENT))
    assert not caching.is_cacheable_request(rf.post(DOCUMENT))
    assert not caching.is_cacheable_request(rf.get(DOCUMENT, HTTP_AUTHORIZATION="Basic eDp5"))
    signed_in = rf.get(DOCUMENT)
    signed_in.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session"
    assert not caching.is_cacheable_request(signed_in)
    assert not caching.is_cacheable_request(rf.get(settings.PAGE_CACHE_SKIP_PREFIXES[0]))


def test_a_response_varying_on_the_cookie_and_encoding_may_be_kept():
    response = HttpResponse("page")
    response["Vary"] = "Cookie, Accept-Encoding"
    assert caching.is_storable_response(response)
    response["Vary"] = "Cookie, Accept-Language"
    assert not caching.is_storable_response(response)


def test_a_scheduled_change_is_due_at_its_moment():
    version = caching.ContentVersion("t", 0.0, next_change=100.0)
    assert not version.due(99.999)
    assert version.due(100.0)
    assert not caching.ContentVersion("t", 0.0, next_change=None).due(100.0)


def test_an_outage_is_over_at_the_retry_time(monkeypatch, settings):
    settings.PAGE_CACHE_RETRY_SECONDS = 30
    now = [1_000.0]
    monkeypatch.setattr(caching.time, "monotonic", lambda: now[0])
    outage = caching.CacheOutage()
    outage.begin(ConnectionRefusedError("down"))
    now[0] = 1_029.999
    assert outage.active()
    now[0] = 1_030.0
    assert not outage.active()


class Down(ConnectionRefusedError):
    pass


def _fail(*args, **kwargs):
    raise Down("cache server unreachable")


@pytest.mark.parametrize(
    "failing",
    [
        lambda patch: patch.setattr(caches["default"], "get", _fail),
        lambda patch: patch.setattr(caches["default"], "set", _fail),
        lambda patch: patch.setattr(caching, "current_version", _fail),
    ],
    ids=["reading a page", "storing a page", "reading the version"],
)
def test_each_failing_call_logs_its_error_and_the_page_is_served(
    client, monkeypatch, caplog, failing
):
    failing(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="portal.caching"):
        assert client.get(DOCUMENT).status_code == 200
    assert any("(Down: cache server unreachable)" in message for message in caplog.messages)


def test_a_page_is_kept_for_page_cache_seconds(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    with time_machine.travel(MOMENT, tick=False) as clock:
        assert client.get(DOCUMENT)["X-Page-Cache"] == "miss"
        clock.shift(59)
        assert client.get(DOCUMENT)["X-Page-Cache"] == "hit"
        clock.shift(2)
        assert client.get(DOCUMENT)["X-Page-Cache"] == "miss"


def test_a_request_reads_the_content_version_once(client, monkeypatch):
    """The version found at the start of a request serves the whole request (the page's key
    reads the roles through it, to tell a real ?role= from junk), so a page from the cache
    costs one read of the version."""
    url = f"{DOCUMENT}?role=police"
    reads = []
    real_read = caching.FileVersionStore.read

    def counted(store):
        reads.append(store.path)
        return real_read(store)

    client.get(url)
    monkeypatch.setattr(caching.FileVersionStore, "read", counted)
    for _ in range(2):
        reads.clear()
        assert client.get(url)["X-Page-Cache"] == "hit"
        assert len(reads) == 1


@pytest.mark.parametrize("path", ["/documents/police/%FF%FE/", "/documents/%ED%A0%80/"])
def test_a_path_that_is_not_utf_8_is_answered_not_found(client, path):
    for _ in range(2):
        assert client.get(path).status_code == 404


def test_a_query_that_is_not_utf_8_is_answered_and_then_served_from_the_cache(client):
    url = "/search/?q=%FF%ED%A0%80grooming"
    first = client.get(url)
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
