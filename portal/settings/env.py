"""Read settings from the environment, failing loudly on values that cannot be right.

Every helper raises ImproperlyConfigured naming the variable, so a typo in a deployment shows up
as a clear start-up error instead of a subtly misconfigured site.
"""

import math
import os
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=None, *, required=False):
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"{name} must be set in the environment.")
        return default
    return value


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be a boolean (one of 1/0, true/false, yes/no, on/off), got {raw!r}."
    )


def env_int(name, default, *, minimum=None):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}.")
    return value


def env_share(name, default):
    """A share of the time, over 0 and at most 1 ("0.1"), or None for "off"."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if raw.lower() == "off":
        return None
    return _env_number(
        name, raw, lambda v: 0 < v <= 1, "a number over 0 and at most 1 (e.g. 0.1), or off"
    )


def env_seconds(name, default, *, minimum):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    return _env_number(
        name, raw, lambda v: v >= minimum, f"a number of seconds, at least {minimum}"
    )


def _env_number(name, raw, accepts, wanted):
    """``raw`` as a float that ``accepts`` takes (a word, or "nan", is refused), or a loud error
    saying what was ``wanted``."""
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not accepts(value):
        raise ImproperlyConfigured(f"{name} must be {wanted}; got {raw!r}.")
    return value


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(
            f"{name} must be a comma-separated list with no empty items, got {raw!r}."
        )
    return items


_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(s|m|h)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600}


def env_rate(name, default):
    """A rate limit: COUNT/PERIOD, the period in seconds, minutes or hours ("60/1m", "30/10m",
    "5/30s", "100/h"), or "off". Returns (count, seconds) or None for "off"."""
    raw = os.environ.get(name)
    raw = default if raw is None or raw.strip() == "" else raw
    if raw.strip().lower() == "off":
        return None
    match = _RATE.match(raw)
    count, length = (int(match[1]), int(match[2] or 1)) if match else (0, 0)
    if not match or count < 1 or length < 1:
        raise ImproperlyConfigured(
            f"{name} must be COUNT/PERIOD with the period in s, m or h (e.g. 60/1m, 30/10m), "
            f"or off; got {raw!r}."
        )
    return count, length * _UNIT_SECONDS[match[3].lower()]


_LOCATION = re.compile(r"^/(?:[A-Za-z0-9._~-]+/)+$")


def env_location(name, default):
    """A path prefix that nginx routes, such as ``/_search/``: starts and ends with ``/``, plain
    path characters only (no query, no spaces, no ``..``)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not _LOCATION.match(raw) or "/../" in raw or "/./" in raw:
        raise ImproperlyConfigured(
            f"{name} must be a path that starts and ends with / (e.g. /_search/), got {raw!r}."
        )
    return raw


def env_path(name, default):
    """An absolute directory path (a relative one would depend on where the server starts)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return Path(default)
    path = Path(raw)
    if not path.is_absolute():
        raise ImproperlyConfigured(f"{name} must be an absolute path, got {raw!r}.")
    return path


def sqlite_database(path):
    """An SQLite configuration tuned for a small site with concurrent admin writes.

    WAL lets readers carry on while one writer commits; IMMEDIATE transactions take the write lock
    at BEGIN so two writers queue on the busy timeout instead of failing mid-transaction.

    Each thread keeps its connection for a minute, as with PostgreSQL: a new SQLite connection
    reads the schema and the full-text index's structure again before its first query, and in
    WAL mode the last one to close checkpoints the log. Under `make abuse-test` with local memory,
    the servers' CPU time went from 36-41 s to 25-29 s when connections were kept (no clear
    change with Redis; docs/benchmarks.md, the first note below the abuse test).
    """
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "CONN_MAX_AGE": 60,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000;"
            ),
        },
    }


def env_database(name, default_sqlite_path):
    """Parse DATABASE_URL: sqlite:///path or postgres://user:pass@host:port/db."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return sqlite_database(default_sqlite_path)
    url = urlsplit(raw)
    scheme = url.scheme.lower()
    if scheme == "sqlite":
        path = unquote(url.path)
        if url.netloc or not path or path == "/":
            raise ImproperlyConfigured(
                f"{name} for SQLite must look like sqlite:///relative.db or "
                f"sqlite:////abs/path.db, got {raw!r}."
            )
        # sqlite:///rel.db -> "rel.db"; sqlite:////abs.db -> "/abs.db"
        return sqlite_database(Path(path[1:]))
    if scheme in {"postgres", "postgresql", "pgsql"}:
        dbname = unquote(url.path.lstrip("/"))
        if not dbname:
            raise ImproperlyConfigured(f"{name} must name a database, got {raw!r}.")
        options = {key: values[-1] for key, values in parse_qs(url.query).items()}
        # libpq waits for ever on a server that does not answer (a host that is down drops the
        # packets): a request, and /healthz, must fail in seconds instead.
        options.setdefault("connect_timeout", "5")
        config = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": dbname,
            "USER": unquote(url.username or ""),
            "PASSWORD": unquote(url.password or ""),
            "HOST": unquote(url.hostname or ""),
            "PORT": str(url.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
        return config
    raise ImproperlyConfigured(
        f"{name} must start with sqlite:// or postgres://, got scheme {url.scheme!r}."
    )


def env_cache(name, default="locmem://", *, max_entries=2000):
    """CACHE_URL: locmem:// (default), redis://host:port/db, or dummy:// to switch caching off.

    The local-memory cache keeps at most ``max_entries`` entries per process (the least recently
    used go first); a Redis server bounds itself with ``maxmemory`` (deploy/redis/portal.conf).
    """
    raw = os.environ.get(name) or default
    scheme = urlsplit(raw).scheme.lower()
    if scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
            "OPTIONS": {"MAX_ENTRIES": max_entries},
        }
    if scheme in {"redis", "rediss"}:
        return {
            "BACKEND": "portal.redis_cache.PortalRedisCache",
            "LOCATION": raw,
            # A cache that does not answer must cost a page a moment, not redis-py's default
            # 5 s (portal/caching.py then serves without it for a while).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        f"{name} must start with locmem://, redis://, rediss:// or dummy://, got {raw!r}."
    )
