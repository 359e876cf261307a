from tests.support.queries import queries_for


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
    from briefings.models import GlossaryTerm

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
