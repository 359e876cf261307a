"""Finding packs: listed packs are on the public index; unlisted packs appear nowhere, so without
the link nobody can find them. Crawlers are kept away from packs altogether (sitemap, robots)."""

import pytest

from briefings.packs.models import Pack
from tests.support.packs import first_sections, make_pack


@pytest.fixture
def packs(trainer):
    listed = make_pack(trainer, first_sections("police", 1), title="Listed session")
    listed.visibility = Pack.Visibility.LISTED
    listed.save()
    unlisted = make_pack(trainer, first_sections("police", 2), title="Unlisted session")
    return listed, unlisted


def test_the_index_lists_listed_packs_only(client, packs):
    listed, unlisted = packs
    response = client.get("/packs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{listed.get_absolute_url()}"' in html
    assert "1 item ·" in html
    assert unlisted.title not in html
    assert unlisted.token not in html
    assert "private" in response["Cache-Control"]
    assert response.cookies == {}


def test_an_unlisted_pack_cannot_be_found_without_its_link(client, packs):
    _, unlisted = packs
    for url in ("/packs/", "/packs/?page=2", "/packs/mine/", "/"):
        response = client.get(url)
        assert unlisted.token not in response.content.decode(), url
    # Guessing: a wrong token of the right shape, the id, a prefix of the token.
    for guess in ("A" * 16, str(unlisted.pk), unlisted.token[:8]):
        assert client.get(f"/packs/{guess}/").status_code == 404


def test_the_sitemap_and_robots_keep_crawlers_away_from_packs(client, packs):
    listed, unlisted = packs
    assert listed.token not in client.get("/sitemap.xml").content.decode()
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    assert "/documents/police/" in sitemap.content.decode()
    assert unlisted.token not in sitemap.content.decode()
    assert "/packs/" not in sitemap.content.decode()
    assert "Disallow: /packs/" in client.get("/robots.txt").content.decode()
