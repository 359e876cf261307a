"""A bad content file is refused with file:line, whatever is wrong with it (issue 14, items 8-10).

Every slug and key is checked when the file is parsed; YAML aliases are refused; every value is
checked against the column it will be stored in, in its stored form; and nothing reaches the
database to fail there. Each case here is a class of input, not one example of it.
"""

import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from briefings.models import Briefing, Section

HEAD = "---\ntitle: New\nslug: new\nkind: factsheet\naudiences: [police]\n"
SECTION = "## A heading {key=a themes=understanding-cse}\n\nText.\n"


def refused(path) -> str:
    """Import ``path``; it must be refused. Returns the problems reported."""
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_briefings", str(path), stdout=StringIO(), stderr=(err := StringIO()))
    assert not Briefing.objects.filter(slug="new").exists()
    return err.getvalue()


def write(tmp_path, front="", body=SECTION):
    path = tmp_path / "new.md"
    path.write_text(HEAD + front + "---\n" + body, encoding="utf-8")
    return path


def reported(errors, path, line, message) -> bool:
    """Whether one of the reported problems is on ``path:line`` and says ``message``."""
    return any(
        problem.startswith(f"{path}:{line}: ") and message in problem
        for problem in errors.splitlines()
    )


def assert_refused(tmp_path, front, body, line, message):
    path = write(tmp_path, front, body)
    errors = refused(path)
    assert reported(errors, path, line, message), errors


BAD_SLUGS = ["../../../etc/passwd", "Upper", "with space", "café", "a--b", "-a", "a/b", "x" * 121]


@pytest.mark.parametrize("slug", BAD_SLUGS)
def test_a_section_slug_is_checked_when_parsed(db, tmp_path, slug):
    body = f'## A heading {{key=a slug="{slug}" themes=understanding-cse}}\n\nText.\n'
    assert_refused(tmp_path, "", body, 7, "slug ")


@pytest.mark.parametrize("key", ["../x", "Key", "a_b", "é", "x" * 101])
def test_section_and_key_message_keys_are_checked_when_parsed(db, tmp_path, key):
    body = f"## A heading {{key={key} themes=understanding-cse}}\n\nText.\n"
    assert_refused(tmp_path, "", body, 7, "section key ")
    body = f"## Key messages\n\n- A message. {{key={key} themes=understanding-cse}}\n"
    assert_refused(tmp_path, "", body, 9, "key message key ")


@pytest.mark.parametrize("theme", ["../x", "Theme", "x" * 101])
def test_theme_slugs_are_checked_when_parsed(db, tmp_path, theme):
    body = f"## A heading {{key=a themes={theme}}}\n\nText.\n"
    assert_refused(tmp_path, "", body, 7, "theme ")


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        (
            "references:\n  - key: ../x\n    authors: A, B.\n    year: '2020'\n"
            "    title: T\n    text: T\n",
            7,
            "reference key '../x' must be",
        ),
        (
            "references:\n  - key: x\n    authors: A, B.\n    year: '2020'\n"
            "    title: T\n    text: T\n    work: '!!!'\n",
            7,
            "'x' needs a title or a work:",
        ),
    ],
)
def test_reference_keys_and_works_are_checked(db, tmp_path, front, line, message):
    assert_refused(tmp_path, front, SECTION, line, message)


def test_the_document_slug_is_checked(db, tmp_path):
    path = tmp_path / "new.md"
    path.write_text(HEAD.replace("slug: new", "slug: ../etc") + "---\n" + SECTION)
    assert f"{path}:3: slug '../etc' must be lowercase-with-hyphens" in refused(path)


