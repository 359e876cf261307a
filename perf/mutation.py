"""`make mutation`: mutation testing (mutmut) of the modules that guard readers and data.

For each target below: a scratch copy of the work tree under MUTATION_DIR (never inside the git
work tree, where mutmut finds no tests), mutmut configured for that target's code and its relevant
tests only, run with MUTATION_CHILDREN processes; then a table of mutants, killed, survived, no
tests, timeouts, the score (killed and timed out over all) and the wall time, and the survivors'
names (`mutmut show NAME` in the target's folder shows one). Exits non-zero when a target scores
under GOAL_PERCENT. Not part of `make test` or CI: docs/testing.md, Mutation testing.

Every pytest session mutmut starts (one per mutant) would migrate a test database and import the
content, about 9 s; instead a SQLite file holding both is built once from the unmutated code and
each session starts from a copy of it (PORTAL_TEST_DATABASE_TEMPLATE, tests/conftest.py).

`python -m perf.mutation [TARGET ...]` runs some targets only. MUTATION_CHILDREN (2) processes
test mutants at a time, one per target, two targets side by side; MUTATION_DIR
(/tmp/mutation-portal) holds the copies.
"""

from __future__ import annotations

import ast
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GOAL_PERCENT = 90.0
CHILDREN = int(os.environ.get("MUTATION_CHILDREN", "2"))
WORK = Path(os.environ.get("MUTATION_DIR", "/tmp/mutation-portal"))  # noqa: S108 - a scratch copy


@dataclass(frozen=True)
class Target:
    name: str
    # Module path -> the functions to mutate there (qualified "Class.method" or "function"
    # names, shell-style patterns), or None for all of them.
    code: dict[str, tuple[str, ...] | None]
    tests: tuple[str, ...]
    # Functions never mutated, and why (docs/testing.md lists them).
    skip: tuple[str, ...] = ()
    # Tests of those files left out, and why.
    deselect: tuple[str, ...] = ()


TARGETS = (
    Target(
        "sanitising-and-rendering",
        {"briefings/markdown.py": None},
        (
            "tests/content/test_markdown_sanitising.py",
            "tests/content/test_markdown_time_bound.py",
            "tests/content/test_markdown_quotes.py",
            "tests/content/test_markdown_citations.py",
            "tests/content/test_markdown_inline.py",
        ),
        # Built into _MARKDOWN at import time, before mutmut switches any mutant on.
        skip=("_parser", "_inline_parser"),
        # 12-30 s a run, for every surviving mutant: it proves the time bound of the whole
        # renderer, which the faster tests of the same file check rule by rule.
        deselect=(
            "tests/content/test_markdown_time_bound.py::"
            "test_the_worst_known_texts_at_the_length_limit_render_within_the_ceiling",
        ),
    ),
    Target(
        "published-filtering",
        {
            "briefings/models/documents.py": (
                "*QuerySet.published",
                "*QuerySet.for_role",
                "published_section",
            ),
            "briefings/models/editorial.py": ("ChangeNoteQuerySet.*",),
            "briefings/models/references.py": ("GlossaryTermQuerySet.public",),
        },
        ("tests/editorial/test_what_readers_may_see.py",),
    ),
    Target(
        "pack-and-preview-permissions",
        {
            "briefings/packs/permissions.py": (
                "user_is_trainer",
                "request_is_trainer",
                "trainer_required",
            ),
            "briefings/packs/selectors.py": ("pack_by_token", "packs_of", "published_target"),
            "briefings/preview.py": None,
            "briefings/admin/preview.py": ("preview_view", "allow_preview", "_document"),
        },
        (
            "tests/packs/test_pack_permissions.py",
            "tests/packs/test_pack_reads.py",
            "tests/packs/test_pack_page.py",
            "tests/packs/test_add_to_pack_control.py",
            "tests/packs/test_pack_add.py",
            "tests/editorial/test_drafts_and_preview.py",
            "tests/editorial/test_preview_banner_and_privacy.py",
            "tests/editorial/test_admin_preview.py",
            "tests/editorial/test_admin_preview_answers.py",
        ),
    ),
    Target(
        "page-cache-invalidation",
        {"portal/caching.py": None},
        (
            "tests/portal/test_page_cache.py",
            "tests/portal/test_content_version_writes.py",
            "tests/portal/test_cache_bounds.py",
            "tests/portal/test_canonical_cache_keys.py",
            "tests/portal/test_content_version_rules.py",
            "tests/portal/test_page_cache_rules.py",
        ),
        # Run while Django starts (AppConfig.ready, the module's OUTAGE), before mutmut switches
        # any mutant on: their effects are tested, their mutants cannot be.
        skip=("declare_content", "connect_signals", "CacheOutage.__init__"),
    ),
    Target(
        "importer-validation",
        {"briefings/content/validate.py": None},
        (
            "tests/content/test_validation_rules.py",
            "tests/content/test_import_briefings.py",
            "tests/content/test_import_limits.py",
            "tests/content/test_reference_identity.py",
        ),
        # What an accepted import writes and reports, re-importing the whole content (4-22 s
        # each, for every surviving mutant); that each curated file passes validation unchanged
        # is still proved, one file at a time.
        deselect=tuple(
            f"tests/content/test_import_briefings.py::{test}"
            for test in (
                "test_a_second_import_changes_nothing_and_creates_no_duplicates",
                "test_an_import_that_changes_a_document_can_be_undone_in_its_history",
                "test_a_dry_run_reports_what_would_change_and_writes_nothing",
                "test_editing_a_heading_keeps_the_sections_identity_and_its_links",
                "test_export_then_import_is_a_no_op",
                "test_removing_a_section_from_the_file_deletes_it",
                "test_the_report_says_what_changed_in_plain_words",
            )
        ),
    ),
)


