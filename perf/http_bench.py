"""`make bench-http`: a document page against the same HTML served as a static file.

Both go through the same gunicorn, Django middleware and whitenoise, measured by wrk in the same
run, alternating so that neither gets a quieter machine. The page should reach at least half the
static file's requests per second (the page cache makes that possible); exit 1 if it does not.
Results go to docs/benchmarks.md between <!-- http-bench:start --> and <!-- http-bench:end -->.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
from datetime import UTC, datetime

from . import site
from .report import write_block

DOCUMENT = "/documents/police/"
STATIC_NAME = "bench/document.html"
SECONDS = int(os.environ.get("BENCH_SECONDS", 10))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 32))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url, seconds):
    command = [
        shutil.which("wrk") or "wrk",
        "--threads",
        "2",
        "--connections",
        str(CONNECTIONS),
        "--duration",
        f"{seconds}s",
        "--latency",
        "--header",
        "X-Forwarded-Proto: https",
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk saw errors for {url}:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {
        pct: float(value) * UNITS[unit]
        for pct, value, unit in re.findall(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    }
    return rps, latency


def render_static_copy(base):
    """Save the page's HTML, exactly as served, where whitenoise serves static files from."""
    status, html = site.get(base + DOCUMENT)
    if status != 200:
        raise RuntimeError(f"{DOCUMENT} answered {status}")
    return html


def main():
    if not shutil.which("wrk"):
        site.say("wrk is not installed (apt-get install wrk)")
        sys.exit(1)
    env = site.prepare()
    static_root = site.ROOT / "var" / "staticfiles"
    target = static_root / STATIC_NAME
    # Whitenoise indexes the static files when gunicorn starts, so the copy is made first, with
    # a short-lived server, and measured by a second one.
    with site.gunicorn(env) as base:
        html = render_static_copy(base)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(html)
    results = {"static": [], "page": []}
    try:
        with site.gunicorn(env) as base:
            urls = {"static": f"{base}/static/{STATIC_NAME}", "page": base + DOCUMENT}
            for url in urls.values():
                status, body = site.get(url)
                if status != 200 or body != html:
                    raise RuntimeError(f"{url} does not serve the same HTML")
                wrk(url, 2)  # warm every worker
            for round_number in range(ROUNDS):
                for kind, url in urls.items():
                    rps, latency = wrk(url, SECONDS)
                    results[kind].append((rps, latency))
                    site.say(f"round {round_number + 1} {kind}: {rps:.0f} requests/s")
    finally:
        shutil.rmtree(target.parent, ignore_errors=True)

    def summary(kind):
        runs = results[kind]
        rps = statistics.median(r for r, _ in runs)
        p = {pct: statistics.median(lat[pct] for _, lat in runs) for pct in ("50", "90", "99")}
        return rps, p

    static_rps, static_p = summary("static")
    page_rps, page_p = summary("page")
    ratio = page_rps / static_rps
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = "\n".join(
        [
            "### Document page against the same HTML as a static file (`make bench-http`)",
            "",
            f"`{DOCUMENT}` ({len(html):,} bytes) and a copy of its HTML at `/static/{STATIC_NAME}`,"
            f" both through gunicorn ({site.describe(env)}), the Django "
            "middleware and whitenoise, production settings; wrk with 2 threads and "
            f"{CONNECTIONS} connections on loopback, {ROUNDS} alternating rounds of {SECONDS} s "
            f"each, medians shown. {when}; {site.machine()}.",
            "",
            "| served as | requests/s | p50 ms | p90 ms | p99 ms |",
            "| --- | ---: | ---: | ---: | ---: |",
            f"| static file | {static_rps:,.0f} | {static_p['50']:.2f} | {static_p['90']:.2f} "
            f"| {static_p['99']:.2f} |",
            f"| document page | {page_rps:,.0f} | {page_p['50']:.2f} | {page_p['90']:.2f} "
            f"| {page_p['99']:.2f} |",
            "",
            f"The document page reaches **{ratio:.0%}** of the static file's requests per second "
            "(goal: at least 50%).",
        ]
    )
    write_block("http-bench", body)
    site.say(body)
    if ratio < 0.5:
        site.say("FAILED: the document page is below half the static file's rate")
        sys.exit(1)


if __name__ == "__main__":
    main()
