"""Rate limits where a stranger could make the portal work without bound: uncached searches, sign-in
attempts on both forms, the editors' preview. A clear 429 page says when to try again; readers
following links at human speed never meet a limit."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"


@pytest.fixture
def limits(settings, production_rate_limits):
    """Set limits for one test, from the production ones: limits(search=(3, 60), ...)."""

    def set_limits(**values):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, **values}

    return set_limits


def search(client, q, **extra):
    return client.get("/search/", {"q": q}, **extra)


def test_uncached_searches_are_limited_with_a_page_that_says_when_to_try_again(client, limits):
    limits(search=(3, 60))
    for q in ["grooming", "consent", "trust"]:
        assert search(client, q).status_code == 200
    refused = search(client, "missing from home")
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 0 < wait <= 120
    html = refused.content.decode()
    assert "<h1>Please wait a moment</h1>" in html
    assert re.search(rf"Please try again in {wait} seconds?", html)
    assert "no-store" in refused["Cache-Control"]
    assert "frame-ancestors 'none'" in refused["Content-Security-Policy"]
    assert "X-Page-Cache" not in refused or refused["X-Page-Cache"] == "miss"


def test_a_search_the_cache_answers_is_never_counted_or_refused(client, limits):
    limits(search=(2, 60))
    search(client, "grooming")
    search(client, "consent")
    assert search(client, "trust").status_code == 429
    for _ in range(20):
        response = search(client, "grooming")
        assert (response.status_code, response["X-Page-Cache"]) == (200, "hit")


def test_a_refused_search_is_not_stored(client, limits, settings):
    limits(search=(1, 60))
    search(client, "grooming")
    assert search(client, "consent").status_code == 429
    limits(search=None)
    response = search(client, "consent")
    assert (response.status_code, response["X-Page-Cache"]) == (200, "miss")


def test_behind_the_proxy_each_reader_has_their_own_allowance(client, limits, settings):
    settings.CLIENT_PROXY_COUNT = 1
    limits(search=(2, 60))

    def through_proxy(q, reader, forged=""):
        return search(client, q, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged + reader)

    assert through_proxy("grooming", "203.0.113.9").status_code == 200
    assert through_proxy("consent", "203.0.113.9").status_code == 200
    # Forging other "clients" in front of the address the proxy appends changes nothing.
    assert through_proxy("trust", "203.0.113.9", "192.0.2.1, ").status_code == 429
    assert through_proxy("trust", "203.0.113.9", "198.51.100.7, ").status_code == 429
    # Another reader behind the same proxy is not affected.
    assert through_proxy("trust", "198.51.100.7").status_code == 200


@pytest.fixture
def admin_user():
    return User.objects.create_superuser("admin", "admin@example.org", "the-right-password")


@pytest.mark.parametrize("url", ["/admin/login/", "/accounts/login/"])
def test_sign_in_attempts_are_limited_per_client_whatever_the_username(
    client, limits, admin_user, url
):
    limits(**{"sign-in": (3, 600)})
    for username in ["alice", "bob", "carol"]:
        response = client.post(url, {"username": username, "password": "guess"})
        assert response.status_code == 200
    refused = client.post(url, {"username": "admin", "password": "the-right-password"})
    assert refused.status_code == 429
    assert "sign-in attempts" in refused.content.decode()
    assert int(refused["Retry-After"]) > 60
    assert "_auth_user_id" not in client.session
    # Showing the form is not an attempt; another address is another client.
    assert client.get(url).status_code == 200
    other = client.post(
        url, {"username": "admin", "password": "the-right-password"}, REMOTE_ADDR="192.0.2.44"
    )
    assert other.status_code == 302


def test_both_sign_in_forms_share_one_allowance(client, limits):
    limits(**{"sign-in": (2, 600)})
    client.post("/admin/login/", {"username": "a", "password": "b"})
    client.post("/accounts/login/", {"username": "a", "password": "b"})
    assert client.post("/admin/login/", {"username": "a", "password": "b"}).status_code == 429


def test_the_preview_is_limited_with_an_answer_the_editor_sees(editor_client, limits):
    limits(preview=(2, 60))
    url = reverse("admin:briefings_markdown_preview")
    for _ in range(2):
        assert editor_client.post(url, {"text": "**bold**"}).status_code == 200
    refused = editor_client.post(url, {"text": "**bold**"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["error"].startswith("Too many previews in a short time")


def test_the_production_limits_are_on(production_rate_limits):
    assert production_rate_limits == {
        "search": (60, 60),
        "sign-in": (30, 600),
        "preview": (60, 60),
    }


@pytest.mark.usefixtures("production_rate_limits")
def test_a_realistic_reading_session_never_meets_a_limit(client, admin_user):
    """The default limits, and a reader far quicker than any human: a role, documents and
    sections, fifteen searches with a few result pages each, the references and the glossary;
    then a signed-in editor who mistypes their password twice and previews as they write."""
    urls = ["/", "/roles/police/", "/documents/police/?role=police", "/themes/?role=police"]
    urls += [
        f"/documents/police/{slug}/?role=police"
        for slug in ["investigating-cse", "barriers-to-engagement"]
    ]
    questions = [
        "grooming", "consent", "trust", "missing from home", "disclosure", "CAMHS",
        "boys and young men", '"child sexual exploitation"', "online -gangs", "health services",
        "risk assessment", "trafficking OR gangs", "perpetrators disruption", "multi-agency",
        "what if the young person will not talk to us",
    ]  # fmt: skip
    for q in questions:
        urls += [f"/search/?q={q}&role=police", f"/search/?q={q}&role=police&page=2"]
        urls.append(f"/search/?q={q}&role=police&kind=section")
    urls += ["/references/?sort=cited", "/glossary/", "/documents/"]
    statuses = [client.get(url).status_code for url in urls * 2]
    assert 429 not in statuses
    assert set(statuses) <= {200, 301, 302}

    for password in ["mistyped", "mistyped-again", "the-right-password"]:
        client.post("/admin/login/", {"username": "admin", "password": password})
    assert "_auth_user_id" in client.session
    url = reverse("admin:briefings_markdown_preview")
    previews = [client.post(url, {"text": "x" * n}).status_code for n in range(45)]
    assert previews == [200] * 45


@pytest.mark.usefixtures("production_rate_limits")
def test_an_office_of_colleagues_behind_one_address_can_all_search(client):
    """Twenty practitioners in one office (one address) each search twice in the same minute."""
    statuses = [search(client, f"young people {n}").status_code for n in range(40)]
    assert statuses == [200] * 40


def test_the_limits_come_from_the_environment_and_fail_loudly(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from portal.settings.env import env_rate

    monkeypatch.setenv("RATE_LIMIT_SEARCH", "120/2m")
    assert env_rate("RATE_LIMIT_SEARCH", "60/1m") == (120, 120)
    monkeypatch.setenv("RATE_LIMIT_SEARCH", "off")
    assert env_rate("RATE_LIMIT_SEARCH", "60/1m") is None
    for bad in ["60", "60/minute", "0/1m", "-1/1m", "60/0s", "lots"]:
        monkeypatch.setenv("RATE_LIMIT_SEARCH", bad)
        with pytest.raises(ImproperlyConfigured, match="RATE_LIMIT_SEARCH must be COUNT/PERIOD"):
            env_rate("RATE_LIMIT_SEARCH", "60/1m")


def test_the_search_cpu_share_comes_from_the_environment_and_fails_loudly(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from portal.settings.env import env_seconds, env_share

    assert env_share("SEARCH_CPU_SHARE", 0.1) == 0.1
    monkeypatch.setenv("SEARCH_CPU_SHARE", "0.25")
    assert env_share("SEARCH_CPU_SHARE", 0.1) == 0.25
    monkeypatch.setenv("SEARCH_CPU_SHARE", "off")
    assert env_share("SEARCH_CPU_SHARE", 0.1) is None
    for bad in ["0", "1.5", "-0.1", "a tenth", "nan"]:
        monkeypatch.setenv("SEARCH_CPU_SHARE", bad)
        with pytest.raises(ImproperlyConfigured, match="SEARCH_CPU_SHARE must be a number"):
            env_share("SEARCH_CPU_SHARE", 0.1)
    monkeypatch.setenv("CPU_SHARE_BURST", "2.5")
    assert env_seconds("CPU_SHARE_BURST", 1.0, minimum=0.05) == 2.5
    for bad in ["0.01", "soon", "nan"]:
        monkeypatch.setenv("CPU_SHARE_BURST", bad)
        with pytest.raises(ImproperlyConfigured, match="CPU_SHARE_BURST must be a number"):
            env_seconds("CPU_SHARE_BURST", 1.0, minimum=0.05)
