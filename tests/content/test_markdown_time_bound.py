"""Rendering any text up to the length limit takes a bounded time (issue 14): the worst inputs we
know of at the limit (perf/markdown_bench.py, measured in docs/benchmarks.md) and generated text.

Times are CPU seconds, so that other work on a shared machine cannot make the tests flaky. The goal
is under a second at the limit; the ceilings are generous, and still a fraction of what the
quadratic renderer took (20 to 329 s for the first four inputs the probe found)."""

import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings.markdown import BLOCK_NESTING, HTML_NESTING, render_markdown
from perf.markdown_bench import FAMILY
from tests.content.test_markdown_sanitising import audit

EACH_CEILING = 3.0
FAMILY_CEILING = 30.0


def _render_or_refuse(text, **kwargs):
    try:
        return render_markdown(text, **kwargs)
    except ValidationError as error:
        refused = error
    # Text past a nesting bound is refused with a message, never cut or crashed on.
    assert refused.code == "too_deep", refused.messages
    return None


def test_the_worst_known_texts_at_the_length_limit_render_within_the_ceiling(settings):
    limit = settings.BRIEFINGS_MARKDOWN_MAX_CHARS
    times = {}
    for label, build in FAMILY:
        text = build(limit)
        assert len(text) == limit
        start = time.process_time()
        _render_or_refuse(text)
        times[label] = time.process_time() - start
    slowest = max(times, key=times.get)
    assert times[slowest] < EACH_CEILING, f"{slowest}: {times[slowest]:.2f} s"
    assert sum(times.values()) < FAMILY_CEILING, times


def test_quotes_nested_to_the_bound_render_and_one_deeper_is_refused_with_a_message():
    depth = BLOCK_NESTING - 1
    assert "deepest" in render_markdown("> " * depth + "deepest").html
    with pytest.raises(ValidationError, match=f"nested more than {depth} levels deep"):
        render_markdown("> " * (depth + 1) + "deepest")


def test_lists_nested_to_the_bound_render_and_one_deeper_is_refused():
    def nested(depth):
        return "".join("  " * i + f"- item {i}\n" for i in range(depth))

    lists = (BLOCK_NESTING - 1) // 2  # a list is two levels: the list and its item
    assert f"item {lists - 1}" in render_markdown(nested(lists)).html
    with pytest.raises(ValidationError, match="nested more than"):
        render_markdown(nested(lists + 1))


def test_html_tags_nested_to_the_bound_render_and_deeper_ones_are_refused():
    assert "inner" in render_markdown("<b>" * HTML_NESTING + "inner").html
    with pytest.raises(ValidationError, match=f"more than {HTML_NESTING} HTML tags"):
        render_markdown("<b>" * (HTML_NESTING + 1) + "inner")


def test_the_html_bound_counts_tags_as_browsers_nest_them():
    # Void elements (<br>) never open; an end tag that matches nothing open is ignored, whatever
    # the case of the names; each end tag closes one of several open namesakes.
    for text in ("<br>" * (HTML_NESTING + 1), "<b><b></b></b>" * (HTML_NESTING + 1)):
        assert render_markdown(text).html
    for text in ("<b></i>" * (HTML_NESTING + 1), "<B>" * (HTML_NESTING + 1)):
        with pytest.raises(ValidationError, match=f"more than {HTML_NESTING} HTML tags"):
            render_markdown(text)


def test_a_paragraph_or_heading_at_the_deepest_level_is_not_nesting_too_deep():
    depth = BLOCK_NESTING - 1
    for last in ("# A heading", "words"):
        assert render_markdown(">" * depth + " " + last).html


def test_nesting_too_deep_is_refused_with_a_reason_the_editor_can_act_on():
    depth = BLOCK_NESTING - 1
    with pytest.raises(ValidationError) as refused:
        render_markdown("> " * (depth + 1) + "deepest")
    assert refused.value.code == "too_deep"
    assert refused.value.messages == [
        f"This text has quotes and lists nested more than {depth} levels deep "
        "(a quote is one level, a list two). Flatten them."
    ]


def test_text_too_long_or_tagged_too_deep_is_refused_with_a_reason_the_editor_can_act_on(
    settings,
):
    settings.BRIEFINGS_MARKDOWN_MAX_CHARS = 1_000
    with pytest.raises(ValidationError) as refused:
        render_markdown("x" * 1_001)
    assert refused.value.code == "too_long"
    assert refused.value.messages == [
        "This text is 1,001 characters long; the limit is 1,000. Split it into sub-sections."
    ]
    with pytest.raises(ValidationError) as refused:
        render_markdown("<b>" * 101)
    assert refused.value.code == "too_deep"
    assert refused.value.messages == [
        "This text has more than 100 HTML tags open inside each other. "
        "Close them, or write the text in Markdown."
    ]


def test_closed_tags_and_autolinks_do_not_count_towards_the_html_bound():
    text = "<b>bold</b> <https://www.gov.uk/> <a@example.org> " * (HTML_NESTING * 2)
    assert render_markdown(text).html.count("<b>") == HTML_NESTING * 2


# Markdown's syntax in pieces, so that generated text is mostly syntax rather than letters.
PIECES = st.sampled_from(
    [
        "[",
        "]",
        "(",
        ")",
        "![",
        "](",
        "*",
        "**",
        "_",
        "`",
        "``",
        "<",
        ">",
        "> ",
        "&",
        "&amp;",
        "&#",
        "&#x",
        ";",
        "\\",
        "|",
        "#",
        "- ",
        "1. ",
        "  ",
        "    ",
        "\n",
        "\n\n",
        "\t",
        "—",
        "— ",
        "cite:",
        "cite:a/b",
        "//",
        "/\\",
        "javascript:",
        "http://",
        "<a ",
        "<a href=",
        "<div>",
        "</div>",
        "<b>",
        "</b>",
        "<!--",
        "-->",
        "<script>",
        "```",
        "=",
        ":",
        '"',
        "'",
        "x",
        "word ",
        "é",
        "\x00",
        "\u2028",
    ]
)
SMALL_TEXTS = st.one_of(st.lists(PIECES, max_size=80).map("".join), st.text(max_size=300))


@settings(max_examples=300, deadline=timedelta(seconds=1))
@given(text=SMALL_TEXTS, inline=st.booleans())
def test_any_short_text_renders_quickly_with_nothing_that_can_run(text, inline):
    rendered = _render_or_refuse(text, inline=inline)
    if rendered is not None:
        assert audit(rendered.html) == [], rendered.html


# A few pieces repeated to any length up to the limit: the shape of every pathological input.
LONG_TEXTS = st.tuples(st.lists(PIECES, min_size=1, max_size=4), st.integers(1_000, 50_000)).map(
    lambda spec: ("".join(spec[0]) * spec[1])[: spec[1]]
)


@settings(
    max_examples=25,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=LONG_TEXTS)
def test_any_long_text_renders_within_the_budget_with_nothing_that_can_run(text):
    rendered = _render_or_refuse(text)
    if rendered is not None:
        assert audit(rendered.html) == []
