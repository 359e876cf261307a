"""The one place where Markdown becomes HTML.

Content is rendered once, when it is saved, and the sanitised HTML is stored. Two small rules
understand the content format (docs/content-format.md):

- ``[label](cite:KEY)`` links become citation links to the reference list;
- a block quote whose last paragraph starts with an em dash becomes a young person's quote, with
  the attribution set beside it.

Whatever the rules produce, the final HTML passes through an allow-list sanitiser, so an editor
(or an attacker with an editor's password) cannot inject script, event handlers, frames, forms,
images or dangerous URLs; every link address is judged as a browser would read it
(``safe_url``).

The parser is markdown-it-py (CommonMark), chosen because its work grows linearly with the text:
Python-Markdown's inline patterns rescan the rest of the text from every ``[``, ``![`` and ``<``,
so 50,000 characters of ``[`` took minutes (issue 14, docs/benchmarks.md). Its nesting is bounded
(``BLOCK_NESTING``, ``INLINE_NESTING``), and so is the nesting of raw HTML tags
(``HTML_NESTING``), because the sanitiser's HTML parser slows down with the square of the depth.
Text beyond those bounds is refused with a message rather than silently cut (``check_length``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from markdown_it import MarkdownIt
from markdown_it.token import Token

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
URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "poster", "data", "background"}

CITE_SCHEME = "cite:"

# Quotes and lists inside each other, as the block parser counts them (a list and its item are two
# levels); the curated content needs at most six. markdown-it drops what lies deeper, so deeper
# text is refused before it gets there.
BLOCK_NESTING = 20
# Links and images inside link text. The parser looks ahead this deep for the end of every link
# label, so the bound sets its cost per character; real text needs two.
INLINE_NESTING = 4
# Raw HTML tags open inside each other, counted generously (an unclosed tag stays open).
HTML_NESTING = 100


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
    html: str = ""
    quotes: list[RenderedQuote] = field(default_factory=list)
    cited_reference_ids: list[int] = field(default_factory=list)
    unresolved_citations: list[str] = field(default_factory=list)


CitationResolver = Callable[[str], ResolvedCitation | None]


# ---- links -----------------------------------------------------------------------------------

_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_C0_OR_SPACE = "".join(chr(c) for c in range(0x21))


def _as_browsers_read(url: str) -> str:
    # The URL standard removes tabs and newlines anywhere and C0 controls and spaces at the ends,
    # and treats a backslash as a slash: "java\tscript:", " //host" and "/\host" are what they
    # look like once that is done.
    return _TAB_OR_NEWLINE.sub("", url).strip(_C0_OR_SPACE).replace("\\", "/")


def safe_url(url: str) -> str | None:
    """The address to keep for a link, or None to drop it.

    Kept: absolute http, https and mailto addresses, and addresses on this site (a path,
    query or fragment). Dropped: any other scheme, and anything a browser reads as another host
    without a scheme (``//host``, ``/\\host``, ``\\\\host``), also when the characters that make
    it so are percent-encoded (``/%5chost``) or split by tabs, newlines or control characters.
    """
    cleaned = _as_browsers_read(url)
    for form in (cleaned, _as_browsers_read(unquote(cleaned))):
        scheme = _SCHEME.match(form)
        if scheme:
            if scheme.group(1).lower() not in ALLOWED_SCHEMES:
                return None
        elif form.startswith("//"):
            return None
    return _TAB_OR_NEWLINE.sub("", url).strip(_C0_OR_SPACE)


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    if name in URL_ATTRIBUTES:
        return safe_url(value)
    return value


_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    allowed_classes=ALLOWED_CLASSES,
    url_schemes=ALLOWED_SCHEMES,
    attribute_filter=_filter_attribute,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitise(html: str) -> str:
    return _CLEANER.clean(html)


# ---- limits ----------------------------------------------------------------------------------

_VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])")


def _html_depth(text: str) -> int:
    """The deepest raw HTML tags in the text open inside each other, never underestimated: an
    end tag closes its last open namesake and everything opened after it; one that matches
    nothing is ignored, as browsers ignore it."""
    stack: list[str] = []
    open_names: Counter[str] = Counter()
    deepest = 0
    for match in _TAG.finditer(text):
        name = match.group(2).lower()
        if not match.group(1):
            if name not in _VOID_ELEMENTS:
                stack.append(name)
                open_names[name] += 1
                deepest = max(deepest, len(stack))
        elif open_names[name]:
            while True:
                closed = stack.pop()
                open_names[closed] -= 1
                if closed == name:
                    break
    return deepest


def _holds_blocks_too_deep(token: Token) -> bool:
    # A quote or list opened at the last level has its contents dropped by the parser.
    return (
        token.nesting == 1
        and token.level >= BLOCK_NESTING - 1
        and token.type not in ("paragraph_open", "heading_open")
    )


def _check_size(text: str) -> None:
    limit = settings.BRIEFINGS_MARKDOWN_MAX_CHARS
    if len(text) > limit:
        raise ValidationError(
            f"This text is {len(text):,} characters long; the limit is {limit:,}. "
            "Split it into sub-sections.",
            code="too_long",
        )
    if _html_depth(text) > HTML_NESTING:
        raise ValidationError(
            f"This text has more than {HTML_NESTING} HTML tags open inside each other. "
            "Close them, or write the text in Markdown.",
            code="too_deep",
        )


def _check_blocks(tokens: list[Token]) -> None:
    if any(_holds_blocks_too_deep(token) for token in tokens):
        raise ValidationError(
            f"This text has quotes and lists nested more than {BLOCK_NESTING - 1} levels deep "
            "(a quote is one level, a list two). Flatten them.",
            code="too_deep",
        )


def check_length(text: str) -> None:
    """Refuse text the renderer is not built for: longer than the limit, or nested deeper.

    Cheaper than rendering (the blocks are parsed, not their text), so forms and the importer
    call it to report the problem; ``render_markdown`` refuses the same texts.
    """
    _check_size(text)
    _check_blocks(_BLOCKS.parse(text))


# ---- the content rules -----------------------------------------------------------------------


def _inline_text(token: Token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def _text_of(tokens: list[Token]) -> str:
    return re.sub(r"\s+", " ", " ".join(_inline_text(t) for t in tokens if t.type == "inline"))


# The renderer has no rule for these tokens' types: it writes each from its tag, nesting (only
# -1 closes) and attributes, and ends the line after it when ``block`` is true. An opening tag
# here never ends its line (a token's ``block`` is false unless set).


def _opening(tag: str, css_class: str) -> Token:
    return Token(f"{tag}_open", tag, 1, attrs={"class": css_class})


def _closing(tag: str, *, line_break: bool = True) -> Token:
    token = Token(f"{tag}_close", tag, -1)
    token.block = line_break
    return token


def _attribution(tokens: list[Token], open_index: int, close_index: int) -> int | None:
    """The index of the quote's attribution paragraph: its last paragraph, if it starts with the
    dash."""
    level = tokens[open_index].level + 1
    paragraphs = [
        i
        for i in range(open_index + 1, close_index)
        if tokens[i].type == "paragraph_open" and tokens[i].level == level
    ]
    if not paragraphs:
        return None
    first = (tokens[paragraphs[-1] + 1].children or [None])[0]
    if first is None or first.type != "text" or not first.content.startswith(ATTRIBUTION_DASH):
        return None
    return paragraphs[-1]


def _quotes(state) -> None:
    """A block quote whose last paragraph starts with an em dash becomes a figure: the quote,
    and that paragraph (without the dash) as its attribution."""
    tokens, result = state.tokens, state.env["result"]
    pairs, stack = {}, []
    for index, token in enumerate(tokens):
        if token.type == "blockquote_open":
            stack.append(index)
        elif token.type == "blockquote_close":
            pairs[stack.pop()] = index
    moved, before, after = set(), {}, {}
    for open_index, close_index in sorted(pairs.items()):
        start = _attribution(tokens, open_index, close_index)
        if start is None:
            continue
        caption = tokens[start + 1]
        caption.children[0].content = caption.children[0].content[len(ATTRIBUTION_DASH) :]
        moved.update(range(start, start + 3))
        quote = [tokens[i] for i in range(open_index, close_index) if i not in moved]
        result.quotes.append(RenderedQuote(text=_text_of(quote), attribution=_text_of([caption])))
        # The figure's own tags are not followed by a line break, as before the change of
        # parser: the stored HTML of the curated content stays byte for byte the same.
        before[open_index] = _opening("figure", "quote")
        after[close_index] = [
            _opening("figcaption", "quote-attribution"),
            caption,
            _closing("figcaption"),
            _closing("figure", line_break=False),
        ]
    if not before:
        return
    rebuilt = []
    for index, token in enumerate(tokens):
        if index in before:
            rebuilt.append(before[index])
        if index not in moved:
            rebuilt.append(token)
        rebuilt.extend(after.get(index, ()))
    state.tokens[:] = rebuilt


def _citations(state) -> None:
    """``cite:KEY`` links point at the reference they cite; an unknown key stays plain words."""
    resolver, result = state.env["resolver"], state.env["result"]
    for token in state.tokens:
        if token.type != "inline":
            continue
        children = token.children or []
        for index, link in enumerate(children):
            href = link.attrGet("href")  # only a link's opening has one
            if not isinstance(href, str) or not href.startswith(CITE_SCHEME):
                continue
            key = href[len(CITE_SCHEME) :]
            resolved = resolver(key) if resolver else None
            if resolved is None:
                # Never a dead link: an unknown citation is shown as the plain words.
                result.unresolved_citations.append(key)
                close = next(c for c in children[index:] if c.type == "link_close")
                link.tag = close.tag = "span"
                link.attrs = {"class": "citation-unresolved"}
                continue
            link.attrs = {"class": "citation", "href": resolved.href}
            if resolved.reference_id not in result.cited_reference_ids:
                result.cited_reference_ids.append(resolved.reference_id)


def _inline_parser() -> Callable:
    # A second parser with the tighter bound parses the text of each block.
    inline_md = MarkdownIt("commonmark", {"maxNesting": INLINE_NESTING})

    def parse_inline(state) -> None:
        for token in state.tokens:
            if token.type == "inline":
                token.children = []
                inline_md.inline.parse(token.content, inline_md, state.env, token.children)

    return parse_inline


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": BLOCK_NESTING})
    md.core.ruler.at("inline", _inline_parser())
    md.core.ruler.push("briefing_quotes", _quotes)
    md.core.ruler.push("briefing_citations", _citations)
    return md


_MARKDOWN = _parser()
_BLOCKS = MarkdownIt("commonmark", {"maxNesting": BLOCK_NESTING}).disable("inline")


def render_markdown(
    text: str, *, resolver: CitationResolver | None = None, inline: bool = False
) -> Rendered:
    """Render content Markdown to sanitised HTML, collecting quotes and citations on the way."""
    _check_size(text)
    # Lone surrogates cannot be encoded for the sanitiser; no real text has them.
    text = text.encode(errors="surrogatepass").decode(errors="replace")
    result = Rendered()
    tokens = _MARKDOWN.parse(text, {"resolver": resolver, "result": result})
    _check_blocks(tokens)
    if inline and [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]:
        html = _MARKDOWN.renderer.renderInline(tokens[1].children, _MARKDOWN.options, {})
    else:
        html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})
    result.html = sanitise(html.rstrip("\n"))
    return result
