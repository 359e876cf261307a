"""gunicorn for `make abuse-test`: the production configuration (portal/gunicorn_conf.py), plus a
thread in each worker that writes, twice a second, how many entries its local-memory cache holds
and how many bytes they take, with the worker's resident memory and CPU time, to
``$PORTAL_CACHE_STATS_DIR/<pid>.json``. A process-local cache can only be seen from inside."""

import json
import os
import runpy
import threading
import time
from pathlib import Path

_production = runpy.run_path(
    str(Path(__file__).resolve().parent.parent / "portal" / "gunicorn_conf.py")
)
globals().update({name: value for name, value in _production.items() if not name.startswith("_")})


def _resident_bytes():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _cache_stats():
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    cache = caches["default"]
    if not isinstance(cache, LocMemCache):
        return {"entries": None, "bytes": None, "largest": None}
    with cache._lock:
        sizes = [len(value) for value in cache._cache.values()]  # values are pickled bytes
    return {"entries": len(sizes), "bytes": sum(sizes), "largest": max(sizes, default=0)}


def _write_stats_forever(path):
    while True:
        stats = {
            "pid": os.getpid(),
            "rss": _resident_bytes(),
            "cpu": time.process_time(),
            **_cache_stats(),
        }
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(stats), encoding="utf-8")
        os.replace(temporary, path)
        time.sleep(0.5)


def post_worker_init(worker):
    directory = os.environ.get("PORTAL_CACHE_STATS_DIR")
    if directory:
        path = Path(directory) / f"{os.getpid()}.json"
        threading.Thread(target=_write_stats_forever, args=(path,), daemon=True).start()
