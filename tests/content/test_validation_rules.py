"""What the importer's validator refuses once every file is parsed, and what it lets through.

The validator (briefings/content/validate.py) checks what only the whole batch and the stored
documents can tell. These tests give it small hand-written files, parsed as the importer parses
them, and compare every problem it reports (file, line and message) with what the content format
promises (docs/content-format.md), so that a rule that stops firing, fires on valid content, or
names the wrong line fails here. They need the database (roles, themes and the curated documents
stored by tests/conftest.py) but no import: each takes milliseconds.
"""

from pathlib import Path

import pytest

from briefings.content.data import ThemeData
from briefings.content.parser import parse_briefing
from briefings.content.validate import Validator, work_key
from briefings.models import Briefing, KeyMessage

pytestmark = pytest.mark.django_db

SECTION = "## A heading {key=a themes=understanding-cse}\n\nText.\n"


def text(slug="new", front="", body=SECTION, kind="factsheet", audiences="[police]"):
    """A content file: lines 1-5 are the fixed front matter, ``front`` starts on line 6."""
    return (
        f"---\ntitle: New\nslug: {slug}\nkind: {kind}\naudiences: {audiences}\n{front}---\n{body}"
    )


def reference(key, authors="Coy, M.", year="2009", title="Young women and care", more=""):
    """One entry of ``references:``, five lines (plus ``more``)."""
    return (
        f"  - key: {key}\n    authors: {authors}\n    year: '{year}'\n    title: {title}\n"
        f"    text: The entry {key}.\n{more}"
    )


def parsed(content, name="new.md"):
    data, errors = parse_briefing(Path(name), content)
    assert errors == [], errors
    return data


def problems(*files, themes=()):
    """The problems the validator reports for these (name, content) files, as file:line: text."""
    briefings = [parsed(content, name) for name, content in files]
    return [str(error) for error in Validator(briefings, list(themes), Path("themes.yaml")).run()]


def test_a_document_keeping_every_rule_raises_no_problem():
    front = (
        "status: published\n"
        "series: Key messages from research on child sexual exploitation\n"
        "series_title: New\n"
        "source_note: 'After [Coy](cite:coy-2009).'\n"
        "glossary:\n  - term: A&E\n    expansion: Accident and Emergency\n"
        "  - term: NEWTERM\n    expansion: A term no other document uses\n"
        "references:\n" + reference("coy-2009") + reference("lee-2010", "Lee, K.", "2010", "Other")
    )
    body = (
        "Intro citing [Coy](cite:coy-2009) and [Police](cite:police/coy-2009).\n\n"
        "## Key messages\n\n- A message [Coy](cite:coy-2009). {key=m themes=a-new-theme}\n\n"
        "## Heading {key=a themes=understanding-cse,going-missing}\n\n"
        "Text ([Coy](cite:coy-2009); [Lee](cite:lee-2010); [Other](cite:other/x)).\n\n"
        "## Heading {key=b slug=heading-again themes=understanding-cse}\n\nMore.\n"
    )
    other = text("other", "status: draft\nreferences:\n" + reference("x"), SECTION)
    themes = [ThemeData("a-new-theme", "A new theme", "New.", 1)]
    files = [("new.md", text(front=front, body=body, audiences="[police, schools]"))]
    assert problems(*files, ("other.md", other), themes=themes) == []


# ---- themes -----------------------------------------------------------------------------------


def test_a_new_theme_may_not_take_the_name_of_a_stored_theme():
    themes = [ThemeData("a-new-theme", "Trafficking", "x", 4)]
    assert problems(themes=themes) == [
        "themes.yaml:4: the theme 'trafficking' already has the name 'Trafficking'"
    ]


def test_a_stored_theme_may_keep_its_name_and_another_theme_may_take_a_new_one():
    themes = [
        ThemeData("trafficking", "Trafficking", "x", 1),
        ThemeData("a-new-theme", "A name no theme has", "x", 4),
    ]
    assert problems(themes=themes) == []


# ---- references -------------------------------------------------------------------------------


def test_a_reference_key_used_twice_is_reported_at_each_repeat():
    front = "references:\n" + "".join(
        reference("a", title=title) for title in ("First", "Second", "Third")
    )
    assert problems(("new.md", text(front=front))) == [
        "new.md:12: duplicate reference key 'a'",
        "new.md:17: duplicate reference key 'a'",
    ]


def test_two_entries_for_one_work_name_the_first_entry():
    front = "references:\n" + reference("a") + reference("b") + reference("c")
    assert problems(("new.md", text(front=front))) == [
        "new.md:12: 'b' is the same work as 'a'",
        "new.md:17: 'c' is the same work as 'a'",
    ]


