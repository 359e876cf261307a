"""A public page never fails because one row in the database is malformed (issue 14, item 8).

The importer refuses bad slugs, keys and values, but a database can hold rows it never checked
(an older import, a script, a restored backup). Here such rows are written directly with
``QuerySet.update()``, which no validation sees, and every public page, the sitemap and the feed
are fetched: each answers, with the malformed row left out or shown as it is, and none fails.
"""

import pytest

from briefings.models import (
    Briefing,
    GlossaryTerm,
    KeyMessage,
    Reference,
    Role,
    Section,
    Theme,
)
from portal.caching import bump_content_version


def public_urls():
    """Every public page of the content as it is now."""
    urls = [
        "/",
        "/documents/",
        "/themes/",
        "/references/",
        "/references/?sort=cited",
        "/glossary/",
        "/search/?q=police",
        "/search/?q=exploitation&group=document",
        "/feed/",
        "/sitemap.xml",
        "/robots.txt",
    ]
    urls += [f"/roles/{slug}/" for slug in Role.objects.values_list("slug", flat=True)]
    for slug in Theme.objects.values_list("slug", flat=True):
        urls += [f"/themes/{slug}/", f"/themes/{slug}/compare/"]
    for briefing, section in Section.objects.values_list("briefing__slug", "slug"):
        urls.append(f"/documents/{briefing}/{section}/")
    urls += [f"/documents/{slug}/" for slug in Briefing.objects.values_list("slug", flat=True)]
    urls += [f"/s/{pk}/" for pk in Section.objects.values_list("pk", flat=True)]
    urls += [f"/k/{pk}/" for pk in KeyMessage.objects.values_list("pk", flat=True)]
    return urls


def first(model, **filters):
    return model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True)[0]


def corrupt(rows):
    for model, pk, values in rows:
        model.objects.filter(pk=pk).update(**values)
    bump_content_version()


BAD_ADDRESSES = [
    # One of each kind of row whose slug makes an address, each made unusable.
    lambda: (Section, first(Section, briefing__slug="police"), {"slug": "../../../etc/passwd"}),
    lambda: (Section, first(Section, briefing__slug="social-workers"), {"slug": ""}),
    lambda: (Section, first(Section, briefing__slug="multi-agency-working"), {"slug": "é ü"}),
    lambda: (Briefing, first(Briefing, slug="cse-factsheet"), {"slug": "../cse"}),
    lambda: (Theme, first(Theme, slug="trafficking"), {"slug": "traffick ing/.."}),
    lambda: (Theme, first(Theme, slug="going-missing"), {"slug": ""}),
    lambda: (Role, first(Role, slug="police"), {"slug": "po/lice"}),
    lambda: (KeyMessage, first(KeyMessage, briefing__slug="police"), {"key": '"><b>x'}),
    lambda: (Reference, first(Reference), {"key": "a b/../c"}),
]
BAD_VALUES = [
    # Values no import would store: out-of-range dates, text XML cannot carry, JSON of the
    # wrong shape, a section that is its own parent.
    lambda: (Briefing, first(Briefing, slug="police"), {"published_month": 13}),
    lambda: (
        Briefing,
        first(Briefing, slug="social-workers"),
        {"title": "Bell \x07 title", "also_available": {"not": "a list"}},
    ),
    lambda: (Briefing, first(Briefing, slug="multi-agency-working"), {"also_available": 7}),
    lambda: (Section, first(Section, briefing__slug="police"), {"heading": "Form\x0cfeed"}),
    lambda: (Theme, first(Theme, slug="health-needs"), {"name": "Health \x1b needs"}),
    lambda: (GlossaryTerm, first(GlossaryTerm, term="CSE"), {"expansion": "child \x02"}),
    lambda: (
        Section,
        first(Section, briefing__slug="commissioning-health-care-services"),
        {"parent_id": first(Section, briefing__slug="commissioning-health-care-services")},
    ),
]


@pytest.mark.parametrize("bad_rows", [BAD_ADDRESSES, BAD_VALUES], ids=["addresses", "values"])
def test_every_public_page_answers_whatever_one_row_holds(client, db, bad_rows):
    urls = public_urls()
    corrupt([make() for make in bad_rows])
    failed = []
    for url in urls:
        response = client.get(url)
        if response.status_code not in (200, 301, 302, 404):
            failed.append((url, response.status_code))
    assert failed == []


def test_a_section_whose_address_cannot_be_made_is_left_out_of_the_sitemap(client, db):
    pk = first(Section, briefing__slug="police")
    corrupt([(Section, pk, {"slug": "../../../etc/passwd"})])
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "etc/passwd" not in sitemap
    assert "/documents/police/" in sitemap
    # Its permanent link does not fail: the section cannot be reached, so it is not found.
    assert client.get(f"/s/{pk}/").status_code == 404
