"""No text an editor writes can forge a filter value (issue 14.6).

A row's filter values are index words that begin with a private-use character (FACET_MARK). Every
text that reaches the index goes through the one cleaning function, which removes that character,
so a theme name, heading, body, key message, quote, reference or glossary term spelling out another
role's, theme's, document's or kind's filter word stays an ordinary word of its own row."""

import pytest

from briefings.models import GlossaryTerm, Quote, Role, Section, Theme
from briefings.search import index
from tests.support.search import make_document, outcome_of

pytestmark = pytest.mark.django_db
MARK = "\ue000"


def forged_words(role, theme, document):
    """Every spelling of the other side's filter words a writer might try."""
    words = []
    for prefix in ("role", "theme", "doc", "kind", "allroles"):
        for value in (role.pk, role.slug, theme.pk, theme.slug, document.pk, "glossary", ""):
            words += [f"{MARK}{prefix}{value}", f"{MARK}{MARK}{prefix}{value}"]
    return " ".join(words)


@pytest.fixture
def target():
    """The filters an attacker wants their text to pass: another role, theme and document."""
    other = make_document("forge-target", [("s1", "Target", "Target text.")], role="schools")
    theme = Theme.objects.create(name="Forge target theme", slug="forge-target-theme")
    Section.objects.get(briefing=other, key="s1").themes.add(theme)
    return Role.objects.get(slug="schools"), theme, other


def test_marker_characters_in_every_indexed_field_forge_no_filter(target):
    role, theme, other = target
    forged = forged_words(role, theme, other)
    # Short fields (a heading, a theme's name) carry the words that would pass the role filter.
    short = f"{MARK}role{role.pk} {MARK}roleschools {MARK}theme{theme.pk} {MARK}kindglossary"
    briefing = make_document(
        "forge-source",
        [("s1", f"Quokkafied {short}", f"Quokkafied body {forged}\n\n> Quokkafied {forged}")],
        key_messages=[("k1", f"Quokkafied message {forged}")],
        references=[("r1", f"Quokkafied work {forged}")],
        role="police",
    )
    section = Section.objects.get(briefing=briefing, key="s1")
    section.themes.add(Theme.objects.create(name=f"Quokkafied {short}", slug="forge-theme"))
    Quote.objects.create(section=section, text=f"Quokkafied {forged}", attribution=short)
    GlossaryTerm.objects.create(
        term="Quokkafied", expansion=f"Quokkafied {forged}"[:200], note=forged[:300]
    )

    assert outcome_of(q="quokkafied").total > 0  # the rows exist and are found unfiltered
    for chosen in (
        {"audience": role.slug},
        {"theme": theme.slug},
        {"document": other.slug},
        {"kind": "glossary", "audience": role.slug},
    ):
        found = outcome_of(q="quokkafied", **chosen)
        sources = {hit.url for hit in found.hits}
        assert not any("forge-source" in url for url in sources), (chosen, sources)


def test_every_indexed_text_passes_through_the_cleaning_function():
    doc = index.Doc(
        kind="section",
        object_id=1,
        title=f"a{MARK}b",
        heading=f"{MARK}role1",
        summary=f"x{MARK}",
        body=f"{MARK}theme2",
        extra=f"{MARK}doc3",
    )
    texts = [value for name, value in doc.values().items() if name != "facets"]
    assert not any(MARK in str(value) for value in texts)
