"""Every source document is in the portal faithfully: all its words, its key messages and its
references, with no extraction damage left over."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from briefings.models import Briefing, Citation, KeyMessage, Section, Theme
from tests.support.text import normalise, source_blocks, source_sentences, visible_text

SOURCES = Path(settings.BASE_DIR) / "fixtures" / "sources"
CONTENT = Path(settings.BRIEFINGS_CONTENT_DIR)
# Structural headings whose role the portal's own layout takes over.
STRUCTURAL = re.compile(r"^(references|.*also available)$", re.IGNORECASE)


def _front_matter(path):
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1])


DOCUMENTS = sorted(
    (meta["slug"], meta["source"]) for meta in (_front_matter(p) for p in CONTENT.glob("*.md"))
)


def test_every_source_text_has_a_curated_document():
    sources = {p.name for p in SOURCES.glob("*.txt")}
    assert sources == {source for _, source in DOCUMENTS}
    assert len(sources) == 5


def _page_text(client, slug):
    response = client.get(f"/documents/{slug}/")
    assert response.status_code == 200
    return normalise(visible_text(response.content.decode()))


@pytest.mark.parametrize(("slug", "source"), DOCUMENTS)
def test_every_sentence_of_the_source_appears_on_the_document_page(client, db, slug, source):
    page = _page_text(client, slug)
    raw = (SOURCES / source).read_text(encoding="utf-8")
    missing = [
        sentence
        for sentence in source_sentences(raw)
        if not STRUCTURAL.match(sentence.strip()) and normalise(sentence) not in page
    ]
    assert missing == []


@pytest.mark.parametrize(("slug", "source"), DOCUMENTS)
def test_the_fidelity_check_notices_a_dropped_sentence(client, db, slug, source):
    """Guard the guard: removing one sentence from a section makes the check fail."""
    section = Section.objects.filter(briefing__slug=slug).exclude(body="").order_by("order")[0]
    words = visible_text(section.body_html).split(". ")[0]
    section.body = section.body.replace(words.split("(")[0].strip()[:60], "", 1)
    section.save()
    page = _page_text(client, slug)
    raw = (SOURCES / source).read_text(encoding="utf-8")
    missing = [s for s in source_sentences(raw) if normalise(s) not in page]
    assert missing


def _source_key_messages(raw):
    blocks = list(source_blocks(raw))
    lines = raw.splitlines()
    try:
        start = next(
            i for i, line in enumerate(lines) if re.fullmatch(r"(## )?Key messages", line.strip())
        )
    except StopIteration:
        return 0
    count = 0
    for line in lines[start + 1 :]:
        stripped = line.strip()
        if re.match(r"^(- |[BWM■] )", stripped):
            count += 1
        elif (
            stripped
            and count
            and not line.startswith((" ", "\t"))
            and re.match(r"^(## )?[A-Z][a-z]+ [A-Z]", stripped)
            and stripped.endswith("Exploitation")
        ):
            break
    assert blocks  # the source parsed into paragraphs at all
    return count


@pytest.mark.parametrize(("slug", "source"), DOCUMENTS)
def test_key_messages_match_the_source_in_number(db, slug, source):
    raw = (SOURCES / source).read_text(encoding="utf-8")
    assert KeyMessage.objects.filter(briefing__slug=slug).count() == _source_key_messages(raw)


def _source_references(raw):
    lines = raw.splitlines()
    starts = [i for i, line in enumerate(lines) if re.fullmatch(r"(## )?References", line.strip())]
    if not starts:
        return set()
    entries = set()
    for line in lines[starts[0] + 1 :]:
        if re.search(r"\(\d{4}[a-z]?\)", line) and not line.strip().startswith("http"):
            entries.add(normalise(re.sub(r"^- ", "", line.strip()).replace("*", "")))
    return entries


@pytest.mark.parametrize(("slug", "source"), DOCUMENTS)
def test_references_match_the_source_list(db, slug, source):
    raw = (SOURCES / source).read_text(encoding="utf-8")
    expected = _source_references(raw)
    listed = Citation.objects.filter(briefing__slug=slug, listed=True)
    assert listed.count() == len(expected)
    briefing = Briefing.objects.get(slug=slug)
    assert briefing.has_reference_list == bool(expected)


def test_the_social_workers_briefing_has_no_invented_reference_list(client, db):
    assert not Citation.objects.filter(briefing__slug="social-workers", listed=True).exists()
    page = client.get("/documents/social-workers/").content.decode()
    assert 'id="references"' not in page
    # Its citations link only to works the series lists, via the portal's reference index.
    assert 'href="/references/#ref-coy-2009-moved-around' in page


def test_a_work_cited_by_several_briefings_is_one_reference(db):
    citing = Citation.objects.filter(reference__key__startswith="beckett-2011-not-a-world-away")
    assert citing.values("reference").distinct().count() == 1
    assert citing.count() >= 3


def test_labels_are_kept_per_briefing(db):
    """One briefing's "Coy, 2016" is another's "Coy, 2016a"."""
    labels = dict(
        Citation.objects.filter(reference__key__startswith="coy-2016-we-dont-get-this").values_list(
            "briefing__slug", "label"
        )
    )
    assert labels["police"] == "Coy, 2016"
    assert labels["multi-agency-working"] == "Coy, 2016a"


ARTEFACTS = [
    (re.compile(r"^\s*[BWM■]\s", re.MULTILINE), "stray bullet letter"),
    (re.compile(r"\|"), "'|' for 'I'"),
    (re.compile(r"™"), "stray trade mark sign"),
    (re.compile(r"[’'”\"]{2}[^\w]"), "doubled quote marks"),
    (re.compile(r"^\s*\d{1,3}\s*$", re.MULTILINE), "page number"),
    (re.compile(r"^\s*(https?://|www\.)\S+\s*$", re.MULTILINE), "bare URL line"),
    (re.compile(r"<sup>"), "footnote marker"),
    (re.compile(r"\]\(#\)"), "link to #"),
    (re.compile(r"\b\d{5}\b"), "OCR-damaged year"),
    (re.compile(r"\w-\n\w"), "broken hyphenation"),
]


@pytest.mark.parametrize(("slug", "source"), DOCUMENTS)
def test_no_extraction_artefact_survives(db, slug, source):
    briefing = Briefing.objects.get(slug=slug)
    texts = [
        briefing.intro,
        *briefing.sections.values_list("body", flat=True),
        *briefing.key_messages.values_list("text", flat=True),
        *briefing.citations.values_list("entry", flat=True),
    ]
    found = [
        (name, match.group(0))
        for text in texts
        for pattern, name in ARTEFACTS
        for match in pattern.finditer(text)
    ]
    assert found == []


def test_every_section_and_key_message_has_a_theme(db):
    assert not Section.objects.filter(themes=None).exists()
    assert not KeyMessage.objects.filter(themes=None).exists()


def test_every_theme_spans_at_least_two_documents(db):
    themes = Theme.objects.all()
    assert 12 <= themes.count() <= 25
    for theme in themes:
        documents = set(Section.objects.filter(themes=theme).values_list("briefing", flat=True))
        documents |= set(KeyMessage.objects.filter(themes=theme).values_list("briefing", flat=True))
        assert len(documents) >= 2, theme.slug
        assert theme.description


def test_young_peoples_quotes_keep_their_attribution(db):
    from briefings.models import Quote

    attributions = set(Quote.objects.values_list("attribution", flat=True))
    assert "Young person C; Beckett and Warrington, 2015" in attributions
    assert "Young woman, cited in Gilligan, 2016" in attributions
    assert Quote.objects.filter(section__briefing__slug="police").count() == 3


def test_links_without_a_target_in_the_source_are_plain_text(client, db):
    for slug, _ in DOCUMENTS:
        assert 'href="#"' not in client.get(f"/documents/{slug}/").content.decode()


def test_the_series_knows_which_titles_the_portal_holds(client, db):
    page = client.get("/documents/police/").content.decode()
    assert 'href="/documents/social-workers/">Social workers</a>' in page
    assert 'Professionals in school settings <span class="muted">(not held in this portal)' in page


def test_the_factsheet_keeps_its_structure(client, db):
    factsheet = Briefing.objects.get(slug="cse-factsheet")
    assert factsheet.kind == "factsheet"
    assert factsheet.publisher == "Shared Vision"
    headings = list(factsheet.sections.values_list("heading", flat=True))
    for expected in [
        "How are victims trapped?",
        "The views of CPS",
        "What about the Parents or Carers?",
    ]:
        assert expected in headings
    trapped = factsheet.sections.get(heading="How are victims trapped?").body_html
    steps = re.findall(r"<li>\s*(?:<p>)?(?:<strong>)?(\w+)\.", trapped)
    assert steps == ["Chilling", "Presents", "Physical", "Pestering", "Threats", "Orders", "Force"]
    assert "0113 240 3040" in client.get("/documents/cse-factsheet/").content.decode()
