import datetime

from django.core.management import call_command
from django.utils import timezone

from briefings.models import Briefing, GlossaryTerm
from tests.support.queries import queries_for
from tests.support.search import outcome_of


def test_the_glossary_lists_every_acronym_with_its_expansion(client, db):
    page = client.get("/glossary/").content.decode()
    for term, expansion in [
        ("CAMHS", "Child and Adolescent Mental Health Services"),
        ("MASH", "Multi-Agency Safeguarding Hub"),
        ("NRM", "National Referral Mechanism"),
        ("A&amp;E", "Accident and Emergency"),
    ]:
        assert f"<dt>{term}</dt><dd>{expansion}" in page


def test_the_glossary_covers_the_acronyms_the_issue_names(db):
    terms = set(GlossaryTerm.objects.values_list("term", flat=True))
    assert {
        "CSE",
        "CEOP",
        "MASH",
        "MASE",
        "CAMHS",
        "SARC",
        "NRM",
        "CPS",
        "SPOC",
        "IIOC",
        "BME",
        "LGBT",
        "A&E",
        "GP",
        "HMIC",
        "PACE",
        "SOA",
    } <= terms


def test_the_glossary_costs_one_query_and_one_for_the_readers_role(client, db):
    assert queries_for(client, "/glossary/") == 1
    assert queries_for(client, "/glossary/?role=police") == 2


# ---- a term is public only when a published document defines it (issue 14, item 5) ----------

DRAFT = """---
title: A draft
slug: a-draft
kind: factsheet
status: {status}
audiences: [police]
glossary:
  - term: ZQXJ
    expansion: Zephyr Quokka Xylophone Jamboree
  - term: CSE
    expansion: child sexual exploitation
---

Text about ZQXJ.
"""


def import_draft(tmp_path, status="draft", **extra):
    path = tmp_path / "a-draft.md"
    text = DRAFT.format(status=status)
    if extra.get("without_term"):
        text = text.replace("  - term: ZQXJ\n    expansion: Zephyr Quokka Xylophone Jamboree\n", "")
    path.write_text(text)
    call_command("import_briefings", str(path), verbosity=0)


def glossary_has_zqxj(client):
    page = client.get("/glossary/").content.decode()
    on_page = "Zephyr Quokka" in page
    found = any(hit.url.endswith("#term-zqxj") for hit in outcome_of(q="ZQXJ").hits)
    # The search page names a term's expansion when it searches for it too.
    named = "Zephyr Quokka" in client.get("/search/", {"q": "ZQXJ"}).content.decode()
    assert on_page == found == named
    return on_page


def test_a_term_only_a_draft_defines_is_not_published(client, db, tmp_path):
    import_draft(tmp_path)
    assert not glossary_has_zqxj(client)
    # A published page that uses the term does not expand it from the draft either.
    police = Briefing.objects.get(slug="police")
    police.intro += "\n\nZQXJ."
    police.save()
    page = client.get("/documents/police/").content.decode()
    assert "ZQXJ" in page
    assert "Zephyr" not in page


def test_a_term_is_published_with_its_document(client, db, tmp_path):
    import_draft(tmp_path)
    import_draft(tmp_path, status="published")
    assert glossary_has_zqxj(client)
    import_draft(tmp_path, status="draft")
    assert not glossary_has_zqxj(client)


def test_a_scheduled_documents_term_waits_for_its_publication(client, db, tmp_path):
    import_draft(tmp_path, status="published")
    briefing = Briefing.objects.get(slug="a-draft")
    briefing.publish_from = timezone.now() + datetime.timedelta(days=1)
    briefing.save()
    assert not glossary_has_zqxj(client)
    assert not GlossaryTerm.objects.public().filter(term="ZQXJ").exists()
    assert GlossaryTerm.objects.public(now=briefing.publish_from).filter(term="ZQXJ").exists()


def test_a_term_a_published_document_also_defines_stays_public(client, db, tmp_path):
    import_draft(tmp_path)
    page = client.get("/glossary/").content.decode()
    assert "<dt>CSE</dt><dd>child sexual exploitation" in page


def test_a_term_no_document_defines_any_more_is_deleted(client, db, tmp_path):
    import_draft(tmp_path, status="published")
    assert GlossaryTerm.objects.filter(term="ZQXJ").exists()
    import_draft(tmp_path, status="published", without_term=True)
    assert not GlossaryTerm.objects.filter(term="ZQXJ").exists()
    assert not glossary_has_zqxj(client)
    import_draft(tmp_path, status="draft")
    Briefing.objects.get(slug="a-draft").delete()
    assert not GlossaryTerm.objects.filter(term="ZQXJ").exists()