def test_an_entry_that_names_no_work_is_reported_and_the_entries_after_it_still_checked():
    unnamed = reference("x", more="    work: '!!!'\n")
    front = "references:\n" + unnamed + reference("a") + reference("b")
    assert problems(("new.md", text(front=front))) == [
        "new.md:7: 'x' needs a title or a work: to name it",
        "new.md:18: 'b' is the same work as 'a'",
    ]


def test_the_same_work_in_two_documents_is_one_work_first_seen_in_the_first():
    first = text("first", "references:\n" + reference("coy"))
    second = text("second", "references:\n" + reference("coy-m"))
    validator = Validator([parsed(first, "first.md"), parsed(second, "second.md")], [])
    assert validator.run() == []
    work = work_key(validator.briefings[0].references[0])
    assert list(validator.works) == [work]
    assert validator.works[work].key == "coy"


def test_a_label_made_from_the_authors_may_fill_its_column_but_not_more():
    """The label is "AUTHORS, YEAR" here (one author, no comma): 194 + 6 = 200 characters."""
    fits = "references:\n" + reference("a", authors="A" * 194)
    assert problems(("new.md", text(front=fits))) == []
    over = "references:\n" + reference("a", authors="A" * 195)
    assert problems(("new.md", text(front=over))) == [
        f"new.md:7: the label '{'A' * 40}'… is over 200 characters: add label:"
    ]


def test_a_document_without_a_reference_list_may_not_list_references():
    front = "reference_list: false\nreferences:\n" + reference("a")
    assert problems(("new.md", text(front=front))) == [
        "new.md:7: reference_list is false, so 'references' must be empty"
    ]
    assert problems(("new.md", text(front="reference_list: false\n"))) == []


# ---- the document's own fields ------------------------------------------------------------------


def test_two_files_with_one_slug_are_both_reported():
    assert problems(("new.md", text()), ("copy.md", text())) == [
        "new.md:3: another file also uses slug 'new'",
        "copy.md:3: another file also uses slug 'new'",
    ]


def test_an_unknown_kind_names_the_kinds_there_are():
    assert problems(("new.md", text(kind="leaflet"))) == [
        "new.md:4: kind must be one of research-briefing, factsheet, got 'leaflet'"
    ]


def test_a_status_other_than_draft_or_published_is_refused():
    assert problems(("new.md", text(front="status: final\n"))) == [
        "new.md:6: status must be draft or published"
    ]
    assert problems(("new.md", text(front="status: draft\n"))) == []


def test_each_unknown_audience_is_reported_with_the_roles_there_are():
    known = (
        "childrens-services-commissioners, health-commissioners, health-staff, multi-agency, "
        "police, police-commissioners, schools, social-workers"
    )
    assert problems(("new.md", text(audiences="[nurses, police, teachers]"))) == [
        f"new.md:5: unknown audience 'nurses' (known: {known})",
        f"new.md:5: unknown audience 'teachers' (known: {known})",
    ]


def test_a_document_in_a_series_needs_its_title_in_the_series():
    front = "series: Key messages from research on child sexual exploitation\n"
    assert problems(("new.md", text(front=front))) == [
        "new.md:6: a briefing in a series needs a series_title"
    ]


def test_unknown_themes_of_sections_and_key_messages_are_reported_at_their_lines():
    body = (
        "## Key messages\n\n- A message. {key=m themes=understanding-cse,no-such-theme}\n\n"
        "## A heading {key=a themes=another-unknown}\n\nText.\n"
    )
    assert problems(("new.md", text(body=body))) == [
        "new.md:11: unknown theme 'another-unknown'",
        "new.md:9: unknown theme 'no-such-theme'",
    ]


# ---- section anchors ----------------------------------------------------------------------------


def test_sections_that_would_share_an_anchor_name_the_first_of_them():
    body = "".join(
        f"## Same heading {{key={key} themes=understanding-cse}}\n\nText.\n\n" for key in "abc"
    )
    assert problems(("new.md", text(body=body))) == [
        "new.md:11: two sections would share the anchor 'same-heading' (see line 7): add slug=...",
        "new.md:15: two sections would share the anchor 'same-heading' (see line 7): add slug=...",
    ]


def test_a_sections_own_slug_is_its_anchor():
    apart = (
        "## Same {key=a slug=first themes=understanding-cse}\n\nText.\n\n"
        "## Same {key=b slug=second themes=understanding-cse}\n\nText.\n"
    )
    assert problems(("new.md", text(body=apart))) == []
    together = (
        "## One {key=a slug=same themes=understanding-cse}\n\nText.\n\n"
        "## Two {key=b slug=same themes=understanding-cse}\n\nText.\n"
    )
    assert problems(("new.md", text(body=together))) == [
        "new.md:11: two sections would share the anchor 'same' (see line 7): add slug=..."
    ]


