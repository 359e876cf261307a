"""A real Redis server for the tests that need one: the shipped deploy/redis.conf on a free
loopback port, in a temporary directory. Required in CI; skipped elsewhere without redis-server."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

REDIS_CONF = Path(__file__).resolve().parent.parent.parent / "deploy" / "redis.conf"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_binary():
    path = shutil.which("redis-server")
    if not path:
        if os.environ.get("CI"):
            pytest.fail("CI must provide redis-server for the Redis tests (.ci/run installs it).")
        pytest.skip("redis-server is not installed; CI runs these tests.")
    return path


@contextlib.contextmanager
def running_redis(directory: Path):
    """Yields the redis:// URL of a server started from deploy/redis.conf; stops it after."""
    import redis

    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - a fixed local binary and arguments
        [redis_binary(), str(REDIS_CONF), "--port", str(port), "--dir", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url)
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(redis.exceptions.ConnectionError):
                if client.ping():
                    break
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def redis_cache_settings(url):
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
