"""`make abuse-test`: strangers who make the portal render, store and search, beside 20 readers.

For each cache backend (``ABUSE_BACKENDS``, default ``locmem,redis``; Redis is a server of our
own on a free loopback port, started from deploy/redis/portal.conf), against the shipped
single-machine layout, started from the files in deploy/ as `make cluster-test` starts them:
nginx (TLS, the shipped site) in front of two page servers (portal@.service) and the search
pool (portal-search@.service, niced), all with the production settings and one SQLite database.
Each client has its own address, sent in ``X-Forwarded-For`` as a proxy in front of nginx would
(``AXES_PROXY_COUNT=2``: that proxy and nginx). ``ABUSE_SEARCH_POOL=0`` leaves the pool out (the
page servers then run searches themselves), for comparison.

1. every page and search the readers can ask for is requested a few times, so the cache holds
   what ordinary reading needs;
2. **baseline**: 20 ordinary readers for ``ABUSE_SECONDS`` (60) seconds;
3. **abuse**: the same readers for as long again, with 10 clients sending real pages with unique
   junk query strings (5 requests/s each) and 5 addresses sending unique searches (3 connections
   at 2/s each), each abuser stopping after ``ABUSE_MAX_REQUESTS`` requests
   (perf/abuse_locustfile.py).

The two phases alternate in ``ABUSE_ROUNDS`` (3) rounds, so that a busy spell of a shared machine
falls on both alike.

It reports the cache's entries and memory before and after the abuse, the share of the readers'
requests the cache answered, their p50/p95, and every status the clients saw, into
docs/benchmarks.md between <!-- abuse-test:start --> and <!-- abuse-test:end -->. Goals: no 5xx,
the readers' p95 under abuse at most twice the baseline's, the cache within its bound; exit 1 if
one is missed.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from . import site
from .cluster.http import tls_context
from .cluster.services import AppServer, Nginx, Processes, Redis
from .locustfile import ROLES, SEARCHES
from .report import write_block

SECONDS = int(os.environ.get("ABUSE_SECONDS", 60))
ROUNDS = int(os.environ.get("ABUSE_ROUNDS", 3))
BACKENDS = os.environ.get("ABUSE_BACKENDS", "locmem,redis").split(",")
READERS = int(os.environ.get("ABUSE_READERS", 20))
JUNK_CLIENTS = int(os.environ.get("ABUSE_JUNK_CLIENTS", 10))
SEARCH_CLIENTS = int(os.environ.get("ABUSE_SEARCH_CLIENTS", 5))
JUNK_RATE = float(os.environ.get("ABUSE_JUNK_RATE", 5))
SEARCH_RATE = float(os.environ.get("ABUSE_SEARCH_RATE", 2))
SEARCH_CONNECTIONS = int(os.environ.get("ABUSE_SEARCH_CONNECTIONS", 3))
MAX_ENTRIES = int(os.environ.get("CACHE_MAX_ENTRIES", 2000))
SEARCH_POOL = os.environ.get("ABUSE_SEARCH_POOL", "1") != "0"
# Processes per page server (two servers, as deploy/ ships them: one per CPU in all).
PAGE_WORKERS = os.environ.get("ABUSE_PAGE_WORKERS", "1")
STATS = site.WORK / "cache-stats"
ABUSERS = ["JunkClient", "UniqueSearcher"]
LAYOUT = (
    f"two page servers ({PAGE_WORKERS} process × 4 threads each) and the search pool "
    "(portal-search@.service: nice 10, the searches the cache cannot answer)"
    if SEARCH_POOL
    else f"two servers ({PAGE_WORKERS} process × 4 threads each; no search pool, "
    "`ABUSE_SEARCH_POOL=0`)"
)
MB = 1024 * 1024


@dataclass
class Deployment:
    base: str
    context: object  # the TLS context that trusts the throw-away certificate
    ca_file: Path
    servers: list[AppServer]
    redis_client: object = None


@contextlib.contextmanager
def deployment(env, backend):
    """nginx, two page servers and the search pool from deploy/, on the prepared SQLite
    database; with ``backend`` "redis", a Redis of its own from deploy/redis/portal.conf."""
    processes = Processes()
    work = Path(tempfile.mkdtemp(prefix="portal-abuse-"))
    work.chmod(0o755)  # nginx's workers (www-data, as root) read below it
    (work / "logs").mkdir()
    try:
        redis_client, cache_url = None, "locmem://"
        if backend == "redis":
            redis = Redis(work, processes)
            redis.configure()
            redis.start()
            redis_client, cache_url = redis.client(), redis.url
        nginx = Nginx(work, processes)
        settings = {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
            "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://localhost:{nginx.https_port}",
            "DATABASE_URL": env["DATABASE_URL"],
            "CACHE_URL": cache_url,
            "AXES_PROXY_COUNT": "2",
            "GUNICORN_WORKERS": PAGE_WORKERS,
        }
        config = site.ROOT / "perf" / "gunicorn_stats.py"
        pages = [AppServer(name, work, processes, config=config) for name in ("A", "B")]
        pool = AppServer("S", work, processes, unit="portal-search@.service", config=config)
        servers = [*pages, pool] if SEARCH_POOL else pages
        static = site.ROOT / "var" / "staticfiles"  # collected by site.prepare()
        for server in servers:
            server.configure(settings)
            # The servers read the manifest of the files site.prepare() collected.
            (server.var / "staticfiles").symlink_to(static)
            server.inherited = {"PORTAL_CACHE_STATS_DIR": str(STATS)}
            if not SEARCH_POOL:
                # As an administrator would switch it off: the file overrides the unit's line.
                with server.env_file.open("a") as env_file:
                    env_file.write("SEARCH_POOL_LOCATION=\n")
            server.start()
        # Without a pool, nginx still needs an address for its upstream: nothing is sent there.
        nginx.configure(pages, pool, static)
        nginx.start()
        layout = "two page servers and the search pool" if SEARCH_POOL else "two servers"
        site.say(f"[{backend}] nginx https://localhost:{nginx.https_port} in front of {layout}")
        yield Deployment(
            f"https://localhost:{nginx.https_port}",
            tls_context(nginx),
            nginx.cert,
            servers,
            redis_client,
        )
    finally:
        processes.stop_all()
        kept = site.WORK / f"abuse-logs-{backend}"
        shutil.rmtree(kept, ignore_errors=True)
        with contextlib.suppress(OSError):
            shutil.copytree(work / "logs", kept)
        shutil.rmtree(work, ignore_errors=True)


def reader_urls(base):
    """Every page and search an ordinary reader of perf/locustfile.py can ask for."""
    from . import locustfile

    class Environment:
        host = base

    for learnt in locustfile.URLS.values():
        learnt.clear()  # learnt again for each backend's site
    locustfile.load_site_map(Environment())
    paths = ["/", "/documents/", "/themes/", "/glossary/", "/references/"]
    paths += [f"/roles/{role}/" for role in ROLES]
    paths += locustfile.URLS["documents"] + locustfile.URLS["sections"] + locustfile.URLS["themes"]
    queries = [{}, *({"role": role} for role in ROLES)]
    urls = [f"{path}?{urlencode(query)}" for path in paths for query in queries]
    urls += [f"/search/?{urlencode({'q': q, **query})}" for q in SEARCHES for query in queries]
    return urls


def warm(deployed, urls, rounds=4):
    """Ask for each URL a few times, over fresh connections, so every process has it; each from
    its own address, so the warm-up's searches do not meet the search limit."""

    def fetch(numbered):
        number, url = numbered
        forwarded = f"10.9.{number // 250}.{number % 250 + 1}"
        for _ in range(10):  # a search answered "busy" is asked again
            try:
                site.get(
                    deployed.base + url,
                    timeout=30,
                    headers={"X-Forwarded-For": forwarded},
                    context=deployed.context,
                )
                return
            except urllib.error.HTTPError as error:
                if error.code != 429:
                    raise
                time.sleep(1)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(fetch, enumerate(urls * rounds)))


