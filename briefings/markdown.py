"""The one place where Markdown becomes HTML.

Content is rendered once, when it is saved, and the sanitised HTML is stored. Two small extensions
understand the content format (docs/content-format.md):

- ``[label](cite:KEY)`` links become citation links to the reference list;
- a block quote whose last paragraph starts with an em dash becomes a young person's quote, with
  the attribution set beside it.

Whatever the extensions produce, the final HTML passes through an allow-list sanitiser, so an
editor (or an attacker with an editor's password) cannot inject script, event handlers, frames,
forms, images or dangerous URLs.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field

import markdown
import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ATTRIBUTION_DASH = "— "

ALLOWED_TAGS = {
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
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"scope"},
}
ALLOWED_CLASSES = {
    "a": {"citation"},
    "span": {"citation-unresolved"},
    "figure": {"quote"},
    "figcaption": {"quote-attribution"},
}
# Relative URLs (internal links, citations) are allowed; of absolute ones, only these schemes.
ALLOWED_SCHEMES = {"http", "https", "mailto"}

CITE_SCHEME = "cite:"


@dataclass(frozen=True)
class ResolvedCitation:
    href: str
    reference_id: int


@dataclass
class RenderedQuote:
    text: str
    attribution: str


@dataclass
class Rendered:
    html: str
    quotes: list[RenderedQuote] = field(default_factory=list)
    cited_reference_ids: list[int] = field(default_factory=list)
    unresolved_citations: list[str] = field(default_factory=list)


CitationResolver = Callable[[str], ResolvedCitation | None]


def _text_of(element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


class _ContentTreeprocessor(Treeprocessor):
    def __init__(self, md, resolver: CitationResolver | None, result: Rendered):
        super().__init__(md)
        self.resolver = resolver
        self.result = result

    def run(self, root):
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "blockquote":
                    self._quote(parent, index, child)
        for link in root.iter("a"):
            href = link.get("href", "")
            if href.startswith(CITE_SCHEME):
                self._citation(link, href[len(CITE_SCHEME) :])
        return root

    def _quote(self, parent, index, blockquote):
        paragraphs = [child for child in blockquote if child.tag == "p"]
        if not paragraphs:
            return
        last = paragraphs[-1]
        if not (last.text or "").startswith(ATTRIBUTION_DASH):
            return
        blockquote.remove(last)
        last.text = last.text[len(ATTRIBUTION_DASH) :]
        last.tag = "figcaption"
        last.set("class", "quote-attribution")
        figure = etree.Element("figure", {"class": "quote"})
        figure.append(blockquote)
        figure.append(last)
        parent.remove(blockquote)
        parent.insert(index, figure)
        self.result.quotes.append(
            RenderedQuote(text=_text_of(blockquote), attribution=_text_of(last))
        )

    def _citation(self, link, key):
        resolved = self.resolver(key) if self.resolver else None
        if resolved is None:
            # Never a dead link: an unknown citation is shown as the plain words.
            self.result.unresolved_citations.append(key)
            link.attrib.pop("href")
            link.tag = "span"
            link.set("class", "citation-unresolved")
            return
        link.set("href", resolved.href)
        link.set("class", "citation")
        if resolved.reference_id not in self.result.cited_reference_ids:
            self.result.cited_reference_ids.append(resolved.reference_id)


class _ContentExtension(Extension):
    def __init__(self, resolver, result):
        super().__init__()
        self.resolver = resolver
        self.result = result

    def extendMarkdown(self, md):
        md.treeprocessors.register(
            _ContentTreeprocessor(md, self.resolver, self.result), "briefing_content", 5
        )


def check_length(text: str) -> None:
    limit = settings.BRIEFINGS_MARKDOWN_MAX_CHARS
    if len(text) > limit:
        raise ValidationError(
            f"This text is {len(text):,} characters long; the limit is {limit:,}. "
            "Split it into sub-sections.",
            code="too_long",
        )


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(
    text: str, *, resolver: CitationResolver | None = None, inline: bool = False
) -> Rendered:
    """Render content Markdown to sanitised HTML, collecting quotes and citations on the way."""
    check_length(text)
    result = Rendered(html="")
    md = markdown.Markdown(
        extensions=["markdown.extensions.sane_lists", _ContentExtension(resolver, result)],
        output_format="html",
    )
    html = md.convert(text)
    if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    result.html = sanitise(html)
    return result
