"""The search benchmark's figures as Markdown, one block per database in docs/benchmarks.md
(manage.py bench_search writes it; each block is rewritten between its own markers)."""

from __future__ import annotations

import os
import platform
from pathlib import Path

from django.utils import timezone

INTRO = """# Benchmarks

Measured on this project's own machines; each block is rewritten by the target named in it.
"""
GOAL_MS = 20.0
GOAL_RATIO = 2.0
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def markers(vendor: str) -> tuple[str, str]:
    """The SQLite block keeps the markers it always had; PostgreSQL's has its own."""
    name = "search-bench" if vendor == "sqlite" else f"search-bench-{vendor}"
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def format_row(row) -> str:
    return (
        f"| {row['scale']} | {row['entries']:,} | {row['search_p50']:.1f} | "
        f"{row['search_p95']:.1f} | {row['search_max']:.1f} | {row['page_p50']:.1f} | "
        f"{row['page_p95']:.1f} |"
    )


def verdict(rows) -> list[str]:
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


def query_table(rows) -> list[str]:
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


def bulk_lines(bulk) -> list[str]:
    """How long writing the corpus and rebuilding the index took: {"generate": {scale: s},
    "rebuild": (scale, s)}."""
    if not bulk:
        return []
    parts = [
        f"`generate_corpus --scale {scale}` {seconds:.1f} s"
        for scale, seconds in bulk.get("generate", {}).items()
        if scale > 1
    ]
    if "rebuild" in bulk:
        scale, seconds = bulk["rebuild"]
        parts.append(f"`rebuild_search_index` at scale {scale} {seconds:.1f} s")
    return ["Bulk indexing: " + "; ".join(parts) + ".", ""] if parts else []


def limit_narrative(limit: int) -> str:
    return (
        f"A search's work is bounded: when more than `SEARCH_EXACT_LIMIT` ({limit:,}) rows "
        f"match the words under the chosen filters, it reads the first {limit:,} that pass the "
        "published check, those whose heading or key message holds the words first, ranks and "
        f"counts those, and says “more than {limit:,} results” (shown as {limit:,}+ above). "
        "Below the limit, ranking and counts are exact, as they are for every one-word search "
        "of the real collection. A search's cost is about proportional to the rows it reads, "
        "so to the limit (docs/search.md)."
    )


SQLITE_NARRATIVE = [
    "Only the page's set of rows is ranked: the sets read for the filter counts skip bm25(). A "
    "read that is not needed is not started (the condition is inside the FTS5 MATCH, which "
    "SQLite would otherwise run before testing it). “All the words but one” writes the k-th "
    "commonest word k times, not every word n − 1 times. Each index row holds its kind, "
    "document, roles and themes as words of a fifth, unshown column, so a filter is an "
    "intersection of word lists inside FTS5: a filter that few matches pass (one document of "
    "hundreds) costs what its results cost, not what every match of the words costs.",
    "",
    "What still grows with the collection: bm25() weighs each word by reading every row that "
    "holds it, once per time the word is written in the search (most for “all the words but "
    "one”); each highlighted hit seeks its row in every word's list; and the filter counts and "
    "the ranking grow with the rows read, up to the limit, which a larger collection reaches "
    "for more searches. FTS5 prefix indexes (3 to 8 letters) keep the last word's prefix search "
    "to one list. The spelling vocabulary is a table counted when rows are written (an "
    "fts5vocab view counted every word's rows on each read), and a suggestion stops measuring "
    "a word's distance as soon as it is too far.",
]

POSTGRESQL_NARRATIVE = [
    "Only the page's set is ranked, and only once it is cut: ts_rank() reads each row's "
    "vector, so it scores at most the exact limit + 1 rows, never every match. The strong rows "
    "come from a GIN index of the heading and key message alone (a weighted query would have "
    "every match's vector read to check its weights); filters are filter words intersected "
    "through their own GIN index; the documents and sections that may not be shown are few, "
    "found through partial indexes and checked as hashed sets rather than joined to each "
    "match. A read that is not needed is not started (its condition is a one-time filter).",
    "",
    "What still grows with the collection: a read cut at the limit goes in id order, so "
    "PostgreSQL reads the row of every match of a set before keeping the first (GIN returns "
    "matches in no order), or walks the rows in id order until it has them; phrases are "
    "checked on each candidate row; and the facet counts over the sets read, up to the limit.",
]


def block(vendor, version, rows, rounds, queries, limit, bulk=None) -> str:
    start, end = markers(vendor)
    machine = f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    name = NAMES.get(vendor, vendor)
    heading = (
        "### Search (`make bench-search`)"
        if vendor == "sqlite"
        else (f"### Search on {name} (`make bench-search BENCH_DATABASE_URL=postgres://…`)")
    )
    lines = [
        start,
        heading,
        "",
        f"{timezone.now():%Y-%m-%d %H:%M} UTC; {name} {version}, {machine}. "
        f"{queries} queries × {rounds} rounds per scale, in milliseconds, the scales timed in "
        "turns round by round (each in its own copy of the database, with its own open "
        "connection), so that the machine's slow and fast spells fall on both alike. *Search* "
        "is all the page's database work and result building, at the present moment as the "
        "page runs it: the one-statement search (match, rank, published check, four facets, "
        "one page of highlighted hits) and, when nothing matches, the spelling suggestion and "
        "closest results (the roles, glossary and themes it needs are read once per content "
        "version, in the warm-up). *Page* adds rendering the template. Scale N is the real "
        "corpus plus N − 1 "
        "synthetic copies (`manage.py generate_corpus`) on a throw-away database.",
        "",
        "| scale | index rows | search p50 | search p95 | search max | page p50 | page p95 |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *[format_row(row) for row in rows],
        "",
        *verdict(rows),
        *bulk_lines(bulk),
        f"Each query (median of {rounds}, in milliseconds):",
        "",
        *query_table(rows),
        "",
        limit_narrative(limit),
        "",
        *(SQLITE_NARRATIVE if vendor == "sqlite" else POSTGRESQL_NARRATIVE),
        end,
    ]
    return "\n".join(lines)


def write(path: Path, vendor: str, text: str):
    """Replace the vendor's block in the file, or add it at the end."""
    start, end = markers(vendor)
    current = path.read_text(encoding="utf-8") if path.exists() else INTRO
    if start in current and end in current:
        before, rest = current.split(start, 1)
        after = rest.split(end, 1)[1]
        current = before + text + after
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(current, encoding="utf-8")
