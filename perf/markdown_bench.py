"""`make bench-markdown`: the time to render the worst Markdown we know of, at three lengths.

Each input repeats a pattern that makes some parser, rule or sanitiser look far ahead, nest deep or
backtrack (issue 14): unclosed brackets, emphasis, code spans, raw HTML, quotes and lists nested to
the limit, entity references, escapes, citations. Rendering must take under a second at the length
limit and grow linearly: the ``×`` column is the 50k time over the 10k time, 5 for linear
growth, 25 for quadratic. Text beyond a nesting bound is refused (``refused``), which must be as
quick. Results go to docs/benchmarks.md between <!-- markdown-bench:start --> and
<!-- markdown-bench:end -->.
"""

from __future__ import annotations

import os
import platform
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime

LENGTHS = (10_000, 20_000, 50_000)
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))
GOAL_SECONDS = 1.0


def repeat(unit: str) -> Callable[[int], str]:
    def build(length: int) -> str:
        return (unit * (length // len(unit) + 1))[:length]

    return build


def _nested_list(depth: int) -> str:
    return "".join("  " * i + "- item\n" for i in range(depth))


def _mixed(length: int) -> str:
    # Markdown's special characters in an order no hand would pick, the same on every run.
    chars = "[]()!*_`<>&#;\\|-+=:/\"' \nax"
    rng = random.Random(14)  # noqa: S311 - a fixed pattern, not a secret
    return "".join(rng.choice(chars) for _ in range(length))


# (what it is, how to build it at a given length)
FAMILY: list[tuple[str, Callable[[int], str]]] = [
    ("`[` unclosed link labels", repeat("[")),
    ("`![` unclosed images", repeat("![")),
    ("`[x](` unclosed destinations", repeat("[x](")),
    ("`[](` empty labels", repeat("[](")),
    ("`](` closers", repeat("](")),
    ("`[![` links of images", repeat("[![")),
    ("`![[` images of links", repeat("![[")),
    ("`[*` brackets and emphasis", repeat("[*")),
    ("`*[` emphasis and brackets", repeat("*[")),
    ("`[`…`]` brackets closed at the end", lambda n: "[" * (n // 2) + "]" * (n - n // 2)),
    ("`[x]:` reference definitions", repeat("[x]: y\n")),
    ("`[a]` references to one definition", lambda n: "[a]: /x\n\n" + repeat("[a]")(n - 9)),
    ('`[x](y "` unclosed titles', repeat('[x](y "')),
    ("`[x](<` unclosed angle destinations", repeat("[x](<")),
    ("`[a](cite:k)` citations", repeat("[a](cite:k) ")),
    ("`[a](cite:d/k)` other documents' citations", repeat("[a](cite:d/k) ")),
    ("`*a **b [c` nested emphasis and links", repeat("*a **b [c ")),
    ("`*` runs", repeat("*")),
    ("`**_` mixed delimiters", repeat("**_")),
    ("`_a` openers", repeat("_a")),
    ("`a*` closers", repeat("a*")),
    ("`*a` nested emphasis", lambda n: ("*a " * (n // 6) + "a* " * (n // 6)).ljust(n, "a")),
    ("`` ` `` backticks", repeat("`")),
    ("``` ``a ``` unmatched code spans", repeat("``a")),
    ("`<a ` unclosed tags", repeat("<a ")),
    ("`<` alone", repeat("<")),
    ("`</` end tags", repeat("</")),
    ("`<!--` comments", repeat("<!--")),
    ("`<?` processing instructions", repeat("<?")),
    ("`<![CDATA[`", repeat("<![CDATA[")),
    ("`<x y='` unclosed attributes", repeat("<x y='")),
    ("`<http://a` autolinks", repeat("<http://a")),
    ("`<div>` HTML blocks", repeat("<div>\n")),
    ("`<ul><li>` HTML nested to the bound", repeat("<ul><li>" * 50 + "</li></ul>" * 50)),
    ("`<ul><li>` HTML nested past the bound", repeat("<ul><li>")),
    ("`&` ampersands", repeat("&")),
    ("`&#` numeric entities", repeat("&#")),
    ("`&amp;` entity references", repeat("&amp;")),
    ("`\\` backslashes", repeat("\\")),
    ("`\\[` escaped brackets", repeat("\\[")),
    ("`>` quotes nested past the bound", repeat(">")),
    ("`> ` quotes nested to the bound, then `[`", lambda n: "> " * 19 + "[" * (n - 38)),
    ("`- ` list markers", repeat("- ")),
    ("lists nested to the bound", repeat(_nested_list(9) + "\n")),
    ("lists nested past the bound", repeat(_nested_list(40))),
    ("`1. ` ordered markers", repeat("1. ")),
    ("`|` table pipes", repeat("|")),
    ("`#` headings", repeat("# a\n")),
    ("```` ``` ```` fences", repeat("```\n")),
    ("`\\n` blank lines", repeat("\n")),
    ("`a  \\n` hard breaks", repeat("a  \n")),
    ("`[x](//h)` protocol-relative links", repeat("[x](//h) ")),
    ("mixed special characters", _mixed),
]


def _resolver(key):
    from briefings.markdown import ResolvedCitation

    return ResolvedCitation(href=f"/documents/d/#ref-{key}", reference_id=1)


def time_render(text: str, render) -> tuple[float, str]:
    """The fastest of ROUNDS renders, in CPU seconds, and what became of the text."""
    from django.core.exceptions import ValidationError

    best, outcome = float("inf"), "rendered"
    for _ in range(ROUNDS):
        start = time.process_time()
        try:
            render(text, resolver=_resolver)
        except ValidationError:
            outcome = "refused"
        best = min(best, time.process_time() - start)
    return best, outcome


def measure(render, lengths=LENGTHS, family=FAMILY):
    rows = []
    for label, build in family:
        timings = [time_render(build(length), render) for length in lengths]
        rows.append((label, timings))
        sys.stderr.write(f"{label}: {' '.join(f'{t:.3f}' for t, _ in timings)}\n")
    return rows


def table(rows, lengths=LENGTHS) -> str:
    head = " | ".join(f"{length // 1000}k s" for length in lengths)
    lines = [
        f"| input | {head} | × | outcome |",
        "| --- |" + " ---: |" * (len(lengths) + 1) + " --- |",
    ]
    for label, timings in rows:
        cells = " | ".join(f"{seconds:.3f}" for seconds, _ in timings)
        ratio = timings[-1][0] / max(timings[0][0], 1e-6)
        label = label.replace("|", "\\|")  # a pipe would end the table's cell
        lines.append(f"| {label} | {cells} | {ratio:.1f} | {timings[-1][1]} |")
    return "\n".join(lines)


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()
    from briefings.markdown import render_markdown

    from .report import write_block

    rows = measure(render_markdown)
    worst_label, worst = max(((label, t[-1][0]) for label, t in rows), key=lambda r: r[1])
    total = sum(t[-1][0] for _, t in rows)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = f"""### Markdown rendering, worst inputs (`make bench-markdown`)

`render_markdown` (markdown-it-py, then the nh3 sanitiser) on {len(rows)} pathological inputs,
each a pattern repeated to 10,000, 20,000 and 50,000 characters (the length limit): CPU seconds,
the fastest of {ROUNDS} runs (CPU time, so that other work on a shared machine does not count).
× is the 50k time over the 10k time: 5 for linear growth, 25 for quadratic.
{when}; {os.cpu_count()} CPUs, Python {platform.python_version()}.

{table(rows)}

Slowest at 50k: {worst_label}, **{worst:.3f} s** (goal: under {GOAL_SECONDS:.0f} s);
all {len(rows)} at 50k: {total:.1f} s.
"""
    write_block("markdown-bench", body)
    return 0 if worst < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