def test_a_heading_without_letters_or_digits_takes_the_sections_key_as_its_anchor():
    body = (
        "## ? {key=first themes=understanding-cse}\n\nText.\n\n"
        "## ! {key=second themes=understanding-cse}\n\nText.\n"
    )
    assert problems(("new.md", text(body=body))) == []


# ---- texts --------------------------------------------------------------------------------------


def test_every_text_longer_than_the_renderer_takes_is_reported_at_its_line(settings):
    settings.BRIEFINGS_MARKDOWN_MAX_CHARS = 40
    long = "x" * 41
    front = f"source_note: {long}\nreferences:\n" + reference("a").replace("The entry a.", long)
    body = (
        f"{long}\n\n## Key messages\n\n- {long} {{key=m themes=understanding-cse}}\n\n"
        f"## A heading {{key=a themes=understanding-cse}}\n\n{long}\n"
    )
    refusal = "This text is 41 characters long; the limit is 40. Split it into sub-sections."
    assert problems(("new.md", text(front=front, body=body))) == [
        f"new.md:{line}: {refusal}" for line in (2, 6, 20, 18, 8)
    ]


def test_a_citation_of_this_files_references_must_name_one_of_them():
    front = "references:\n" + reference("a")
    body = (
        "Intro ([A](cite:b)).\n\n## Key messages\n\n- A ([A](cite:c)). {key=m themes=going-missing}"
        "\n\n## A heading {key=a themes=understanding-cse}\n\nText ([A](cite:a); [D](cite:d)).\n"
    )
    assert problems(("new.md", text(front=front, body=body))) == [
        "new.md:2: citation 'cite:b' is not in this file's references",
        "new.md:19: citation 'cite:d' is not in this file's references",
        "new.md:17: citation 'cite:c' is not in this file's references",
    ]


def test_a_citation_of_another_document_must_name_one_of_its_entries():
    body = SECTION.replace(
        "Text.",
        "Text ([A](cite:police/coy-2009); [B](cite:police/no-such-entry); "
        "[C](cite:no-such-document/coy-2009); [D](cite:police/coy-2009/more)).",
    )
    assert problems(("new.md", text(body=body))) == [
        "new.md:7: citation 'cite:police/no-such-entry' matches no reference of document 'police'",
        "new.md:7: citation 'cite:no-such-document/coy-2009' matches no reference of document "
        "'no-such-document'",
        "new.md:7: citation 'cite:police/coy-2009/more' matches no reference of document 'police'",
    ]


def test_a_citation_of_a_document_in_the_same_import_reads_that_file_not_the_stored_one():
    """police.md as imported here lists only "new-entry": coy-2009 (stored) is gone."""
    police = text("police", "references:\n" + reference("new-entry"), audiences="[police]")
    body = SECTION.replace("Text.", "Text ([A](cite:police/new-entry); [B](cite:police/coy-2009)).")
    reported = problems(("police.md", police), ("new.md", text(body=body)))
    assert (
        "new.md:7: citation 'cite:police/coy-2009' matches no reference of document 'police'"
        in (reported)
    )
    assert not any("cite:police/new-entry" in problem for problem in reported)


# ---- glossary -----------------------------------------------------------------------------------


def test_a_term_is_expanded_as_the_stored_documents_expand_it():
    front = "glossary:\n  - term: A&E\n    expansion: Accident and emergency department\n"
    assert problems(("new.md", text(front=front))) == [
        "new.md:7: glossary term 'A&E' is expanded as 'Accident and emergency department' here "
        "but as 'Accident and Emergency' in document 'commissioning-health-care-services'"
    ]


def test_a_term_is_expanded_alike_in_every_file_of_the_import():
    first = text("first", "glossary:\n  - term: XYZ\n    expansion: One\n")
    second = text("second", "glossary:\n  - term: XYZ\n    expansion: Two\n")
    same = text("same", "glossary:\n  - term: XYZ\n    expansion: One\n")
    assert problems(("first.md", first), ("second.md", second), ("same.md", same)) == [
        "second.md:7: glossary term 'XYZ' is expanded as 'Two' here but as 'One' in first.md:7"
    ]


def test_the_document_that_is_imported_again_may_change_its_own_expansion():
    stored = Briefing.objects.get(slug="commissioning-health-care-services")
    again = text(
        stored.slug,
        "glossary:\n  - term: A&E\n    expansion: Accident and emergency department\n"
        "references:\n"
        + reference("oxford-brookes-university-2015")
        + reference("warrington-2013", "Warrington, C.", "2013", "Another work"),
    )
    assert problems((f"{stored.slug}.md", again)) == []


