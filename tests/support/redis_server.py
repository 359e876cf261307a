"""A throw-away redis-server for the tests that need a real one, run with the shipped
configuration (deploy/redis/portal.conf) on a free loopback port in a temporary directory.
Required in CI, like Chromium; skipped on a developer machine without redis-server."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

SHIPPED_CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "redis" / "portal.conf"


def redis_server_path():
    path = shutil.which("redis-server")
    if not path:
        if os.environ.get("CI"):
            pytest.fail("CI must provide redis-server (.ci/run installs it).")
        pytest.skip("redis-server is not installed; CI runs these tests.")
    return path


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """redis-server with the shipped configuration on a free port; ``settings`` override it."""

    def __init__(self, directory, *settings):
        self.binary = redis_server_path()
        self.directory = directory
        self.port = free_port()
        self.settings = settings
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        import redis

        return redis.Redis(port=self.port, socket_timeout=2)

    def start(self):
        # Arguments after the file override it: loopback, a free port, the test's own settings.
        arguments = [str(SHIPPED_CONFIG), "--port", str(self.port), "--bind", "127.0.0.1"]
        arguments += ["--dir", str(self.directory), *self.settings]
        self.process = subprocess.Popen(  # noqa: S603 - redis-server with fixed arguments
            [self.binary, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(Exception):
                if self.client().ping():
                    return
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@contextlib.contextmanager
def running_redis(directory: Path):
    """Yields the redis:// URL of a server started with the shipped configuration; stops it."""
    server = RedisServer(directory)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


def redis_cache_settings(url):
    return {"BACKEND": "portal.redis_cache.PortalRedisCache", "LOCATION": url}
