"""Time searches at several corpus sizes and write the figures to docs/benchmarks.md."""

import gc
import os
import platform
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.utils import load_backend
from django.test import RequestFactory, override_settings
from django.utils import timezone

from briefings.models import SearchEntry
from briefings.search.results import Filters
from briefings.search.service import Params, search
from briefings.search.views import search_page

START = "<!-- search-bench:start -->"
END = "<!-- search-bench:end -->"
INTRO = """# Benchmarks

Measured on this project's own machines; each block is rewritten by the target named in it.
"""
GOAL_MS = 20.0
GOAL_RATIO = 2.0

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

    def handle(self, *args, scales, rounds, write, verbosity=1, **options):
        try:
            scales = [int(s) for s in scales.split(",") if s.strip()]
        except ValueError:
            raise CommandError("--scales must be comma-separated integers, e.g. 1,100") from None
        name = str(connection.settings_dict["NAME"])
        if "bench" not in name:
            raise CommandError(f"Refusing to benchmark on {name!r}: use a throw-away database.")
        if connection.vendor == "sqlite":
            rows = self.measure_interleaved(Path(name), scales, rounds)
        else:
            rows = []
            for scale in scales:
                call_command("generate_corpus", scale=scale, verbosity=0)
                rows.append(self.measure({scale: connections[DEFAULT_DB_ALIAS]}, rounds)[0])
        if verbosity:
            for row in rows:
                self.stdout.write(self.format_row(row))
        if write:
            self.write(Path(write), rows, rounds)
            if verbosity:
                self.stdout.write(f"Wrote {write}.")

    def measure_interleaved(self, path, scales, rounds):
        """Each scale in its own copy of the database, timed in turns, round by round: the
        machine's slow and fast spells then fall on every scale alike, not on one of them.
        Each copy keeps its own open connection, so none starts a round with a cold cache."""
        original = connections[DEFAULT_DB_ALIAS]
        copies, wrappers = {}, {}
        try:
            for scale in scales:
                call_command("generate_corpus", scale=scale, verbosity=0)
                copies[scale] = path.with_name(f"{path.stem}-scale-{scale}{path.suffix}")
                copies[scale].unlink(missing_ok=True)
                with original.cursor() as cursor:
                    cursor.execute("VACUUM INTO %s", [str(copies[scale])])
                settings_dict = {**original.settings_dict, "NAME": str(copies[scale])}
                backend = load_backend(settings_dict["ENGINE"])
                wrappers[scale] = backend.DatabaseWrapper(settings_dict, DEFAULT_DB_ALIAS)
            return self.measure(wrappers, rounds)
        finally:
            connections[DEFAULT_DB_ALIAS] = original
            for wrapper in wrappers.values():
                wrapper.close()
            for copy in copies.values():
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{copy}{suffix}").unlink(missing_ok=True)

    @staticmethod
    def use(wrapper):
        """Make a connection the default one, which the searches use."""
        connections[DEFAULT_DB_ALIAS] = wrapper

    @override_settings(DEBUG=False)  # no query logging while timing
    def measure(self, databases, rounds):
        """Time every query at each scale ({scale: connection}), the scales in turn."""
        factory = RequestFactory()
        cases = [Params(q=q, filters=Filters(**filters)) for q, filters in QUERIES]
        requests = [factory.get("/search/", {"q": q, **filters}) for q, filters in QUERIES]
        now = timezone.now()
        runs = {}
        for scale, database in databases.items():
            self.use(database)
            runs[scale] = {
                "entries": SearchEntry.objects.count(),
                # Also warms the caches. A capped total is shown as "500+".
                "totals": [(o.total, o.capped) for o in (search(p, now=now) for p in cases)],
                "per_query": [[] for _ in cases],
                "pages": [],
            }
        # As timeit does: no garbage collection pauses inside the timings.
        gc.collect()
        gc.disable()
        try:
            self.time_rounds(databases, runs, cases, requests, rounds, now)
        finally:
            gc.enable()
        return [self.summary(scale, run) for scale, run in runs.items()]

    def time_rounds(self, databases, runs, cases, requests, rounds, now):
        for _ in range(rounds):
            for scale, database in databases.items():
                self.use(database)
                run = runs[scale]
                for index, params in enumerate(cases):
                    started = time.perf_counter()
                    search(params, now=now)
                    run["per_query"][index].append((time.perf_counter() - started) * 1000)
                for request in requests:
                    started = time.perf_counter()
                    search_page(request)
                    run["pages"].append((time.perf_counter() - started) * 1000)

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
    def format_row(row):
        return (
            f"| {row['scale']} | {row['entries']:,} | {row['search_p50']:.1f} | "
            f"{row['search_p95']:.1f} | {row['search_max']:.1f} | {row['page_p50']:.1f} | "
            f"{row['page_p95']:.1f} |"
        )

    @staticmethod
    def verdict(rows):
        if len(rows) < 2:
            return []
        small, large = rows[0], rows[-1]
        ratio = large["search_p95"] / small["search_p95"] if small["search_p95"] else 0
        absolute = "met" if large["search_p95"] < GOAL_MS else "**not met**"
        relative = "met" if ratio < GOAL_RATIO else "**not met**"
        return [
            f"Goals at scale {large['scale']}: p95 under {GOAL_MS:.0f} ms — {absolute} "
            f"({large['search_p95']:.1f} ms); under {GOAL_RATIO:.0f}× the scale-{small['scale']} "
            f"p95 — {relative} ({ratio:.1f}×).",
            "",
        ]

    @staticmethod
    def query_table(rows):
        shown = [rows[0]] if len(rows) == 1 else [rows[0], rows[-1]]
        if len(shown) == 1:
            head = "| query | results | ms |"
        else:
            scales = " | ".join(f"scale {row['scale']} results | ms" for row in shown)
            head = f"| query | {scales} |"
        lines = [head, "| --- |" + " ---: | ---: |" * len(shown)]
        for index, (name, _, _) in enumerate(shown[0]["queries"]):
            cells = []
            for row in shown:
                _, (total, capped), ms = row["queries"][index]
                cells.append(f"{total:,}{'+' if capped else ''} | {ms:.1f}")
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        return lines

    @staticmethod
    def narrative(limit):
        return [
            f"A search's work is bounded: when more than `SEARCH_EXACT_LIMIT` ({limit:,}) rows "
            f"match the words under the chosen filters, it reads the first {limit:,} that pass "
            "the published check, those whose heading or key message holds the words first, "
            f"ranks and counts those, and says “more than {limit:,} results” (shown as "
            f"{limit:,}+ above). Below the limit, ranking and counts are exact, as they are for "
            "every one-word search of the real collection. A search's cost is about "
            "proportional to the rows it reads, so to the limit.",
            "",
            "Only the page's set of rows is ranked: the sets read for the filter counts skip "
            "bm25(). A read that is not needed is not started (the condition is inside the FTS5 "
            "MATCH, which SQLite would otherwise run before testing it). “All the words but one” "
            "writes the k-th commonest word k times, not every word n − 1 times. Each index row "
            "holds its kind, document, roles and themes as words of a fifth, unshown column, so "
            "a filter is an intersection of word lists inside FTS5: a filter that few matches "
            "pass (one document of hundreds) costs what its results cost, not what every match "
            "of the words costs.",
            "",
            "What still grows with the collection: bm25() weighs each word by reading every row "
            "that holds it, once per time the word is written in the search (most for “all the "
            "words but one”); each highlighted hit seeks its row in every word's list; and the "
            "filter counts and the ranking grow with the rows read, up to the limit, which a "
            "larger collection reaches for more searches. FTS5 prefix indexes (3 to 8 letters) "
            "keep the last word's prefix search to one list. The spelling vocabulary is a table "
            "counted when rows are written (an fts5vocab view counted every word's rows on each "
            "read), and a suggestion stops measuring a word's distance as soon as it is too far.",
        ]

    def write(self, path, rows, rounds):
        version = connection.Database.sqlite_version if connection.vendor == "sqlite" else ""
        machine = f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
        lines = [
            START,
            "### Search (`make bench-search`)",
            "",
            f"{timezone.now():%Y-%m-%d %H:%M} UTC; SQLite {version}, {machine}. "
            f"{len(QUERIES)} queries × {rounds} rounds per scale, in milliseconds, the scales "
            "timed in turns round by round (each in its own copy of the database, with its own "
            "open connection), so that the machine's slow and fast spells fall on both alike. "
            "*Search* is "
            "all the page's database work and result building: role and glossary, the "
            "one-statement search (match, rank, published check, four facets, one page of "
            "highlighted hits) and, when nothing matches, the spelling suggestion and closest "
            "results. *Page* adds rendering the template. Scale N is the real corpus plus N − 1 "
            "synthetic copies (`manage.py generate_corpus`) on a throw-away database.",
            "",
            "| scale | index rows | search p50 | search p95 | search max | page p50 | page p95 |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            *[self.format_row(row) for row in rows],
            "",
            *self.verdict(rows),
            f"Each query (median of {rounds}, in milliseconds):",
            "",
            *self.query_table(rows),
            "",
            *self.narrative(settings.SEARCH_EXACT_LIMIT),
            END,
        ]
        block = "\n".join(lines)
        text = path.read_text(encoding="utf-8") if path.exists() else INTRO
        if START in text and END in text:
            before, rest = text.split(START, 1)
            after = rest.split(END, 1)[1]
            text = before + block + after
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
