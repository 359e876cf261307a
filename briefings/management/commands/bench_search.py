"""Time searches at several corpus sizes and write the figures to docs/benchmarks.md."""

import gc
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import RequestFactory, override_settings

from briefings.models import SearchEntry
from briefings.search import bench_report
from briefings.search.bench_databases import Copies, recreate, settle
from briefings.search.results import Filters
from briefings.search.service import Params, search
from briefings.search.views import search_page

# What practitioners type: questions, short topics, every operator, an acronym both ways, a typo
# (the slower "Did you mean" path), filtered searches, and a few very broad words.
QUERIES = [
    ("what if the young person will not talk to us?", {}),
    ("how can officers build trust with a young person", {}),
    ("young person believes they are in love with the abuser", {}),
    ("sharing nicknames and car registrations with the police", {}),
    ("confidentiality concerns that stop information sharing", {}),
    ("advice for parents whose child keeps going missing", {}),
    ("long waiting times for CAMHS", {}),
    ("child and adolescent mental health services", {}),
    ("looked after children and placement moves", {}),
    ("missing", {}),
    ("trust", {}),
    ("grooming", {}),
    ("disrupt perpetrators", {}),
    ('"professional curiosity"', {}),
    ('"sexual health" -pregnancy', {}),
    ("missing OR runaway", {}),
    ("exploi", {}),
    ("vulnerabilty indicaters", {}),
    ("CSE", {}),
    ("young people", {}),
    ("disclosure", {"role": "police"}),
    # A broad word within one document: at scale 100, one of 500.
    ("CSE", {"document": "police"}),
    ("support", {"kind": "section", "theme": "specialist-support"}),
]


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def describe(q, filters):
    return f"`{q}`" + "".join(f" {k}={v}" for k, v in filters.items())


class Command(BaseCommand):
    help = (
        "Benchmark search at corpus scales (generate_corpus) and write p50/p95 to "
        "docs/benchmarks.md. Needs a throw-away database whose name contains 'bench'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scales", default="1,100", help="Comma-separated corpus scales.")
        # 15: with 7, one slow spell of the machine could move a p95 by a fifth.
        parser.add_argument("--rounds", type=int, default=15, help="Timed runs of each query.")
        parser.add_argument(
            "--write", default="", help="Markdown file to update between the search markers."
        )
        parser.add_argument(
            "--recreate",
            action="store_true",
            dest="fresh",
            help="First empty the bench database, migrate it and load the real content.",
        )

    def handle(self, *args, scales, rounds, write, fresh=False, verbosity=1, **options):
        try:
            scales = [int(s) for s in scales.split(",") if s.strip()]
        except ValueError:
            raise CommandError("--scales must be comma-separated integers, e.g. 1,100") from None
        name = str(connection.settings_dict["NAME"])
        if "bench" not in name:
            raise CommandError(f"Refusing to benchmark on {name!r}: use a throw-away database.")
        if fresh:
            recreate(connection)
        rows, bulk = self.measure_interleaved(scales, rounds)
        if verbosity:
            for row in rows:
                self.stdout.write(bench_report.format_row(row))
            for line in bench_report.bulk_lines(bulk):
                self.stdout.write(line)
        if write:
            self.write(Path(write), rows, rounds, bulk)
            if verbosity:
                self.stdout.write(f"Wrote {write}.")

    def measure_interleaved(self, scales, rounds):
        """Each scale in its own copy of the database, timed in turns, round by round: the
        machine's slow and fast spells then fall on every scale alike, not on one of them.
        Each copy keeps its own open connection, so none starts a round with a cold cache.
        Also times writing each scale's corpus, and rebuilding the index at the largest."""
        original = connections[DEFAULT_DB_ALIAS]
        copies = Copies(original)
        bulk = {"generate": {}}
        try:
            wrappers = {}
            for scale in scales:
                started = time.perf_counter()
                call_command("generate_corpus", scale=scale, verbosity=0)
                bulk["generate"][scale] = time.perf_counter() - started
                wrappers[scale] = copies.add(scale)
            started = time.perf_counter()
            call_command("rebuild_search_index", verbosity=0)
            bulk["rebuild"] = (scales[-1], time.perf_counter() - started)
            settle(original)
            return self.measure(wrappers, rounds), bulk
        finally:
            connections[DEFAULT_DB_ALIAS] = original
            copies.drop()

    @staticmethod
    def use(wrapper):
        """Make a connection the default one, which the searches use."""
        connections[DEFAULT_DB_ALIAS] = wrapper

    def measure(self, databases, rounds):
        """Time every query at each scale ({scale: connection}), the scales in turn.

        The bench is one client sending hundreds of searches a minute, which the per-client
        limit on searches would refuse after the first few dozen (portal/ratelimit.py): its
        count is raised out of reach, so that every page timed is a search page, with the
        limiter's own work (counting the client) still inside the timing. So is the CPU share
        of uncached searches, which would make the bench wait."""
        limits = {**settings.RATE_LIMITS, "search": (10**9, 60)}
        # Likewise the share of the process's CPU time searches may take (ratelimit.Gate): the
        # bench is nothing but searches, and would time its own waits for credit.
        shares = {**settings.CPU_SHARES, "search": None}
        # No query logging while timing.
        with override_settings(DEBUG=False, RATE_LIMITS=limits, CPU_SHARES=shares):
            return self._measure(databases, rounds)

    def _measure(self, databases, rounds):
        """measure(), inside its settings."""
        factory = RequestFactory()
        cases = [Params(q=q, filters=Filters(**filters)) for q, filters in QUERIES]
        requests = [factory.get("/search/", {"q": q, **filters}) for q, filters in QUERIES]
        runs = {}
        for scale, database in databases.items():
            self.use(database)
            runs[scale] = {
                "entries": SearchEntry.objects.count(),
                # Also warms the caches. A capped total is shown as "500+".
                "totals": [(o.total, o.capped) for o in (search(p) for p in cases)],
                "per_query": [[] for _ in cases],
                "pages": [],
            }
        # As timeit does: no garbage collection pauses inside the timings.
        gc.collect()
        gc.disable()
        try:
            self.time_rounds(databases, runs, cases, requests, rounds)
        finally:
            gc.enable()
        return [self.summary(scale, run) for scale, run in runs.items()]

    def time_rounds(self, databases, runs, cases, requests, rounds):
        """Each search at the present moment, as the search page runs it: what it reads once
        per content version (SearchBackend.prelude) is read in the warm-up."""
        for _ in range(rounds):
            for scale, database in databases.items():
                self.use(database)
                run = runs[scale]
                for index, params in enumerate(cases):
                    started = time.perf_counter()
                    search(params)
                    run["per_query"][index].append((time.perf_counter() - started) * 1000)
                for request in requests:
                    started = time.perf_counter()
                    response = search_page(request)
                    run["pages"].append((time.perf_counter() - started) * 1000)
                    if response.status_code != 200:
                        raise CommandError(
                            f"The search page answered {response.status_code} to "
                            f"{request.get_full_path()}: only search pages may be timed."
                        )

    @staticmethod
    def summary(scale, run):
        search_times = [t for times in run["per_query"] for t in times]
        pages = run["pages"]
        return {
            "scale": scale,
            "entries": run["entries"],
            "search_p50": statistics.median(search_times),
            "search_p95": percentile(search_times, 0.95),
            "search_max": max(search_times),
            "page_p50": statistics.median(pages),
            "page_p95": percentile(pages, 0.95),
            "queries": [
                (describe(q, filters), total, statistics.median(times))
                for (q, filters), total, times in zip(
                    QUERIES, run["totals"], run["per_query"], strict=True
                )
            ],
        }

    @staticmethod
    def write(path, rows, rounds, bulk=None):
        if connection.vendor == "sqlite":
            version = connection.Database.sqlite_version
        else:
            version = ".".join(str(connection.pg_version // 10000**i % 10000) for i in (1, 0))
        text = bench_report.block(
            connection.vendor,
            version,
            rows,
            rounds,
            len(QUERIES),
            settings.SEARCH_EXACT_LIMIT,
            bulk,
        )
        bench_report.write(path, connection.vendor, text)
