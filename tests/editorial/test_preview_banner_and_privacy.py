"""The editors' preview says in its banner what readers see of the page now, and is kept out of
every cache and search engine: the exact Cache-Control directives and X-Robots-Tag."""

import datetime
import re

from django.utils import timezone

from briefings.models import Briefing, Section, Status

BANNER = re.compile(
    r'<strong class="preview-label">Preview</strong> (.*?) This is how the page will look', re.S
)


def _banner(response):
    assert response.status_code == 200
    return BANNER.search(response.content.decode()).group(1)


def _top_section():
    return Section.objects.filter(briefing__slug="police", parent=None).order_by("order").first()


def test_the_banner_of_a_draft_document_says_readers_cannot_see_it(editor_client):
    Briefing.objects.filter(slug="police").update(status=Status.DRAFT)
    section = _top_section()

    expected = "This document is a draft: readers cannot see it yet."
    assert _banner(editor_client.get("/preview/documents/police/")) == expected
    assert _banner(editor_client.get(f"/preview/documents/police/{section.slug}/")) == expected


def test_the_banner_of_a_scheduled_document_says_when_readers_will_see_it(editor_client):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    Briefing.objects.filter(slug="police").update(publish_from=tomorrow)

    assert _banner(editor_client.get("/preview/documents/police/")) == (
        "This document is scheduled: readers will see it from the publish date."
    )


def test_the_banner_of_a_draft_section_of_a_published_document_names_the_section(editor_client):
    section = _top_section()
    Section.objects.filter(pk=section.pk).update(status=Status.DRAFT)

    assert _banner(editor_client.get(f"/preview/documents/police/{section.slug}/")) == (
        "This section is a draft: readers cannot see it yet."
    )
    assert _banner(editor_client.get("/preview/documents/police/")) == (
        "This document is published. Sections marked “Draft” are hidden from readers."
    )


def _directives(header):
    return {directive.strip() for directive in header.split(",")}


def test_a_preview_may_be_stored_by_no_cache_at_all(editor_client):
    section = _top_section()
    # Private, never stored, revalidated every time, stale at once (RFC 9111, section 5.2.2).
    for url in ("/preview/documents/police/", f"/preview/documents/police/{section.slug}/"):
        response = editor_client.get(url)
        assert _directives(response["Cache-Control"]) == {
            "private",
            "no-store",
            "no-cache",
            "max-age=0",
        }
        assert response["X-Robots-Tag"] == "noindex, nofollow"
