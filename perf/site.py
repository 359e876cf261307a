"""A throw-away production site for the load test and the HTTP benchmark.

Its own SQLite database under var/perf/ with the curated content imported, production settings
with a random key, collected static files, and gunicorn on a free loopback port. Clients send
``X-Forwarded-Proto: https`` as the TLS proxy in front of a real deployment would.
"""

from __future__ import annotations

import contextlib
import os
import platform
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORK = ROOT / "var" / "perf"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def say(message):
    sys.stdout.write(f"{message}\n")
    sys.stdout.flush()


def workers():
    return int(os.environ.get("GUNICORN_WORKERS", os.cpu_count() or 1))


def environment():
    database = WORK / "portal.sqlite3"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "GUNICORN_WORKERS": str(workers()),
    }


def manage(env, *args):
    subprocess.run([str(BIN / "python"), "manage.py", *args], env=env, cwd=ROOT, check=True)  # noqa: S603


def prepare():
    """A fresh database with the content, and the static files collected."""
    WORK.mkdir(parents=True, exist_ok=True)
    for stale in WORK.glob("portal.sqlite3*"):
        stale.unlink()
    env = environment()
    say("Preparing a throw-away database under var/perf/ ...")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "import_briefings", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    return env


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url, timeout=10, headers=None, context=None):
    """GET with the proxy's headers; ``context``: the TLS context for an https:// URL."""
    request = urllib.request.Request(url, headers={**PROXY_HEADERS, **(headers or {})})  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout, context=context) as response:  # noqa: S310
        return response.status, response.read()


@contextlib.contextmanager
def gunicorn(env, config=ROOT / "portal" / "gunicorn_conf.py"):
    """gunicorn with the production configuration; yields the base URL, stops it afterwards."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (WORK / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "--config",
            str(config),
            "--bind",
            f"127.0.0.1:{port}",
            "portal.wsgi:application",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {log.name}")
            with contextlib.suppress(OSError):
                if get(f"{base}/healthz", timeout=2)[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer /healthz; see {log.name}")
            time.sleep(0.2)
        say(f"gunicorn ({describe(env)}) is serving {base}")
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def describe(env):
    threads = env.get("GUNICORN_THREADS", "4")
    return f"{env['GUNICORN_WORKERS']} processes × {threads} threads"


def machine():
    return (
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )
