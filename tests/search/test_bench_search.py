"""manage.py bench_search: refuses a real database and writes its figures between its markers."""

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections

from briefings.management.commands.bench_search import QUERIES, Command
from briefings.search import bench_report

START, END = bench_report.markers(connection.vendor)

pytestmark = pytest.mark.django_db

ROW = {
    "scale": 1,
    "entries": 285,
    "search_p50": 3.0,
    "search_p95": 5.0,
    "search_max": 6.0,
    "page_p50": 4.0,
    "page_p95": 7.0,
    "queries": [("`missing`", (34, False), 2.5), ("`young people`", (1000, True), 9.5)],
}


def test_it_refuses_a_database_not_named_for_benchmarks():
    with pytest.raises(CommandError, match="throw-away database"):
        call_command("bench_search", "--scales", "1")


def test_it_creates_the_file_with_an_introduction(tmp_path):
    target = tmp_path / "docs" / "benchmarks.md"
    Command().write(target, [ROW], rounds=3)
    text = target.read_text()
    assert text.startswith("# Benchmarks")
    assert START in text
    assert END in text
    assert "| 1 | 285 | 3.0 | 5.0 | 6.0 | 4.0 | 7.0 |" in text
    assert "| `missing` | 34 | 2.5 |" in text
    assert "| `young people` | 1,000+ | 9.5 |" in text


def test_it_replaces_only_its_own_section_of_the_file(tmp_path):
    target = tmp_path / "benchmarks.md"
    other = "<!-- http-bench:start -->\nHTTP figures\n<!-- http-bench:end -->"
    target.write_text(f"# Benchmarks\n\n{START}\nold figures\n{END}\n\n{other}\n")
    Command().write(target, [ROW, {**ROW, "scale": 100, "entries": 25_332}], rounds=3)
    text = target.read_text()
    assert "old figures" not in text
    assert other in text
    assert "| 100 | 25,332 |" in text
    assert "| query | scale 1 results | ms | scale 100 results | ms |" in text
    assert "| `missing` | 34 | 2.5 | 34 | 2.5 |" in text
    assert text.count(START) == 1


def test_each_database_has_its_own_block_and_the_time_bulk_indexing_took(tmp_path):
    target = tmp_path / "benchmarks.md"
    rows = [ROW, {**ROW, "scale": 100, "entries": 25_332}]
    bulk = {"generate": {1: 0.0, 100: 41.25}, "rebuild": (100, 30.04)}
    for vendor in ("sqlite", "postgresql"):
        bench_report.write(
            target, vendor, bench_report.block(vendor, "9.9", rows, 3, 23, 200, bulk)
        )
    # Writing one again replaces only its own.
    bench_report.write(target, "sqlite", bench_report.block("sqlite", "9.8", rows, 3, 23, 200))
    text = target.read_text()
    sqlite_start, sqlite_end = bench_report.markers("sqlite")
    postgres_start, postgres_end = bench_report.markers("postgresql")
    assert sqlite_start != postgres_start
    sqlite_block = text.split(sqlite_start)[1].split(sqlite_end)[0]
    postgres_block = text.split(postgres_start)[1].split(postgres_end)[0]
    assert "SQLite 9.8" in sqlite_block
    assert "Bulk indexing" not in sqlite_block
    assert "PostgreSQL 9.9" in postgres_block
    assert (
        "Bulk indexing: `generate_corpus --scale 100` 41.2 s; `rebuild_search_index` at scale "
        "100 30.0 s." in postgres_block
    )
    assert "ts_rank()" in postgres_block
    assert "bm25()" in sqlite_block


def test_it_says_whether_the_goals_were_met():
    verdict = bench_report.verdict
    met = verdict([ROW, {**ROW, "scale": 100, "search_p95": 9.0}])
    assert "p95 under 20 ms — met (9.0 ms); under 2× the scale-1 p95 — met (1.8×)" in met[0]
    missed = verdict([ROW, {**ROW, "scale": 100, "search_p95": 70.0}])
    assert "— **not met** (70.0 ms)" in missed[0]
    assert "— **not met** (14.0×)" in missed[0]


def test_every_page_it_times_is_a_search_page_under_the_production_rate_limits(
    production_rate_limits,
):
    # One client sends 23 searches a round: three rounds are more than the 60 a minute a reader
    # may send, so the limiter would answer the last with 429 pages, which take no time at all.
    count, _ = production_rate_limits["search"]
    rounds = 3
    assert len(QUERIES) * (rounds + 1) > count
    [row] = Command().measure({1: connections[DEFAULT_DB_ALIAS]}, rounds=rounds)
    assert row["entries"] > 0
    assert row["page_p50"] > 0
    assert production_rate_limits == settings.RATE_LIMITS