def cache_snapshot(redis_client):
    """Entries and bytes in the cache, and the server processes' resident memory."""
    time.sleep(1.2)  # the workers write their figures twice a second
    workers = [json.loads(path.read_text()) for path in STATS.glob("*.json")]
    rss = sum(worker["rss"] for worker in workers)
    cpu = sum(worker["cpu"] for worker in workers)
    if redis_client is None:
        return {
            "entries": [worker["entries"] for worker in workers],
            "bytes": sum(worker["bytes"] for worker in workers),
            "largest": max(worker["largest"] for worker in workers),
            "rss": rss,
            "cpu": cpu,
        }
    info = redis_client.info()
    return {
        "entries": [redis_client.dbsize()],
        "bytes": info["used_memory"],
        "maxmemory": info["maxmemory"],
        "evicted": info["evicted_keys"],
        "rss": rss,
        "cpu": cpu,
    }


def start_locust(deployed, classes, record, seconds, log, *, lowest_priority=False):
    """A locust process for these user classes, writing their responses to ``record``; with
    ``lowest_priority``, it runs niced, taking only the CPU the server and the readers leave."""
    users = {
        "OrdinaryReader": READERS,
        "JunkClient": JUNK_CLIENTS,
        "UniqueSearcher": SEARCH_CLIENTS * SEARCH_CONNECTIONS,
    }
    total = sum(users[name] for name in classes)
    command = [
        str(site.BIN / "locust"),
        "--locustfile",
        str(site.ROOT / "perf" / "abuse_locustfile.py"),
        "--headless",
        "--host",
        deployed.base,
        "--users",
        str(total),
        "--spawn-rate",
        str(total),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "5",
        "--only-summary",
        "--loglevel",
        "ERROR",
        *classes,
    ]
    if lowest_priority:
        command = ["nice", "-n", "19", *command]
    env = {
        **os.environ,
        "ABUSE_RECORD": str(record),
        "PYTHONPATH": str(site.ROOT),
        "LOAD_CA_FILE": str(deployed.ca_file),
    }
    site.say(f"locust: {', '.join(classes)} for {seconds} s ...")
    return subprocess.Popen(command, cwd=site.ROOT, env=env, stdout=log, stderr=log)  # noqa: S603


