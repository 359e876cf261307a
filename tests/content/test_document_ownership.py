"""What a document prints belongs to it; what documents share is derived (issue 20).

Three documents cite Beckett (2011), "Not a World Away", and print its publisher differently:
police (January 2017) as "Barnardo's: Belfast", multi-agency-working and
commissioning-health-care-services (March 2017) as "Belfast: Barnardo's".
"""

from django.core.management import call_command
from django.utils.html import escape

from briefings.content.importer import Importer
from briefings.models import Briefing, Citation, Reference, Status

from .test_import_briefings import CONTENT

BECKETT = "beckett-2011-not-a-world-away"


def beckett():
    return Reference.objects.get(key__startswith=BECKETT)


def beckett_citation(slug):
    return Citation.objects.get(briefing__slug=slug, reference=beckett())


def reference_index_entry(client, reference):
    page = client.get("/references/").content.decode()
    return page.split(f'<li id="ref-{reference.key}">')[1].split("</li>")[0]


def test_each_document_keeps_the_work_as_it_gives_it(db):
    assert beckett_citation("police").publisher == "Barnardo's: Belfast"
    assert beckett_citation("multi-agency-working").publisher == "Belfast: Barnardo's"
    assert beckett_citation("commissioning-health-care-services").publisher == (
        "Belfast: Barnardo's"
    )


def test_the_shared_work_takes_the_earliest_published_documents_fields(db):
    assert beckett().publisher == "Barnardo's: Belfast"
    # Importing a later document last does not make its version the shared one.
    Importer([CONTENT / "multi-agency-working.md"]).run()
    assert beckett().publisher == "Barnardo's: Belfast"
    police = Briefing.objects.get(slug="police")
    police.published_year = 2018
    police.save()
    # Of the two March 2017 documents, the first by slug gives it.
    assert beckett().publisher == "Belfast: Barnardo's"
    assert beckett().title == beckett_citation("commissioning-health-care-services").title


def test_a_citation_edited_or_removed_moves_the_shared_work_with_it(db):
    police = beckett_citation("police")
    police.publisher = "Belfast: Barnardo's (corrected)"
    police.save()
    assert beckett().publisher == "Belfast: Barnardo's (corrected)"
    police.delete()
    assert beckett().publisher == "Belfast: Barnardo's"


def test_the_reference_index_shows_the_work_as_a_published_document_gives_it(client, db):
    assert "Barnardo&#x27;s: Belfast" in reference_index_entry(client, beckett())
    police = Briefing.objects.get(slug="police")
    police.status = Status.DRAFT
    police.save()
    entry = reference_index_entry(client, beckett())
    # A draft's version of the work is not shown, even though it is the earliest.
    assert "Barnardo&#x27;s: Belfast" not in entry
    assert "Belfast: Barnardo&#x27;s" in entry


def test_a_document_page_shows_its_own_web_address_for_a_work(client, db):
    citation = beckett_citation("multi-agency-working")
    citation.url = "https://example.org/not-a-world-away"
    citation.save()
    maw = client.get("/documents/multi-agency-working/").content.decode()
    police = client.get("/documents/police/").content.decode()
    assert 'href="https://example.org/not-a-world-away"' in maw
    assert "example.org/not-a-world-away" not in police


def test_a_document_lists_its_series_in_its_own_order(client, db):
    for slug in ("police", "commissioning-health-care-services"):
        briefing = Briefing.objects.get(slug=slug)
        page = client.get(f"/documents/{slug}/").content.decode()
        series = page.split('id="series"')[1].split("</section>")[0]
        positions = [series.index(escape(title)) for title in briefing.also_available]
        assert positions == sorted(positions)
        this = series.index(f"<strong>{escape(briefing.series_title)}</strong> (this document)")
        assert this < min(positions)


def test_export_then_import_of_each_document_changes_nothing(db, tmp_path):
    """Issue 20: a document's export holds only its own values, so importing it back alone
    reports no changes, whatever the other documents say about the works they share."""
    from io import StringIO

    from tests.support.fingerprint import content_fingerprint

    before = content_fingerprint()
    for briefing in Briefing.objects.order_by("slug"):
        path = tmp_path / f"{briefing.slug}.md"
        call_command("export_briefing", briefing.slug, output=str(path), stderr=StringIO())
        out = StringIO()
        call_command("import_briefings", str(path), stdout=out)
        assert out.getvalue() == "Checked 1 file; no changes.\n", briefing.slug
    assert content_fingerprint() == before