def test_stored_glossary_entries_that_are_not_terms_are_ignored():
    """A stored glossary is JSON an editor's form wrote: odd entries must not stop an import."""
    Briefing.objects.filter(slug="police").update(
        glossary=["a string", {"expansion": "No term"}, {"term": ""}, {"term": "QRS"}]
    )
    front = "glossary:\n  - term: QRS\n    expansion: Quite rare sense\n"
    assert problems(("new.md", text(front=front))) == [
        "new.md:7: glossary term 'QRS' is expanded as 'Quite rare sense' here but as '' in "
        "document 'police'"
    ]


# ---- series -------------------------------------------------------------------------------------


def test_a_series_name_must_make_an_address_of_its_own():
    stored = "Key messages from research on child sexual exploitation"
    files = [
        ("none.md", text("none")),
        ("blank.md", text("blank", "series: '!!!'\nseries_title: X\n")),
        (
            "hyphen.md",
            text("hyphen", f"series: {stored.replace(' sexual', '-sexual')}\nseries_title: X\n"),
        ),
        ("one.md", text("one", "series: A new series\nseries_title: X\n")),
        ("two.md", text("two", "series: A New Series\nseries_title: X\n")),
        ("same.md", text("same", f"series: {stored}\nseries_title: X\n")),
    ]
    address = "key-messages-from-research-on-child-sexual-exploitation"
    assert problems(*files) == [
        "blank.md:6: the series name needs letters or digits",
        f"hyphen.md:6: the series '{stored}' has the same address ({address}); use the same name",
        "two.md:6: the series 'A new series' has the same address (a-new-series); use the same "
        "name",
    ]


# ---- entries other documents cite ---------------------------------------------------------------


def commissioning(*references):
    front = "references:\n" + "".join(reference(key, title=key) for key in references)
    return (
        "commissioning-health-care-services.md",
        text("commissioning-health-care-services", front),
    )


def test_a_document_keeps_the_entries_stored_documents_cite_whichever_file_of_the_import_it_is():
    """social-workers cites oxford-brookes-university-2015 and warrington-2013 of this one."""
    assert problems(commissioning("warrington-2013"), ("new.md", text())) == [
        "commissioning-health-care-services.md:6: document 'social-workers' cites "
        "'cite:commissioning-health-care-services/oxford-brookes-university-2015', which this "
        "file no longer lists"
    ]
    assert problems(commissioning("warrington-2013", "oxford-brookes-university-2015")) == []


def test_citations_in_key_messages_and_introductions_are_kept_too_each_reported_once():
    message = KeyMessage.objects.filter(briefing__slug="police").first()
    message.text += " ([W](cite:commissioning-health-care-services/warrington-2013))" * 2
    message.save(update_fields=["text"])
    Briefing.objects.filter(slug="cse-factsheet").update(
        intro="See [W](cite:commissioning-health-care-services/warrington-2013)."
    )
    assert problems(commissioning("oxford-brookes-university-2015")) == [
        "commissioning-health-care-services.md:6: document "
        f"'{citing}' cites 'cite:commissioning-health-care-services/warrington-2013', which this "
        "file no longer lists"
        for citing in ("social-workers", "police", "cse-factsheet")
    ]


def test_a_citing_document_imported_in_the_same_batch_is_read_from_its_file():
    """social-workers imported again without its citations no longer holds commissioning's."""
    social_workers = ("social-workers.md", text("social-workers", audiences="[social-workers]"))
    assert problems(commissioning("warrington-2013"), social_workers) == []


# ---- a work's identity ------------------------------------------------------------------------


def test_a_work_named_with_work_is_that_name_cut_to_fit_its_anchor():
    """The key makes the anchor ``ref-KEY`` (200 characters): 196 are left for the key."""
    front = "references:\n" + reference("a", more=f"    work: {'W' * 200}\n")
    assert work_key(parsed(text(front=front)).references[0]) == "w" * 196


def test_a_work_without_a_name_is_its_first_author_year_and_ten_words_of_its_title():
    title = "Barnardo's Eleven words: one, two, three, four, five, six, seven, eight, nine"
    front = "references:\n" + reference(
        "a", authors='"Barnardo\'s, B. and Lee, K."', year="2011a", title=f'"{title}"'
    )
    assert work_key(parsed(text(front=front)).references[0]) == (
        "barnardos-2011-barnardos-eleven-words-one-two-three-four-five-six-seven"
    )
    long = "references:\n" + reference("a", authors="A" * 300, title="T")
    assert work_key(parsed(text(front=long)).references[0]) == "a" * 196