def children_cpu():
    """CPU seconds used by the finished load generators (locust processes) so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_phase(deployed, phase, records, seconds):
    """The readers, and in the abuse phase the abusers beside them in a locust of their own, so
    that the time the abusers' clients take is not counted in the readers' latency (real
    attackers do not share the readers' computers). Nor do they share the server's: on this one
    machine the abusers' clients run at the lowest priority, so that the CPU their own sending
    takes (about as much as the readers' clients) is not taken from the server, whose work for
    them is what the test measures."""
    with (site.WORK / "locust.log").open("a") as log:
        running = [start_locust(deployed, ["OrdinaryReader"], records[phase], seconds, log)]
        if phase == "abuse":
            running.append(
                start_locust(
                    deployed, ABUSERS, records["abusers"], seconds, log, lowest_priority=True
                )
            )
        for process in running:
            process.wait(timeout=seconds + 60)


def readers_in_the_server(deployed, windows):
    """The readers' p95 as the server's request log times it (from the request's arrival in
    Django to its answer), per phase: what the portal's own work costs them, without the waits
    for a free thread or for the machine that the clients' figures include."""
    durations = {"base": [], "abuse": []}
    for server in deployed.servers:
        for entry in server.requests_logged():
            if not str(entry.get("client")).startswith("10.1."):
                continue
            moment = datetime.fromisoformat(entry["time"])
            for phase, began, ended in windows:
                if began <= moment <= ended:
                    durations[phase].append(entry["duration_ms"])
    return {phase: percentile(values, 0.95) for phase, values in durations.items()}


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def summarise(record):
    """Per kind of client: requests, statuses, cache hits, p50/p95 latency."""
    kinds = {}
    for line in record.read_text(encoding="utf-8").splitlines():
        kind, status, latency, cache = json.loads(line)
        entry = kinds.setdefault(kind, {"statuses": Counter(), "latency": [], "hits": 0})
        entry["statuses"][status] += 1
        entry["latency"].append(latency)
        entry["hits"] += cache == "hit"
    for entry in kinds.values():
        count = len(entry["latency"])
        entry.update(
            count=count,
            hit_share=entry["hits"] / count,
            p50=percentile(entry["latency"], 0.50),
            p95=percentile(entry["latency"], 0.95),
            server_errors=sum(n for s, n in entry["statuses"].items() if s >= 500 or s == 0),
        )
    return kinds


def measure(env, backend):
    """One backend: warm, baseline, abuse; returns the figures."""
    shutil.rmtree(STATS, ignore_errors=True)
    STATS.mkdir(parents=True)
    with deployment(env, backend) as deployed:
        os.environ["LOAD_CA_FILE"] = str(deployed.ca_file)  # for reader_urls' site map
        redis_client = deployed.redis_client
        urls = reader_urls(deployed.base)
        site.say(f"[{backend}] warming {len(urls)} pages and searches ...")
        warm(deployed, urls)
        records = {
            phase: site.WORK / f"abuse-{backend}-{phase}.jsonl"
            for phase in ("base", "abuse", "abusers")
        }
        for record in records.values():
            record.unlink(missing_ok=True)
        # Baseline and abuse alternate, so that neither gets the machine's quieter spells.
        cpu = {"base": 0.0, "abuse": 0.0}
        clients_cpu = {"base": 0.0, "abuse": 0.0}
        windows = []
        before = None
        for _ in range(ROUNDS):
            for phase in cpu:
                start = cache_snapshot(redis_client)
                before = before or (start if phase == "abuse" else None)
                clients_start = children_cpu()
                began = datetime.now(UTC)
                run_phase(deployed, phase, records, SECONDS // ROUNDS)
                windows.append((phase, began, datetime.now(UTC)))
                clients_cpu[phase] += children_cpu() - clients_start
                cpu[phase] += cache_snapshot(redis_client)["cpu"] - start["cpu"]
        after = cache_snapshot(redis_client)
        server_p95 = readers_in_the_server(deployed, windows)
    return {
        "backend": backend,
        "pages": len(urls),
        "base": summarise(records["base"]),
        "abuse": {**summarise(records["abuse"]), **summarise(records["abusers"])},
        "before": before,
        "after": after,
        "cpu": cpu,
        "clients_cpu": clients_cpu,
        "server_p95": server_p95,
    }


def within_bound(result):
    after = result["after"]
    if result["backend"] == "redis":
        return after["bytes"] <= after["maxmemory"]
    return max(after["entries"]) <= MAX_ENTRIES


def verdict(result):
    readers_base, readers_abuse = result["base"]["reader"], result["abuse"]["reader"]
    errors = sum(
        kind["server_errors"] for phase in ("base", "abuse") for kind in result[phase].values()
    )
    ratio = readers_abuse["p95"] / max(readers_base["p95"], 0.001)
    return {"errors": errors, "ratio": ratio, "bounded": within_bound(result)}


def describe_cache(result, moment):
    snapshot = result[moment]
    entries = "+".join(str(n) for n in snapshot["entries"])
    text = f"{entries} entries, {snapshot['bytes'] / MB:.1f} MB"
    if result["backend"] == "redis":
        text += f" (`used_memory`; {snapshot['evicted']} evicted)"
    return text + f"; server RSS {snapshot['rss'] / MB:.0f} MB"


def statuses(kind):
    return ", ".join(
        f"{count:,}× {status or 'failed'}" for status, count in sorted(kind["statuses"].items())
    )


def abusers(kind, hits=False):
    if kind is None:
        return "none"
    share = f" ({kind['hit_share']:.1%} cache hits)" if hits else ""
    return f"{kind['count']:,}{share}: {statuses(kind)}"


def report_backend(result):
    check = verdict(result)
    base, abuse = result["base"], result["abuse"]
    reader_b, reader_a = base["reader"], abuse["reader"]
    junk, search = abuse.get("junk"), abuse.get("search")
    if result["backend"] == "redis":
        bound = f"`maxmemory` {result['after']['maxmemory'] / MB:.0f} MB (deploy/redis/portal.conf)"
    else:
        bound = (
            f"{MAX_ENTRIES} entries per process (`CACHE_MAX_ENTRIES`) × the largest entry "
            f"({result['after']['largest'] / 1024:.0f} KB) = "
            f"{MAX_ENTRIES * result['after']['largest'] / MB:.0f} MB per process"
        )
    lines = [
        f"#### {'Local memory (`locmem://`)' if result['backend'] == 'locmem' else 'Redis'}",
        "",
        "| | baseline | under abuse |",
        "| --- | ---: | ---: |",
        f"| readers' requests | {reader_b['count']:,} | {reader_a['count']:,} |",
        f"| readers' cache hits | {reader_b['hit_share']:.1%} | {reader_a['hit_share']:.1%} |",
        f"| readers' p50 / p95 ms | {reader_b['p50']:.1f} / {reader_b['p95']:.1f} "
        f"| {reader_a['p50']:.1f} / {reader_a['p95']:.1f} |",
        f"| readers' p95 ms in the server | {result['server_p95']['base']:.1f} "
        f"| {result['server_p95']['abuse']:.1f} |",
        f"| readers' statuses | {statuses(reader_b)} | {statuses(reader_a)} |",
        f"| server CPU time | {result['cpu']['base']:.1f} s | {result['cpu']['abuse']:.1f} s |",
        f"| load generators' CPU time | {result['clients_cpu']['base']:.1f} s "
        f"| {result['clients_cpu']['abuse']:.1f} s |",
        f"| junk-query requests | – | {abusers(junk, hits=True)} |",
        f"| unique searches | – | {abusers(search)} |",
        "",
        f"Cache before the abuse: {describe_cache(result, 'before')}; after: "
        f"{describe_cache(result, 'after')}. Bound: {bound}.",
        "",
        f"Goals: 5xx **{check['errors']}** (goal 0); readers' p95 under abuse "
        f"**{check['ratio']:.2f}×** the baseline (goal ≤ 2); cache "
        f"**{'within' if check['bounded'] else 'OVER'}** its bound.",
    ]
    return lines


def main():
    env = site.prepare()
    results = [measure(env, backend) for backend in BACKENDS]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = [
        "### Abuse test (`make abuse-test`)",
        "",
        f"The shipped single-machine layout from `deploy/`: nginx (TLS) in front of "
        f"{LAYOUT}, production settings and the default rate limits, SQLite, on loopback; each "
        "client its own address in X-Forwarded-For, as from a proxy in front of nginx; the load "
        "generator shares the machine. After a warm-up "
        f"({results[0]['pages']} reader pages and searches, four times each): {SECONDS} s of "
        f"{READERS} ordinary readers (`make load`'s mix) and {SECONDS} s of the same readers "
        f"with {JUNK_CLIENTS} clients sending real pages with unique junk query strings "
        f"({JUNK_RATE:g}/s each) and {SEARCH_CLIENTS} addresses sending unique searches with a "
        f"misspelt word over {SEARCH_CONNECTIONS} connections each ({SEARCH_RATE:g}/s each), "
        f"alternating in {ROUNDS} rounds of "
        f"{SECONDS // ROUNDS} s each. Cache figures are before the first and after the last "
        "round with abuse. "
        f"{when}; {site.machine()}.",
        "",
    ]
    for result in results:
        body += [*report_backend(result), ""]
    write_block("abuse-test", "\n".join(body))
    site.say("\n".join(body))
    failed = [
        r["backend"]
        for r in results
        if (v := verdict(r))["errors"] or v["ratio"] > 2 or not v["bounded"]
    ]
    if failed:
        site.say(f"FAILED: goals missed with {', '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