TARGETS_BY_LENGTH = (
    "importer-validation",
    "sanitising-and-rendering",
    "page-cache-invalidation",
    "pack-and-preview-permissions",
    "published-filtering",
)


def functions(path: Path) -> list[str]:
    """The qualified names of the functions in a module, as mutmut names its mutants' parents."""
    names = []
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.append(node.name)
        elif isinstance(node, ast.ClassDef):
            names.extend(
                f"{node.name}.{method.name}"
                for method in node.body
                if isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef)
            )
    return names


def mutant_pattern(module_path: str, function: str) -> str:
    """mutmut's name for the mutants of one function: ``mod.x_func__mutmut_N`` for a function,
    ``mod.xǁClassǁmethod__mutmut_N`` for a method. A nested function is mutated as part of the
    function around it."""
    module = module_path.removesuffix(".py").replace("/", ".")
    parts = function.split(".")
    if len(parts) == 1:
        return f"{module}.x_{parts[0]}__mutmut_*"
    return f"{module}.xǁ{'ǁ'.join(parts)}__mutmut_*"


def selected(target: Target) -> list[str]:
    patterns = []
    for path, wanted in target.code.items():
        for function in functions(ROOT / path):
            if any(fnmatch.fnmatchcase(function, skip) for skip in target.skip):
                continue
            if wanted is None or any(fnmatch.fnmatchcase(function, want) for want in wanted):
                patterns.append(mutant_pattern(path, function))
    return patterns


