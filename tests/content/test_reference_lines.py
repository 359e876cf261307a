"""Reading a pasted reference list (briefings/content/reference_lines.py), measured on the
reference lists the five source documents print, against the curated entries for the same works.
"""

import pytest

from briefings.content.keys import letter_suffixes
from briefings.content.reference_lines import author_year_key, parse_reference_lines
from tests.support.reference_lists import (
    SOURCES,
    curated_match,
    curated_references,
    fields_differing,
    source_reference_list,
)

SOURCE_FILES = sorted(path.name for path in SOURCES.glob("*.txt"))


def _read_without_correction(source_name):
    refs = parse_reference_lines(source_reference_list(SOURCES / source_name))
    curated = curated_references(source_name)
    correct = [
        ref
        for ref in refs
        if ref.ok and (match := curated_match(ref, curated)) and not fields_differing(ref, match)
    ]
    return refs, curated, correct


def test_there_are_five_source_documents_and_three_print_a_reference_list():
    assert len(SOURCE_FILES) == 5
    with_lists = [name for name in SOURCE_FILES if source_reference_list(SOURCES / name).strip()]
    # The social workers' briefing and the factsheet print none (fixtures/sources/README.md).
    assert len(with_lists) == 3
    assert all(curated_references(name) for name in with_lists)


@pytest.mark.parametrize("source_name", SOURCE_FILES)
def test_nearly_every_printed_reference_is_read_as_the_curators_read_it(source_name):
    refs, curated, correct = _read_without_correction(source_name)
    if not curated:
        assert refs == []
        return
    # Every line is read (none flagged), and each is the work the curated list has.
    assert [ref.text for ref in refs if not ref.ok] == []
    assert all(curated_match(ref, curated) for ref in refs)
    # Authors, year, title, publisher/journal and address all as curated, for at least 95%: the
    # rest are lines whose italics the source misplaced (the portal cannot know better).
    assert len(correct) >= 0.95 * len(refs), [
        (ref.line, fields_differing(ref, curated_match(ref, curated)))
        for ref in refs
        if ref not in correct
    ]


def test_the_parts_of_a_book_an_article_a_chapter_and_a_web_report_are_told_apart():
    refs = parse_reference_lines(
        "- Allnock, D. and Miller, P (2013) *No-one noticed, no-one heard*. London. NSPCC\n"
        "Coy, M. (2009) Moved Around Like Bags *Child Abuse Review* 18(4): 254-266\n"
        "Sharp, N. (2013) Missing from discourse in Melrose, M. and Pearce, J. (eds.) "
        "*Critical Perspectives* pp. 96-109 Basingstoke: Palgrave Macmillan\n"
        "Jay, A. (2014) *Independent Inquiry*. Available online:\n"
        "http://www.example.org/jay\n"
    )
    book, article, chapter, web = refs
    assert (book.authors, book.year, book.title, book.publisher) == (
        "Allnock, D. and Miller, P",
        "2013",
        "No-one noticed, no-one heard",
        "London. NSPCC",
    )
    assert (article.title, article.journal, article.publisher) == (
        "Moved Around Like Bags",
        "Child Abuse Review 18(4): 254-266",
        "",
    )
    assert chapter.title == "Missing from discourse"
    assert chapter.publisher.startswith("in Melrose, M. and Pearce, J. (eds.)")
    assert (web.title, web.url) == ("Independent Inquiry", "http://www.example.org/jay")
    assert web.text.endswith("[http://www.example.org/jay](http://www.example.org/jay)")


def test_plain_text_pasted_from_a_word_processor_is_read_too():
    (ref,) = parse_reference_lines(
        "Author, A. and Author, B. (2015) A title with words. Place: Publisher Ltd"
    )
    assert (ref.authors, ref.year, ref.title, ref.publisher, ref.journal) == (
        "Author, A. and Author, B.",
        "2015",
        "A title with words",
        "Place: Publisher Ltd",
        "",
    )
    assert ref.key == "author-author-2015"


def test_lines_it_cannot_read_are_flagged_with_the_reason_and_kept():
    refs = parse_reference_lines("Just some words\n(2015) No authors here\nCoy, M. (2009) *T*")
    assert [(ref.line, ref.ok) for ref in refs] == [(1, False), (2, False), (3, True)]
    assert "no year" in refs[0].problem
    assert "no authors" in refs[1].problem
    assert refs[0].text == "Just some words"


@pytest.mark.parametrize(
    ("authors", "year", "key"),
    [
        ("Coy, M.", "2009", "coy-2009"),
        ("Beckett, H. and Warrington, C.", "2015", "beckett-warrington-2015"),
        ("Berelowitz, S., Firmin, C. and Edwards, G.", "2012", "berelowitz-et-al-2012"),
        ("Beckett, H. with Brodie I. and Pearce J.", "2013", "beckett-et-al-2013"),
        ("Barnardo's", "2012", "barnardos-2012"),
        ("Home Office", "2014", "home-office-2014"),
        ("Coy, M.", "2016a", "coy-2016a"),
    ],
)
def test_keys_are_author_and_year(authors, year, key):
    assert author_year_key(authors, year) == key


def test_clashing_keys_get_letters_in_order_and_avoid_the_documents_own():
    assert letter_suffixes(["coy-2009", "coy-2009", "fox-2016"]) == [
        "coy-2009a",
        "coy-2009b",
        "fox-2016",
    ]
    assert letter_suffixes(["coy-2009"], taken={"coy-2009"}) == ["coy-2009a"]
    refs = parse_reference_lines("Coy, M. (2009) *One*\nCoy, M. (2009) *Two*", {"coy-2009a"})
    assert [ref.key for ref in refs] == ["coy-2009b", "coy-2009c"]
