"""Inline Markdown (key messages, citations): one paragraph is rendered without its <p>, so it can
sit inside the page's own element; anything else stays blocks. Nothing of the text is lost at its
ends, only the renderer's last line break."""

from briefings.markdown import render_markdown


def test_one_paragraph_rendered_inline_has_no_paragraph_element():
    assert render_markdown("Some *words*", inline=True).html == "Some <em>words</em>"


def test_more_than_one_paragraph_stays_blocks_even_inline():
    assert render_markdown("One.\n\nTwo.", inline=True).html == "<p>One.</p>\n<p>Two.</p>"
    assert render_markdown("- a list", inline=True).html == "<ul>\n<li>a list</li>\n</ul>"


def test_blocks_are_the_default():
    assert render_markdown("Some *words*").html == "<p>Some <em>words</em></p>"


def test_the_last_characters_of_the_text_are_kept():
    assert render_markdown("NHS and CAMHS X", inline=True).html == "NHS and CAMHS X"
    assert render_markdown("NHS and CAMHS X").html == "<p>NHS and CAMHS X</p>"
