"""`make load`: 50 concurrent readers for 60 seconds against gunicorn on loopback.

Fails (exit 1) on any failed request; writes requests/s and p50/p95/p99 to docs/benchmarks.md
between <!-- load:start --> and <!-- load:end -->.
"""

import csv
import json
import os
import statistics
import subprocess
import sys
from datetime import UTC, datetime

from . import site
from .report import write_block

USERS = int(os.environ.get("LOAD_USERS", 50))
SECONDS = int(os.environ.get("LOAD_SECONDS", 60))


def run_locust(base):
    prefix = site.WORK / "locust"
    command = [
        str(site.BIN / "locust"),
        "--locustfile",
        str(site.ROOT / "perf" / "locustfile.py"),
        "--headless",
        "--host",
        base,
        "--users",
        str(USERS),
        "--spawn-rate",
        str(USERS),
        "--run-time",
        f"{SECONDS}s",
        "--stop-timeout",
        "10",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    site.say(f"locust: {USERS} readers for {SECONDS} s ...")
    finished = subprocess.run(command, cwd=site.ROOT, check=False)  # noqa: S603
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    return finished.returncode, rows


def cache_summary():
    """From the server's JSON request log: how often the page cache answered, and how fast."""
    durations = {"hit": [], "miss": []}
    with (site.WORK / "gunicorn.log").open(encoding="utf-8") as log:
        for line in log:
            if line.startswith("{"):
                entry = json.loads(line)
                if entry.get("cache") in durations:
                    durations[entry["cache"]].append(entry["duration_ms"])
    hits, misses = durations["hit"], durations["miss"]
    if not hits or not misses:
        return "The server's request log shows no cached pages."
    return (
        f"The page cache answered {len(hits) / (len(hits) + len(misses)):.0%} of the pages "
        f"(median {statistics.median(hits):.1f} ms in the server); the other "
        f"{len(misses):,}, each page's first request in each process, were rendered "
        f"(median {statistics.median(misses):.0f} ms): those make the p95 and p99."
    )


def fmt(row):
    return (
        f"| {row['Name']} | {int(row['Request Count']):,} | {int(row['Failure Count'])} "
        f"| {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} |"
    )


def main():
    env = site.prepare()
    with site.gunicorn(env) as base:
        search_status = site.get(f"{base}/search/?q=grooming")[0]
        returncode, rows = run_locust(base)
    total = next(row for row in rows if row["Name"] == "Aggregated")
    kinds = sorted((row for row in rows if row["Name"] != "Aggregated"), key=lambda r: r["Name"])
    failures = int(total["Failure Count"])
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = "\n".join(
        [
            "### Load test (`make load`)",
            "",
            f"{USERS} concurrent readers for {SECONDS} s (locust, 0.1–0.5 s pause between pages) "
            f"against gunicorn ({site.describe(env)}) with the production "
            "settings, SQLite in WAL mode and the local-memory page cache, on loopback; the load "
            f"generator shares the machine. {when}; {site.machine()}.",
            f"Searches hit `/search/` (answered {search_status} before the run). "
            + cache_summary(),
            "",
            "| page | requests | failures | requests/s | p50 ms | p95 ms | p99 ms |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            fmt({**total, "Name": "**all**"}),
            *(fmt(row) for row in kinds),
        ]
    )
    write_block("load", body)
    site.say(body)
    if failures or returncode:
        site.say(f"FAILED: {failures} failed requests (locust exit {returncode})")
        sys.exit(1)


if __name__ == "__main__":
    main()
