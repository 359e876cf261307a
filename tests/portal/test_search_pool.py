"""A page server with a search pool hands every uncached search to it through nginx, and runs
nothing itself; without one, searches run where they arrive."""

import logging
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib.auth.models import User

from portal.caching import bump_content_version, current_version

pytestmark = pytest.mark.django_db

POOL = "/_search/"


@pytest.fixture
def pool(settings):
    settings.SEARCH_POOL_LOCATION = POOL


def handed_to(response):
    target = urlsplit(response["X-Accel-Redirect"])
    return target.path, parse_qsl(target.query)


def test_an_uncached_search_is_handed_to_the_pool_with_its_canonical_query(client, pool):
    response = client.get(
        "/search/", {"utm_source": "mail", "role": "police", "q": " grooming  ", "page": "01"}
    )
    assert response.status_code == 200
    assert response.content == b""
    assert handed_to(response) == (
        "/_search/search/",
        [("page", "1"), ("q", "grooming"), ("role", "police"), ("v", current_version().token)],
    )
    assert response["Cache-Control"] == "no-store"


def test_an_edit_changes_the_address_nginx_keeps_the_answer_under(client, pool):
    before = handed_to(client.get("/search/", {"q": "grooming"}))
    bump_content_version()
    after = handed_to(client.get("/search/", {"q": "grooming"}))
    assert before[1][0] == after[1][0] == ("q", "grooming")
    assert before[1][1][0] == after[1][1][0] == "v"
    assert before[1][1][1] != after[1][1][1]


def test_a_signed_in_readers_search_carries_no_version_so_nginx_keeps_none(client, pool):
    client.force_login(User.objects.create_user("trainer", password="x"))
    assert handed_to(client.get("/search/", {"q": "grooming"})) == (
        "/_search/search/",
        [("q", "grooming")],
    )


def test_a_version_sent_by_a_client_is_not_a_parameter_of_the_page(client, pool):
    response = client.get("/search/", {"q": "grooming", "v": "forged"})
    assert handed_to(response)[1] == [("q", "grooming"), ("v", current_version().token)]


def test_the_hand_off_runs_no_search_and_is_never_cached(
    client, pool, django_assert_max_num_queries
):
    with django_assert_max_num_queries(0):
        first = client.get("/search/", {"q": "consent"})
    assert "X-Accel-Redirect" in first
    second = client.get("/search/", {"q": "consent"})
    assert second.get("X-Page-Cache") != "hit"
    assert "X-Accel-Redirect" in second


def test_words_outside_ascii_reach_the_pool_encoded(client, pool):
    response = client.get("/search/", {"q": "café «grooming»"})
    path, query = handed_to(response)
    assert response["X-Accel-Redirect"].isascii()
    assert (path, query[:1]) == ("/_search/search/", [("q", "café «grooming»")])


def test_the_search_page_without_words_is_served_by_the_page_server(client, pool):
    response = client.get("/search/", {"role": "police"})
    assert response.status_code == 200
    assert "X-Accel-Redirect" not in response
    assert b"<h1" in response.content


def test_a_search_the_cache_holds_is_answered_without_the_pool(client, settings):
    settings.SEARCH_POOL_LOCATION = None
    ran_here = client.get("/search/", {"q": "grooming"})
    settings.SEARCH_POOL_LOCATION = POOL
    cached = client.get("/search/", {"q": "grooming"})
    assert (cached["X-Page-Cache"], cached.content) == ("hit", ran_here.content)
    assert "X-Accel-Redirect" not in cached


def test_the_hand_off_is_not_counted_against_the_readers_search_limit(
    client, pool, settings, production_rate_limits
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (2, 60)}
    statuses = {client.get("/search/", {"q": f"word{n}"}).status_code for n in range(10)}
    assert statuses == {200}


def test_without_a_pool_the_search_runs_where_it_arrives(client, settings):
    settings.SEARCH_POOL_LOCATION = None
    response = client.get("/search/", {"q": "grooming"})
    assert "X-Accel-Redirect" not in response
    assert b"grooming" in response.content.lower()


def test_the_request_log_says_the_search_went_to_the_pool(client, pool, caplog):
    caplog.set_level(logging.INFO, logger="portal.requests")
    client.get("/search/", {"q": "grooming"})
    (record,) = [r for r in caplog.records if r.name == "portal.requests"]
    assert record.handed_to == "search pool"
