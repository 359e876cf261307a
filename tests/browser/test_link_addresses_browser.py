"""Link addresses in content, judged by the browser itself: Chromium's URL parser reads every
address the renderer lets through, and none leaves the portal unless it says so with http or
https, or runs (issue 14: ``//host`` and ``/\\host`` links)."""

import itertools
from html.parser import HTMLParser

import pytest

from briefings.markdown import render_markdown
from tests.content.test_markdown_sanitising import SCHEMES, SEPARATORS, SPLITTERS, _link_forms

pytestmark = pytest.mark.browser

BASE = "https://portal.example/documents/police/"
READ = """(pairs) => pairs.map(([address, base]) => {
    try { const url = new URL(address, base); return [url.protocol, url.host]; }
    catch (error) { return ["invalid:", ""]; }
})"""


class _Hrefs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        self.hrefs += [value for name, value in attrs if name in ("href", "src") and value]


def _hrefs(html):
    parser = _Hrefs()
    parser.feed(html)
    return parser.hrefs


def _addresses():
    off_site = [
        lead + first + middle + second + "evil.example/x"
        for lead, first, middle, second in itertools.product(
            SPLITTERS[:3], SEPARATORS, SPLITTERS[:5], SEPARATORS
        )
    ]
    scripts = [
        lead + scheme[:cut] + split + scheme[cut:] + ":alert(1)"
        for lead, scheme, split in itertools.product(SPLITTERS[:2], SCHEMES, SPLITTERS)
        for cut in (0, 2, 4)
    ]
    kept = ["/documents/police/", "#ref-coy-2009", "https://www.gov.uk/x", "mailto:a@example.org"]
    return off_site + scripts + kept


def _read(page, addresses):
    return page.evaluate(READ, [[address, BASE] for address in addresses])


def test_chromium_reads_every_address_left_in_content_as_this_site_or_an_explicit_web_link(page):
    addresses = _addresses()
    # Guard the guard: the generated addresses include hundreds that really are another site or
    # a script to Chromium when written into a page as they are (the percent-encoded ones are
    # not, but the renderer refuses them too, to be safe).
    dangerous = [
        address
        for address, (protocol, host) in zip(addresses, _read(page, addresses), strict=True)
        if protocol not in ("http:", "https:", "mailto:") or host not in ("portal.example", "")
    ]
    assert len(dangerous) > 200
    assert {"//evil.example/x", "/\\evil.example/x", "/\t/evil.example/x"} <= set(dangerous)
    scripts = {"javascript:alert(1)", "jav\tascript:alert(1)", "\tjavascript:alert(1)"}
    assert scripts <= set(dangerous)

    kept = {
        href
        for address in addresses
        for form in _link_forms(address)
        for href in _hrefs(render_markdown(f"Text {form} text").html)
    }
    assert {"/documents/police/", "https://www.gov.uk/x", "mailto:a@example.org"} <= kept
    for href, (protocol, host) in zip(sorted(kept), _read(page, sorted(kept)), strict=True):
        assert protocol in ("http:", "https:", "mailto:"), href
        explicit = href.lower().startswith(("http:", "https:", "mailto:"))
        assert host in ("portal.example", "") or explicit, (href, host)