def test_yaml_aliases_are_refused_before_they_expand(db, tmp_path):
    """A billion-laughs front matter: a few hundred bytes naming each level nine times."""
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 9):
        name, previous = chr(ord("a") + index), chr(ord("a") + index - 1)
        levels.append(f"{name}: &{name} [{','.join(['*' + previous] * 9)}]")
    bomb = "\n".join(levels) + "\n"
    assert len(bomb) < 700
    started = time.perf_counter()
    errors = refused(write(tmp_path, bomb))
    assert time.perf_counter() - started < 5
    assert ":7: front matter is not valid YAML: YAML aliases (*name) are not allowed" in errors


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        ("series: " + "[" * 50 + "]" * 50 + "\n", 6, "nested more than"),
        ("series: " + "9" * 5000 + "\n", 6, "a value cannot be read"),
        ("? [a, b]\n: c\n", 6, "a field name must be a plain word"),
        ('series: "tab\\x01"\n', 6, "U+0001 is not allowed"),
        ('series: "nul\\0"\n', 6, "U+0000 is not allowed"),
        ('series: "\\ud800"\n', 6, "not allowed"),
    ],
)
def test_front_matter_that_cannot_be_read_is_reported_with_its_line(
    db, tmp_path, front, line, message
):
    assert_refused(tmp_path, front, SECTION, line, message)


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        (
            "publisher: " + "p" * 201 + "\n",
            6,
            "'publisher' is 201 characters long; the limit is 200",
        ),
        ("series: " + "s" * 201 + "\n", 6, "'series' is 201 characters long"),
        ("series_title: " + "s" * 201 + "\n", 6, "'series_title' is 201 characters long"),
        ("also_available: [" + "t" * 201 + "]\n", 6, "each of 'also_available' is 201"),
        ("glossary:\n  - term: " + "T" * 41 + "\n    expansion: E\n", 7, "'term' is 41"),
        ("glossary:\n  - term: T\n    expansion: " + "E" * 201 + "\n", 8, "'expansion' is 201"),
        (
            "references:\n  - key: x\n    authors: " + "A" * 501 + "\n    year: '2020'\n"
            "    title: T\n    text: T\n",
            8,
            "'authors' is 501",
        ),
        (
            "references:\n  - key: x\n    authors: A.\n    year: '20201234567'\n"
            "    title: T\n    text: T\n",
            9,
            "'year' is 11",
        ),
        (
            "references:\n  - key: x\n    authors: " + "Org " * 60 + "\n    year: '2020'\n"
            "    title: T\n    text: T\n",
            7,
            "is over 200 characters: add label:",
        ),
        ("audiences2: x\n", 6, "unknown front matter field 'audiences2'"),
    ],
)
def test_every_field_is_bounded_by_its_column(db, tmp_path, front, line, message):
    assert_refused(tmp_path, front, SECTION, line, message)


def test_a_heading_longer_than_its_column_is_reported(db, tmp_path):
    body = "## " + "h" * 251 + " {key=a themes=understanding-cse}\n\nText.\n"
    assert_refused(tmp_path, "", body, 7, "the heading is 251 characters long; the limit is 250")


def test_control_characters_in_the_body_are_reported_with_their_line(db, tmp_path):
    assert_refused(tmp_path, "", SECTION + "\nA bell \x07 here.\n", 11, "U+0007 is not allowed")


def test_headings_that_differ_only_after_the_anchor_length_collide_at_parse_time(db, tmp_path):
    """Issue 14 item 10: anchors are compared in the form they are stored in (120 characters)."""
    common = "word " * 30
    body = (
        f"## {common}one {{key=a themes=understanding-cse}}\n\nText.\n\n"
        f"## {common}two {{key=b themes=understanding-cse}}\n\nText.\n"
    )
    assert_refused(tmp_path, "", body, 11, "two sections would share the anchor")


def test_a_quote_attribution_longer_than_its_column_is_reported(db, tmp_path):
    body = SECTION + "\n> “Words.”\n>\n> — " + "a" * 301 + "\n"
    assert_refused(tmp_path, "", body, 7, "a quote's attribution is over 300 characters")


def test_a_series_whose_address_another_series_has_is_refused(db, tmp_path):
    front = "series: Key messages from research on child-sexual exploitation\nseries_title: X\n"
    assert_refused(tmp_path, front, SECTION, 6, "has the same address")


def test_a_theme_named_as_another_theme_is_refused(db, tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text("- slug: a-new-theme\n  name: Trafficking\n  description: x\n")
    assert f"{path}:1: the theme 'trafficking' already has the name 'Trafficking'" in refused(path)


def test_an_entry_another_document_cites_cannot_be_dropped(db, tmp_path):
    from django.conf import settings

    police = (settings.BRIEFINGS_CONTENT_DIR / "police.md").read_text()
    start = police.index("- key: coy-2009\n")
    end = police.index("- key:", start + 1)
    path = tmp_path / "police.md"
    path.write_text(police[:start] + police[end:])
    errors = refused(path)
    assert "document 'social-workers' cites 'cite:police/coy-2009', which this file no longer" in (
        errors
    )
    assert Section.objects.filter(briefing__slug="police").exists()


def test_a_long_work_name_is_cut_to_fit_the_anchor_it_makes(db, tmp_path):
    """A work's key makes the anchor ``ref-KEY`` on pages and in the search index (200)."""
    from briefings.models import SearchEntry

    front = (
        "references:\n  - key: x\n    authors: A.\n    year: '2020'\n    title: T\n"
        f"    text: T\n    work: {'w' * 200}\n"
    )
    path = write(tmp_path, front, SECTION.replace("Text.", "Text ([A.](cite:x))."))
    call_command("import_briefings", str(path), stdout=StringIO())
    anchor = SearchEntry.objects.get(kind="reference", briefing__slug="new").anchor
    assert anchor == "ref-" + "w" * 196
