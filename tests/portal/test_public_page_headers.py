"""Every public page: a strict CSP that its HTML obeys, no cookies, sensible caching headers."""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from briefings.models import Briefing, Role, Section, Theme

pytestmark = pytest.mark.django_db

ALLOWED_SOURCES = {"'self'", "'none'"}
NOT_FOUND = "/no-such-page/"


class InlineCodeFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, styles and event handlers."""

    def __init__(self):
        super().__init__()
        self.problems = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self._in_script = True
            if not attributes.get("src"):
                self.problems.append("<script> without src")
            elif not attributes["src"].startswith("/") or attributes["src"].startswith("//"):
                self.problems.append(f"script from elsewhere: {attributes['src']}")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "link" and "stylesheet" in (attributes.get("rel") or ""):
            href = attributes.get("href") or ""
            if not href.startswith("/") or href.startswith("//"):
                self.problems.append(f"stylesheet from elsewhere: {href}")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f'style="" on <{tag}>')
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"javascript: URL on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append("inline script code")


def public_pages():
    """Every kind of public page, for every document, section, role and theme."""
    pages = ["/", "/documents/", "/themes/", "/references/", "/references/?sort=cited"]
    pages += ["/glossary/", "/robots.txt"]
    # By name, so that a renamed page fails here (NoReverseMatch) instead of dropping out.
    pages += [reverse("briefings:search") + "?q=grooming", reverse("briefings:search")]
    pages += [reverse("briefings:feed"), reverse("packs:index")]
    for briefing in Briefing.objects.published():
        pages += [briefing.get_absolute_url(), briefing.get_absolute_url() + "?role=police"]
    pages += [s.get_absolute_url() for s in Section.objects.published().select_related("briefing")]
    pages += [role.get_absolute_url() for role in Role.objects.all()]
    for theme in Theme.objects.all():
        pages += [theme.get_absolute_url(), reverse("briefings:theme_compare", args=[theme.slug])]
    return pages


def test_the_policy_allows_only_the_portals_own_files_and_no_framing():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    for name, sources in directives.items():
        extra = set(sources) - ALLOWED_SOURCES - ({"data:"} if name == "img-src" else set())
        assert not extra, f"{name} allows {extra}"
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]


def test_every_public_page_sends_the_policy_obeys_it_and_sets_no_cookie(client):
    pages = public_pages()
    assert len(pages) > 90
    # Every listed page exists; the not-found page is the one page expected to be a 404.
    for url in [*pages, NOT_FOUND]:
        response = client.get(url)
        assert response.status_code == (404 if url == NOT_FOUND else 200), url
        policy = response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy, url
        assert "script-src 'self'" in policy, url
        assert "unsafe-" not in policy, url
        assert response["X-Frame-Options"] == "DENY", url
        assert not response.cookies, url
        if response.status_code == 200 and not url.startswith("/packs/"):
            assert response["Vary"] == "Cookie, Accept-Encoding", url
            assert "public" in response["Cache-Control"], url
        if response["Content-Type"].startswith("text/html"):
            finder = InlineCodeFinder()
            finder.feed(response.content.decode())
            assert finder.problems == [], (url, finder.problems)
