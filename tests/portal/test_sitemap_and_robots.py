"""sitemap.xml lists the published documents and sections; robots.txt points crawlers to it."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from briefings.models import Briefing, Section, Status

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_urls(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    return {loc.text for loc in root.findall("sm:url/sm:loc", NS)}


def test_every_published_document_and_section_is_listed_with_its_full_url(client):
    urls = sitemap_urls(client)
    for briefing in Briefing.objects.published():
        assert f"http://testserver{briefing.get_absolute_url()}" in urls
    for section in Section.objects.published().select_related("briefing"):
        assert f"http://testserver{section.get_absolute_url()}" in urls


def test_drafts_and_scheduled_documents_are_not_listed(client):
    draft = Briefing.objects.get(slug="police")
    draft.status = Status.DRAFT
    draft.save()
    scheduled = Briefing.objects.get(slug="social-workers")
    scheduled.publish_from = timezone.now() + timedelta(days=1)
    scheduled.save()
    hidden = Section.objects.get(briefing__slug="multi-agency-working", order=0)
    hidden.status = Status.DRAFT
    hidden.save()
    urls = sitemap_urls(client)
    assert not any("/documents/police/" in url for url in urls)
    assert not any("/documents/social-workers/" in url for url in urls)
    assert f"http://testserver{hidden.get_absolute_url()}" not in urls
    assert "http://testserver/documents/multi-agency-working/" in urls


def test_the_sitemap_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    # The published documents, then their published sections: two, however many there are.
    with django_assert_num_queries(2):
        client.get("/sitemap.xml")


def test_the_sitemap_follows_the_scheme_the_proxy_reports(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["cse.example.org"]
    response = client.get(
        "/sitemap.xml", HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="cse.example.org"
    )
    assert b"<loc>https://cse.example.org/documents/police/</loc>" in response.content


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_search_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /search/" in lines
    assert "Disallow: /preview/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
