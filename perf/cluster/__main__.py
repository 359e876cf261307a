"""`make cluster-test` (python -m perf.cluster): bring the cluster up, prove it, print a table.

CLUSTER_USERS (200) readers for CLUSTER_SECONDS (60) make the load; CI runs a shorter one. With
the full 60 s the results are written to docs/benchmarks.md (CLUSTER_WRITE=0 to skip, 1 to force).
The whole run is bounded by CLUSTER_TIMEOUT (900 s); every process it started is stopped however
it ends, and the logs are kept in var/cluster/.
"""

from __future__ import annotations

import os
import signal
import sys
import textwrap
from datetime import UTC, datetime

from perf.report import write_block
from perf.site import machine

from .build import KEPT_LOGS, build
from .outages import PAUSE_SECONDS, check_postgres_restart, check_redis_outage, run_load
from .proofs import Result, run_checks
from .services import Processes, say

USERS = int(os.environ.get("CLUSTER_USERS", 200))
SECONDS = int(os.environ.get("CLUSTER_SECONDS", 60))
TIMEOUT = int(os.environ.get("CLUSTER_TIMEOUT", 900))
WRITE = os.environ.get("CLUSTER_WRITE", "1" if SECONDS >= 60 else "0") == "1"


class OutOfTime(Exception):
    pass


def _out_of_time(signum, frame):
    raise OutOfTime(f"the cluster test ran past CLUSTER_TIMEOUT ({TIMEOUT} s)")


def _stopped(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def table(results):
    width = 100
    lines = [f"{'':2} {'check':<62} result", "-" * width]
    for result in results:
        lines.append(f"{'':2} {result.name:<62} {'PASS' if result.ok else 'FAIL'}")
        lines += textwrap.wrap(
            result.detail, width, initial_indent=" " * 6, subsequent_indent=" " * 6
        )
    return "\n".join(lines)


def markdown(cluster, results, rows):
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    kinds = sorted((r for r in rows if r["Name"] != "Aggregated"), key=lambda r: r["Name"])
    total = next(r for r in rows if r["Name"] == "Aggregated")

    def row(r, name):
        return (
            f"| {name} | {int(r['Request Count']):,} | {int(r['Failure Count'])} "
            f"| {float(r['Requests/s']):.1f} | {r['50%']} | {r['95%']} | {r['99%']} |"
        )

    busy = ""
    load_average = max(cluster.facts.get("load average", (0, 0)))
    if load_average > (os.cpu_count() or 1):
        busy = (
            f" The machine was busy with other work as well (load average up to "
            f"{load_average:.0f} on {os.cpu_count()} CPUs): these figures show the cluster "
            "overloaded, not its capacity."
        )
    return "\n".join(
        [
            "### Several servers (`make cluster-test`)",
            "",
            f"nginx (TLS, HTTP/2, gzip) in front of two gunicorn servers (production settings, "
            f"each {cluster.a.env['GUNICORN_WORKERS']} processes × "
            f"{cluster.a.env['GUNICORN_THREADS']} threads, separate `var/`), PostgreSQL and "
            "Redis, all from the "
            f"files in `deploy/` on one machine's loopback; {USERS} concurrent readers for "
            f"{SECONDS} s (locust, pages and searches, each reader pausing "
            f"{PAUSE_SECONDS[0]}–{PAUSE_SECONDS[1]} s between pages; each its own loopback "
            "address), server B stopped a third of the way in "
            f"and started again at two thirds. {when}; {machine()}; the load generator and every "
            "service share the machine." + busy,
            "",
            "| page | requests | failures | requests/s | p50 ms | p95 ms | p99 ms |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            row(total, "**all**"),
            *(row(r, r["Name"]) for r in kinds),
            "",
            "| check | result | measured |",
            "| --- | --- | --- |",
            *(f"| {r.name} | {'pass' if r.ok else '**FAIL**'} | {r.detail} |" for r in results),
        ]
    )


def failed(step, error):
    return Result(step.__name__.replace("_", " "), False, f"{type(error).__name__}: {error}")


def prove(cluster):
    results, rows = run_checks(cluster), []
    try:
        load_results, rows = run_load(cluster, USERS, SECONDS)
        results += load_results
    except Exception as error:  # noqa: BLE001 - a failed check is a row, not the end
        results.append(failed(run_load, error))
    for outage in (check_redis_outage, check_postgres_restart):
        try:
            results.append(outage(cluster))
        except Exception as error:  # noqa: BLE001
            results.append(failed(outage, error))
    return results, rows


def main():
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.signal(signal.SIGTERM, _stopped)
    signal.signal(signal.SIGHUP, _stopped)
    signal.alarm(TIMEOUT)
    processes = Processes()
    try:
        cluster = build(processes)
        results, rows = prove(cluster)
    except (KeyboardInterrupt, OutOfTime) as error:
        say(f"Stopped before the end: {error or 'interrupted'}")
        results = None
    finally:
        signal.alarm(0)
        say("Stopping every process the test started ...")
        processes.stop_all()
        say(f"Logs: {KEPT_LOGS}")
    if results is None:
        sys.exit(1)
    say("\n" + table(results))
    failures = [r for r in results if not r.ok]
    if WRITE and rows:
        write_block("cluster", markdown(cluster, results, rows))
        say("Written to docs/benchmarks.md")
    say(f"\n{len(results) - len(failures)} of {len(results)} checks passed.")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
