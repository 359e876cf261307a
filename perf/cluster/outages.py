"""The cluster under load and under failure: readers while server B stops, Redis stopped,
PostgreSQL restarted. Each returns Results; the load also returns its figures for the docs."""

from __future__ import annotations

import csv
import os
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .http import through_nginx
from .proofs import POLICE, Result, cache_state
from .services import BIN, ROOT, say, wait_for

RECOVERY_LIMIT = 5.0  # seconds from PostgreSQL's return to full service
# The cluster's readers read: each pauses 1 to 5 s between pages (200 of them ask for about 60
# pages a second), where `make load` pauses 0.1-0.5 s to load one server as hard as it can. At
# that rate 200 readers on two CPUs are an overload, and an overload is answered partly with the
# busy 429 that keeps searches from taking every thread (portal/ratelimit.py, Gate).
PAUSE_SECONDS = (1, 5)


def locust_command(cluster, users, seconds, prefix):
    return [
        str(BIN / "locust"),
        "--locustfile", str(ROOT / "perf" / "locustfile.py"),
        "--headless",
        "--host", f"https://127.0.0.1:{cluster.nginx.https_port}",
        "--users", str(users),
        "--spawn-rate", str(max(users // 5, 1)),
        "--run-time", f"{seconds}s",
        "--stop-timeout", "10",
        "--csv", str(prefix),
        "--only-summary",
        "--loglevel", "WARNING",
    ]  # fmt: skip


def retried_by_nginx(access_log, since):
    """Requests nginx sent to a second server after the first failed them (from its log)."""
    retried, lines = 0, access_log.read_text(encoding="utf-8").splitlines()[since:]
    for line in lines:
        upstreams = line.partition("upstream=")[2].split(" upstream_status=")[0]
        retried += "," in upstreams
    return retried, len(lines)


def request_marks(*servers):
    """How many requests each server's current log holds: what came after is the load's."""
    return {log: len(server.requests_logged(log)) for server in servers for log in server.logs}


def served_since(server, marks):
    return [
        entry for log in server.logs for entry in server.requests_logged(log)[marks.get(log, 0) :]
    ]


def run_load(cluster, users, seconds):
    """Readers through nginx for `seconds`; server B is stopped a third of the way in and
    started again at two thirds."""
    prefix, a, b = cluster.work / "locust", cluster.a, cluster.b
    log_start = len(cluster.nginx.access_log.read_text(encoding="utf-8").splitlines())
    marks = request_marks(a, b)
    say(f"locust: {users} readers for {seconds} s through nginx; B stops at {seconds // 3} s")
    locust = cluster.processes.start(
        "locust",
        locust_command(cluster, users, seconds, prefix),
        log=cluster.work / "logs" / "locust.log",
        env={
            **os.environ,
            "LOAD_CA_FILE": str(cluster.nginx.cert),
            "LOAD_SOURCE_ADDRESSES": str(users),
            "LOAD_PAUSE_SECONDS": ",".join(map(str, PAUSE_SECONDS)),
        },
        cwd=ROOT,
    )
    started, load_before = time.monotonic(), os.getloadavg()[0]
    time.sleep(seconds / 3)
    # B must have been in the rotation before it stops (a slow start could leave it unused).
    wait_for("server B to serve the load", lambda: served_since(b, marks), seconds / 3)
    stopped_at = time.monotonic() - started
    b.stop()
    before = len(served_since(b, marks))
    time.sleep(max(0.0, started + 2 * seconds / 3 - time.monotonic()))
    restarted_at = time.monotonic() - started
    b.start()
    locust.wait(timeout=seconds + 90)
    cluster.processes.stop(locust)
    after = len(served_since(b, marks)) - before
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    failures = int(total["Failure Count"])
    reasons = failure_reasons(Path(f"{prefix}_failures.csv"))
    retried, proxied = retried_by_nginx(cluster.nginx.access_log, log_start)
    caching = [e["cache"] for e in served_since(a, marks) + served_since(b, marks)]
    hits = caching.count("hit") / max(1, caching.count("hit") + caching.count("miss"))
    cluster.facts["load average"] = (load_before, os.getloadavg()[0])
    load = Result(
        f"{users} concurrent readers for {seconds} s through nginx: no failed request",
        failures == 0 and locust.returncode == 0,
        f"{int(total['Request Count']):,} requests, {failures} failed, "
        f"{float(total['Requests/s']):.0f}/s; p50 {total['50%']} ms, p95 {total['95%']} ms, "
        f"p99 {total['99%']} ms; {hits:.0%} of pages from the cache; machine load average "
        f"{load_before:.1f} → {os.getloadavg()[0]:.1f}"
        + (f"; failed: {reasons}" if reasons else ""),
    )
    stop = Result(
        "Server B stopped during the load: no request lost",
        failures == 0 and before > 0 and after > 0,
        f"B answered {before:,} of the readers' requests, was stopped at {stopped_at:.0f} s "
        f"and started again at {restarted_at:.0f} s, then answered {after:,}; nginx sent "
        f"{retried} of {proxied:,} "
        "on to the other server after the first failed them",
    )
    return [load, stop], rows


def failure_reasons(path: Path, shown=4) -> str:
    """The commonest failures locust recorded (what and where), for the report."""
    if not path.exists():
        return ""
    with path.open(newline="", encoding="utf-8") as failures:
        rows = sorted(csv.DictReader(failures), key=lambda row: -int(row["Occurrences"]))
    return "; ".join(
        f"{row['Occurrences']}× {row['Name']}: {row['Error'][:80]}" for row in rows[:shown]
    )


def log_mentions(server, text, offsets):
    found = 0
    for log in server.logs:
        content = log.read_text(encoding="utf-8", errors="replace")
        found += content[offsets.get(log, 0) :].count(text)
    return found


def log_offsets(*servers):
    return {
        log: len(log.read_text(encoding="utf-8", errors="replace"))
        for s in servers
        for log in s.logs
    }


def check_redis_outage(cluster, seconds=6) -> Result:
    client = through_nginx(cluster.nginx)
    client.get(POLICE)
    warm = cache_state(client.get(POLICE))
    offsets = log_offsets(cluster.a, cluster.b)
    cluster.redis.stop()
    paths = ["/", POLICE, cluster.facts["section_url"], "/themes/", "/search/?q=grooming"]
    deadline, answers, refused = time.monotonic() + seconds, [], Counter()

    def reader(index):
        own = through_nginx(cluster.nginx)
        while time.monotonic() < deadline:
            path = paths[index % len(paths)]
            response = own.get(path)
            answers.append((response.status, cache_state(response)))
            if response.status != 200:
                refused[(response.status, path.partition("?")[0])] += 1
            index += 1

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(reader, range(8)))
    warnings = {
        s.name: log_mentions(s, "Page cache unavailable", offsets) for s in (cluster.a, cluster.b)
    }
    cluster.redis.start()
    restarted = time.monotonic()
    wait_for("caching to resume", lambda: cache_state(client.get(POLICE)) == "hit", 30)
    resumed = time.monotonic() - restarted
    statuses = sorted({status for status, _ in answers})
    ok = (
        warm == "hit"
        and statuses == [200]
        and all(state == "none" for _, state in answers)
        and all(warnings.values())
    )
    return Result(
        "Redis stopped: pages served uncached, a warning logged; caching resumes",
        ok,
        f"{len(answers):,} requests in {seconds} s without Redis: status {statuses}, none from the "
        f"cache; warnings logged by A {warnings['A']}, B {warnings['B']}; Redis started again: "
        f"pages cached again after {resumed:.1f} s"
        + "".join(f"; {n}× {status} from {path}" for (status, path), n in refused.most_common()),
    )


class Probes:
    """Requests of each kind in a loop through nginx, every answer timed."""

    def __init__(self, cluster, trainer_cookies):
        self.cluster = cluster
        self.kinds = {
            "healthz": ("/healthz", {}),
            "cached page": (POLICE, {}),
            "static file": ("/static/favicon.svg", {}),
            "signed-in page": ("/packs/mine/", trainer_cookies),
        }
        self.records = []  # (started, finished, kind, status)
        self.stopping = threading.Event()

    def loop(self, kind):
        path, cookies = self.kinds[kind]
        client = through_nginx(self.cluster.nginx)
        client.cookies = dict(cookies)
        client.timeout = 10
        while not self.stopping.is_set():
            started = time.monotonic()
            try:
                status = client.get(path).status
            except OSError:
                status = 0
            self.records.append((started, time.monotonic(), kind, status))
            time.sleep(0.1)

    def __enter__(self):
        self.threads = [threading.Thread(target=self.loop, args=(k,)) for k in self.kinds]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join()


def check_postgres_restart(cluster, down=5.0) -> Result:
    trainer = through_nginx(cluster.nginx)
    trainer.sign_in("trainer", cluster.passwords["trainer"], cluster.origin)
    through_nginx(cluster.nginx).get(POLICE)  # cached before the outage
    with Probes(cluster, trainer.cookies) as probes:
        time.sleep(2)
        stopping = time.monotonic()
        cluster.postgres.stop()
        stopped = time.monotonic()
        time.sleep(down)
        starting = time.monotonic()
        cluster.postgres.start()
        ready = time.monotonic()
        time.sleep(RECOVERY_LIMIT + 3)
    records = probes.records
    health_down = [
        s for t0, t1, k, s in records if k == "healthz" and t0 >= stopped and t1 <= starting
    ]
    never_down = [s for _, _, k, s in records if k in ("cached page", "static file")]
    # Excused: an answer that needed the database while it was away (in flight when it stopped,
    # or before it was back and the servers had reconnected).
    unexplained = [
        f"{k} {s} at {t0 - stopping:+.1f} s"
        for t0, t1, k, s in records
        if (s >= 500 or s == 0)
        and not (
            s >= 500
            and k in ("healthz", "signed-in page")
            and t1 >= stopping
            and t0 <= ready + RECOVERY_LIMIT
        )
    ]
    late = [t1 - ready for t0, t1, k, s in records if t0 >= ready and s != 200]
    recovered = max(late, default=0.0)
    ok = (
        health_down
        and set(health_down) == {503}
        and set(never_down) == {200}
        and not unexplained
        and recovered <= RECOVERY_LIMIT
    )
    errors_in_outage = sum(1 for t0, _, k, s in records if k == "signed-in page" and s >= 500)
    return Result(
        "PostgreSQL restarted: /healthz 503 while down, full service within 5 s",
        bool(ok),
        f"down {starting - stopping:.1f} s: /healthz {sorted(set(health_down))} "
        f"({len(health_down)} probes), cached pages and static files {sorted(set(never_down))}, "
        f"signed-in pages (need the database) {errors_in_outage} errors during the outage only; "
        f"every probe 200 again {recovered:.1f} s after PostgreSQL was ready; "
        f"other 5xx: {', '.join(unexplained) or 'none'}",
    )
