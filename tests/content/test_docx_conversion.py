"""A Word document converted into the content format (briefings/content/docx.py), built at test
time with python-docx."""

import io
import zipfile

import pytest
from docx import Document

from briefings.content.docx import WordConversionError, docx_to_content
from briefings.content.parser import parse_briefing
from tests.support.word import briefing_docx

OPTIONS = {
    "title": "",
    "kind": "research-briefing",
    "audiences": ["police"],
    "theme": "barriers-to-disclosure",
    "source": "youth.docx",
}


def _convert(data, **options):
    return docx_to_content(data, **{**OPTIONS, **options})


def test_headings_become_sections_and_the_first_the_title():
    data, errors = parse_briefing("youth.md", _convert(briefing_docx()))
    assert errors == []
    assert (
        data.title == "Key messages from research on exploitation: Youth workers in the community"
    )
    assert data.status == "draft"
    assert [(s.heading, s.level) for s in data.sections[:2]] == [
        ("Section 1: working with young people", 2),
        ("A sub-section", 3),
    ]
    assert len([s for s in data.sections if s.level == 2]) == 4
    assert all(s.themes == ["barriers-to-disclosure"] for s in data.sections)
    # Keys and the slug are made from the headings and title: at most 60 characters, whole words.
    assert data.sections[0].key == "section-1-working-with-young-people"
    assert data.slug == "key-messages-from-research-on-exploitation-youth-workers"


def test_key_messages_lists_quotes_and_italics_are_carried():
    text = _convert(briefing_docx())
    data, _ = parse_briefing("youth.md", text)
    assert [m.text for m in data.key_messages] == [
        f"Key message number {n} about trusted adults." for n in (1, 2, 3)
    ]
    assert data.intro == "This briefing is for *youth workers*."
    body = data.sections[0].body
    assert "- First point\n- Second point" in body
    assert "1. Step one" in body
    assert "> “They listened to me.”\n>\n> — Young person A" in body
    assert "*Coy, 2009*" in body
    # A paragraph that only looks like a numbered list stays a paragraph.
    assert data.sections[1].body == "1\\. Not a list: a paragraph that starts with a number."


def test_the_references_heading_becomes_the_reference_list_and_unread_lines_are_kept():
    text = _convert(briefing_docx(references=10))
    data, _ = parse_briefing("youth.md", text)
    assert len(data.references) == 10
    first = data.references[0]
    assert (first.key, first.authors, first.year, first.title, first.publisher) == (
        "authora-other-2000",
        "Authora, A. and Other, B.",
        "2000",
        "Title number 0",
        "London: Publisher",
    )
    assert "# Not read as a reference (line 11): A line that is not a reference" in text
    assert "References" not in [s.heading for s in data.sections]


def test_a_given_title_is_used_and_the_slug_avoids_existing_ones():
    text = _convert(briefing_docx(), title="Police", taken_slugs={"police"})
    data, _ = parse_briefing("youth.md", text)
    assert (data.title, data.slug) == ("Police", "police-2")
    # The first heading is then a section like the others.
    assert data.sections[0].heading.startswith("Key messages from research")


def test_markdown_characters_in_the_text_stay_characters():
    doc = Document()
    doc.add_heading("A title", 1)
    doc.add_heading("Heading with *stars*", 2)
    doc.add_paragraph("Use [brackets] and *stars* and a_b {braces}")
    out = io.BytesIO()
    doc.save(out)
    data, errors = parse_briefing("x.md", _convert(out.getvalue()))
    assert errors == []
    assert data.sections[0].heading == "Heading with *stars*"
    assert data.sections[0].body == r"Use \[brackets\] and \*stars\* and a\_b \{braces\}"


@pytest.mark.parametrize(
    "data",
    [b"not a zip file", zipfile.ZipFile.__name__.encode(), b"PK\x03\x04 broken"],
)
def test_a_file_that_is_not_a_word_document_is_refused_with_a_message(data):
    with pytest.raises(WordConversionError, match="not a Word"):
        _convert(data)


def test_a_zip_without_a_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(WordConversionError, match="not a Word"):
        _convert(out.getvalue())
