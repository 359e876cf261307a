"""The page cache on a real Redis run with the shipped configuration (deploy/redis/portal.conf):
bounded memory with eviction, an outage and a restart cost speed, never a page."""

import pytest
import redis
from django.core.cache import caches

from briefings.models import Briefing, Role
from portal import caching
from tests.support.redis_server import SHIPPED_CONFIG, RedisServer

pytestmark = pytest.mark.django_db

DOCUMENT = "/documents/police/"


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def use_redis(settings, monkeypatch, url):
    from portal.settings.env import env_cache

    monkeypatch.setenv("CACHE_URL", url)
    settings.CACHES = {**settings.CACHES, "redis": env_cache("CACHE_URL")}
    settings.PAGE_CACHE_ALIAS = "redis"
    settings.PAGE_CACHE_RETRY_SECONDS = 30


def shipped_setting(name):
    for line in SHIPPED_CONFIG.read_text().splitlines():
        if line.startswith(f"{name} "):
            return line.split()[1]
    raise AssertionError(f"deploy/redis/portal.conf does not set {name}")


def test_the_shipped_configuration_bounds_memory_and_keeps_nothing_on_disk(redis_server):
    config = redis_server.client().config_get("*")
    assert shipped_setting("maxmemory") == "256mb"
    assert int(config["maxmemory"]) == 256 * 2**20
    assert config["maxmemory-policy"] == "allkeys-lru"
    assert config["save"] == ""
    assert config["appendonly"] == "no"


def test_pages_are_served_and_memory_stays_bounded_when_redis_evicts(
    client, settings, monkeypatch, tmp_path
):
    """The shipped policy with a small bound: more pages than fit, every one still served."""
    server = RedisServer(tmp_path, "--maxmemory", "2mb")
    server.start()
    try:
        use_redis(settings, monkeypatch, server.url)
        # Pages are kept gzipped (about 16 KB for a document), so searches fill the rest.
        pages = [
            f"{briefing.get_absolute_url()}?role={role.slug}"
            for briefing in Briefing.objects.published()
            for role in Role.objects.all()
        ] + [f"/search/?q=young+people+{n}" for n in range(200)]
        statuses = {client.get(url).status_code for url in pages}
        memory = server.client().info("memory")
        evicted = server.client().info("stats")["evicted_keys"]
        # Evicting has not broken the cache: with room again, a page is stored and served from
        # it. (At the bound, Redis's LRU, which counts time in whole seconds, may evict even the
        # page it has just stored, so that is not asserted.)
        server.client().config_set("maxmemory", 64 * 2**20)
        client.get(pages[0])
        assert client.get(pages[0])["X-Page-Cache"] == "hit"
    finally:
        server.stop()
    assert statuses == {200}
    assert evicted > 0
    assert memory["used_memory"] <= memory["maxmemory"] * 1.05


def test_a_stopped_redis_costs_speed_not_pages_and_is_used_again_once_back(
    client, settings, monkeypatch, redis_server, caplog
):
    use_redis(settings, monkeypatch, redis_server.url)
    client.get(DOCUMENT)
    assert client.get(DOCUMENT)["X-Page-Cache"] == "hit"
    redis_server.stop()
    during = [client.get(DOCUMENT) for _ in range(3)]
    assert [r.status_code for r in during] == [200, 200, 200]
    assert all("X-Page-Cache" not in r for r in during)
    assert caplog.text.count("Page cache unavailable (ConnectionError") == 1
    redis_server.start()  # empty, as the shipped configuration keeps nothing on disk
    caching.OUTAGE.until = 0.0  # the retry time has passed
    assert client.get(DOCUMENT)["X-Page-Cache"] == "miss"
    assert client.get(DOCUMENT)["X-Page-Cache"] == "hit"


def test_a_connection_redis_dropped_is_replaced_without_failing_or_skipping_the_cache(
    client, settings, monkeypatch, redis_server, caplog
):
    use_redis(settings, monkeypatch, redis_server.url)
    client.get(DOCUMENT)
    # What a Redis restart or an idle timeout does to the pooled connections.
    assert redis_server.client().client_kill_filter(_type="normal", skipme=True) >= 1
    assert client.get(DOCUMENT)["X-Page-Cache"] == "hit"
    assert "Page cache unavailable" not in caplog.text
    assert caches["redis"].get(caching.VERSION_CACHE_KEY)


def test_pages_answered_from_redis_reuse_one_client_per_process(
    client, settings, monkeypatch, redis_server
):
    # Django's own RedisCache built a redis.Redis (and its table of response callbacks) for
    # every cache call, two per page: a fifth of a cached page's CPU (portal/redis_cache.py).
    use_redis(settings, monkeypatch, redis_server.url)
    client.get(DOCUMENT)
    built = []
    original = redis.Redis.__init__

    def counting(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    responses = [client.get(DOCUMENT, {"utm_source": n}) for n in range(10)]
    assert [r["X-Page-Cache"] for r in responses] == ["hit"] * 10
    assert built == []
