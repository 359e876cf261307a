"""Young people's quotes: a block quote whose last paragraph starts with an em dash becomes a
figure with that paragraph as its attribution, and its words are collected as readers see them
(one line of plain text, formatting and line breaks gone); anything else stays a block quote."""

import pytest
from django.core.exceptions import ValidationError

from briefings.markdown import RenderedQuote, check_length, render_markdown


def test_the_figure_keeps_the_quote_and_its_attribution_on_lines_of_their_own():
    html = render_markdown("> Words\n>\n> — A young person").html
    # markdown-it ends each block tag's line; the figure's own tags are not followed by a line
    # break, as in the curated content's stored HTML.
    assert html == (
        '<figure class="quote"><blockquote>\n<p>Words</p>\n</blockquote>\n'
        '<figcaption class="quote-attribution">A young person</figcaption>\n</figure>'
    )


def test_text_after_a_figure_follows_its_closing_tag():
    html = render_markdown("> Words\n>\n> — A young person\n\nAfter.").html
    assert html.endswith("</figcaption>\n</figure><p>After.</p>")


def test_a_quotes_words_are_its_text_without_formatting_or_line_breaks():
    text = (
        "> un*believ*able, with `code` and\n"
        "> a line break  \n"
        "> and a hard one\n"
        ">\n"
        "> A second paragraph.\n"
        ">\n"
        "> — Young person B"
    )
    assert render_markdown(text).quotes == [
        RenderedQuote(
            text="unbelievable, with code and a line break and a hard one A second paragraph.",
            attribution="Young person B",
        )
    ]


def test_only_the_last_paragraph_can_be_the_attribution():
    rendered = render_markdown("> One.\n>\n> — Not the last paragraph\n>\n> Three.")
    assert rendered.quotes == []
    assert "<figure" not in rendered.html


def test_a_last_paragraph_that_starts_with_code_is_not_an_attribution():
    rendered = render_markdown("> Words.\n>\n> `— not a name`")
    assert rendered.quotes == []
    assert "<figure" not in rendered.html


def test_a_quote_of_only_an_attribution_is_still_attributed():
    rendered = render_markdown("> — Young person C")
    assert rendered.quotes == [RenderedQuote(text="", attribution="Young person C")]


def test_a_quote_without_paragraphs_takes_no_attribution_from_the_quote_before_it():
    rendered = render_markdown("> First.\n>\n> — Young person D\n\n> # A heading only")
    assert rendered.quotes == [RenderedQuote(text="First.", attribution="Young person D")]
    assert rendered.html.count("<figure") == 1


def test_a_plain_quote_does_not_stop_the_quotes_after_it_being_attributed():
    rendered = render_markdown("> A definition.\n\n> Words.\n>\n> — Person G")
    assert rendered.quotes == [RenderedQuote(text="Words.", attribution="Person G")]
    assert rendered.html.count("<figure") == 1


def test_each_of_several_quotes_has_its_own_attribution():
    rendered = render_markdown("> First.\n>\n> — Person E\n\n> Second.\n>\n> — Person F")
    assert rendered.quotes == [
        RenderedQuote(text="First.", attribution="Person E"),
        RenderedQuote(text="Second.", attribution="Person F"),
    ]


def test_the_length_check_refuses_what_the_renderer_refuses(settings):
    settings.BRIEFINGS_MARKDOWN_MAX_CHARS = 1_000
    refused = {"x" * 1_001: "too_long", "<b>" * 101: "too_deep", ">" * 200 + " deep": "too_deep"}
    for text, code in refused.items():
        with pytest.raises(ValidationError) as error:
            render_markdown(text)
        assert error.value.code == code
        with pytest.raises(ValidationError) as error:
            check_length(text)
        assert error.value.code == code
    check_length("x" * 1_000)
    check_length("> A quote\n\n- a list")