def copy_tree(destination: Path) -> None:
    """The work tree's files as they are now (committed or not, never the ignored ones)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        source = ROOT / name.decode()
        if source.is_file():
            (destination / name.decode()).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name.decode())


def build_template(destination: Path) -> Path:
    """A SQLite database migrated and holding the curated content, from the unmutated code."""
    from tests.support.content_database import build_content_database

    path = destination / "template.sqlite3"
    path.unlink(missing_ok=True)
    return build_content_database(path)


def configure(folder: Path, target: Target) -> None:
    top = sorted({path.split("/", 1)[0] for path in target.code})
    also_copy = [
        name
        for name in sorted(os.listdir(folder))
        if name not in {*top, "tests", "pyproject.toml", "mutants"} and not name.startswith(".")
    ]
    settings = {
        "source_paths": [f"{name}/" for name in top],
        "only_mutate": list(target.code),
        "also_copy": also_copy,
        "pytest_add_cli_args": ["-p", "no:randomly", "-p", "no:cacheprovider", "-x"]
        + [f"--deselect={test}" for test in target.deselect],
        "pytest_add_cli_args_test_selection": list(target.tests),
        # A mutant that loops for ever (a `break` removed) is stopped after four times the CPU
        # time its tests took unmutated, plus four seconds; mutmut's default (thirty times, plus
        # thirty seconds) held a child for most of an hour on the shared machine.
        "timeout_multiplier": 2.0,
    }
    lines = ["", "[tool.mutmut]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    with open(folder / "pyproject.toml", "a") as config:
        config.write("\n".join(lines) + "\n")


# mutmut's exit codes (mutmut/stats.py): anything else is counted as "other".
STATUS_BY_EXIT_CODE = {
    1: "killed",
    3: "killed",
    0: "survived",
    5: "no tests",
    33: "no tests",
    36: "timeout",
    24: "timeout",
    -24: "timeout",
    152: "timeout",
    255: "timeout",
}


def statuses(folder: Path, target: Target, patterns: list[str]) -> dict[str, str]:
    found = {}
    for path in target.code:
        meta = json.loads((folder / "mutants" / f"{path}.meta").read_text())
        for name, code in meta["exit_code_by_key"].items():
            if any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns):
                found[name] = STATUS_BY_EXIT_CODE.get(code, "other")
    return found


def run(target: Target, template: Path) -> dict:
    folder = WORK / target.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    copy_tree(folder)
    configure(folder, target)
    patterns = selected(target)
    started = time.monotonic()
    subprocess.run(  # noqa: S603 - mutmut from this virtualenv with our own arguments
        [str(BIN / "mutmut"), "run", "--max-children", "1", *patterns],
        cwd=folder,
        env={**os.environ, "PORTAL_TEST_DATABASE_TEMPLATE": str(template)},
        check=False,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.monotonic() - started
    found = statuses(folder, target, patterns)
    count = Counter(found.values())
    caught = count.get("killed", 0) + count.get("timeout", 0)
    return {
        "target": target.name,
        "mutants": len(found),
        "killed": count.get("killed", 0),
        "survived": count.get("survived", 0),
        "no tests": count.get("no tests", 0),
        "timeout": count.get("timeout", 0),
        "other": count.get("other", 0),
        "score": 100 * caught / len(found) if found else 0.0,
        "seconds": seconds,
        "survivors": sorted(name for name, s in found.items() if s in {"survived", "no tests"}),
        "folder": str(folder),
    }


def table(results: list[dict]) -> str:
    rows = [
        "| target | mutants | killed | survived | no tests | timeout | other | score | wall time |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        rows.append(
            f"| {r['target']} | {r['mutants']} | {r['killed']} | {r['survived']} | {r['no tests']} "
            f"| {r['timeout']} | {r['other']} | {r['score']:.1f} % | {r['seconds'] / 60:.1f} min |"
        )
    return "\n".join(rows)


def say(line: str = "", *, to=sys.stdout) -> None:
    to.write(f"{line}\n")
    to.flush()


def main(names: list[str]) -> int:
    unknown = set(names) - {target.name for target in TARGETS}
    if unknown:
        say(f"Unknown targets: {', '.join(sorted(unknown))}", to=sys.stderr)
        return 2
    chosen = [target for target in TARGETS if not names or target.name in names]
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    template = build_template(WORK)
    # Two targets at a time with one mutmut child each, rather than one with two: mutmut's own
    # steps before the mutants (collecting, timing every test, a clean run) use one process.
    # The longest first (the order of TARGETS_BY_LENGTH), so that the two lanes end together.
    with ThreadPoolExecutor(max_workers=CHILDREN) as lanes:
        running = {
            target.name: lanes.submit(run, target, template)
            for target in sorted(chosen, key=lambda target: TARGETS_BY_LENGTH.index(target.name))
        }
        results = [running[target.name].result() for target in chosen]
    say()
    say(table(results))
    say(f"\nTotal wall time {(time.monotonic() - started) / 60:.1f} min, {CHILDREN} children.")
    for r in results:
        if r["survivors"]:
            say(f"\nSurvivors in {r['target']} (mutmut show NAME, in {r['folder']}):")
            say("\n".join(f"  {name}" for name in r["survivors"]))
    below = [r["target"] for r in results if r["score"] < GOAL_PERCENT]
    if below:
        say(f"\nUnder {GOAL_PERCENT:.0f} %: {', '.join(below)}", to=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
