"""The Redis cache backend: Django's, with one Redis client per process.

Django's RedisCache makes a new ``redis.Redis`` for every cache call, and redis-py's constructor
fills a table of about 170 response callbacks each time: a page answered from the cache makes
two calls (the content version, then the page), and building the two clients was about a fifth
of its CPU (docs/benchmarks.md, the abuse test). A ``redis.Redis`` may be shared between threads:
each command borrows a connection from the pool, which is the same one Django's client used."""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        # Keyed by the pool Django chose (it keeps each for the process's life). Two threads may
        # both make one the first time: either client is fine, one is kept.
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class PortalRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClient
