"""Start a briefing from a Word document: a .docx converted (by mammoth, to HTML) into the content
format (docs/content-format.md) for an editor to curate before it is imported.

What it carries: headings (the first becomes the title unless one is given; ``Heading 1`` and
``Heading 2`` become sections, deeper ones sub-sections), paragraphs, bulleted and numbered lists
(nested too), quotes (the ``Quote`` and ``Intense Quote`` styles), italics and bold, web links; a
``Key messages`` heading's list becomes the key messages, and a ``References`` heading's lines
are read as a reference list. What it cannot carry is listed in docs/editing.md: images, tables'
layout, footnotes' places, colours, fonts, underlining, comments and tracked changes.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

import mammoth
import yaml

from .keys import message_key, short_slug, unique_key
from .reference_lines import parse_reference_lines

MAX_DOCX_BYTES = 10_000_000
# A .docx is a zip: its parts, unpacked, may be at most this large (a "zip bomb" is refused).
MAX_UNPACKED_BYTES = 50_000_000

STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => h2:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
"""
KEY_MESSAGES = "key messages"
REFERENCES = {"references", "reference list", "bibliography"}
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li"}
_MARKS = {"em": "*", "i": "*", "strong": "**", "b": "**"}
_LINE_START_RE = re.compile(r"^(\s*)([#>+=-]|\d+[.)])(\s)")


class WordConversionError(Exception):
    """The file is not a Word document this can read; the message says so for the editor."""


def _escape(text: str) -> str:
    """Text as Markdown that shows exactly these characters."""
    return re.sub(r"([\\`*_\[\]<{}])", r"\\\1", text)


def _unmarked(text: str) -> str:
    """A heading's words as typed: no Markdown (headings are stored as plain text)."""
    text = re.sub(r"(?<!\\)\*+|\[(?=.*\]\()|\]\([^)]*\)", "", text.replace("\\\n", " "))
    return re.sub(r"\\(.)", r"\1", text).strip()


def _not_a_marker(text: str) -> str:
    """A paragraph that starts like a list item, quote or heading ("1. ", "- ", "# ") stays a
    paragraph."""
    match = _LINE_START_RE.match(text)
    if match is None:
        return text
    marker = match.group(2)
    escaped = f"{marker[:-1]}\\{marker[-1]}" if marker[0].isdigit() else f"\\{marker}"
    return text[: match.start(2)] + escaped + text[match.end(2) :]


@dataclass
class _Block:
    kind: str  # heading, p, li, quote, row
    text: str = ""
    level: int = 0  # heading level, or list depth from 1
    ordered: bool = False


@dataclass
class _Walker(HTMLParser):
    """mammoth's HTML as a flat list of blocks with Markdown inline text."""

    blocks: list[_Block] = field(default_factory=list)
    dropped: set[str] = field(default_factory=set)

    def __post_init__(self):
        super().__init__(convert_charrefs=True)
        self.lists: list[bool] = []  # ordered?, per open list
        self.quote = 0
        self.text: list[str] = []
        self.block: str | None = None
        self.links: list[str | None] = []
        self.cells: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("ul", "ol"):
            self._flush()
            self.lists.append(tag == "ol")
        elif tag == "blockquote":
            self.quote += 1
        elif tag in _BLOCKS:
            self._flush()
            self.block = tag
        elif tag in ("em", "i", "strong", "b"):
            self.text.append(_MARKS[tag])
        elif tag == "a":
            href = attrs.get("href") or ""
            link = href if href.startswith(("http://", "https://", "mailto:")) else None
            self.links.append(link)
            if link:
                self.text.append("[")
        elif tag == "br":
            self.text.append("\\\n")
        elif tag == "img":
            self.dropped.add("images")
        elif tag == "table":
            self.dropped.add("table layout (each row became a paragraph)")
        elif tag == "tr":
            self.cells = []
        elif tag in ("td", "th"):
            self.text = []

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            self._flush()
            self.lists.pop()
        elif tag == "blockquote":
            self._flush()
            self.quote -= 1
        elif tag in _BLOCKS:
            self._flush()
        elif tag in ("em", "i", "strong", "b"):
            self._close(_MARKS[tag])
        elif tag == "a" and self.links:
            link = self.links.pop()
            if link:
                self.text.append(f"]({link})")
        elif tag in ("td", "th") and self.cells is not None:
            self._flush()
        elif tag == "tr" and self.cells is not None:
            cells, self.cells = self.cells, None
            if any(cells):
                self.blocks.append(_Block("p", " | ".join(c for c in cells if c)))

    def handle_data(self, data):
        if self.text and self.text[-1] in _MARKS.values() and data[:1].isspace():
            # Emphasis may not start with a space in Markdown: " *word*", not "* word*".
            mark = self.text.pop()
            self.text += [" ", mark]
            data = data.lstrip()
        self.text.append(_escape(data))

    def _close(self, mark):
        if self.text and self.text[-1] == mark:
            self.text.pop()  # emphasis around nothing
            return
        text = "".join(self.text)
        stripped = text.rstrip()
        self.text = [stripped, mark, text[len(stripped) :]]

    def _flush(self):
        text = re.sub(r"[ \t]+", " ", "".join(self.text)).strip()
        self.text = []
        block, self.block = self.block, None
        if not text:
            return
        if self.cells is not None:
            self.cells.append(text)
            return
        if block and block[0] == "h" and block[1:].isdigit():
            self.blocks.append(_Block("heading", _unmarked(text), int(block[1:])))
        elif block == "li" or (self.lists and block is None):
            self.blocks.append(_Block("li", text, len(self.lists), self.lists[-1]))
        elif self.quote:
            self.blocks.append(_Block("quote", text))
        else:
            self.blocks.append(_Block("p", _not_a_marker(text)))


def _html(data: bytes) -> tuple[str, list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise WordConversionError("The document is too large to convert.")
            if "word/document.xml" not in archive.namelist():
                raise WordConversionError("This is not a Word (.docx) document.")
    except zipfile.BadZipFile:
        raise WordConversionError("This is not a Word (.docx) document.") from None
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            convert_image=mammoth.images.img_element(lambda image: {"src": ""}),
        )
    except Exception as exc:  # noqa: BLE001 - mammoth raises many kinds on a damaged file
        raise WordConversionError(f"The document could not be read ({exc}).") from None
    return result.value, [message.message for message in result.messages]


@dataclass
class _Part:
    heading: str
    level: int
    blocks: list[_Block] = field(default_factory=list)


def _body_lines(blocks: list[_Block]) -> list[str]:
    out: list[str] = []
    previous = None
    for block in blocks:
        if block.kind == "li":
            if previous != "li":
                out.append("")
            indent = "   " * (block.level - 1)
            out.append(f"{indent}{'1.' if block.ordered else '-'} {block.text}")
        elif block.kind == "quote":
            out += ["", f"> {block.text}"] if previous != "quote" else [">", f"> {block.text}"]
        else:
            out += ["", block.text]
        previous = block.kind
    return out


def docx_to_content(data: bytes, *, title, kind, audiences, theme, source, taken_slugs=()):
    """The content-format text of a Word document, as a draft with ``theme`` on every section
    and key message. Raises WordConversionError when the file cannot be read."""
    html, warnings = _html(data)
    walker = _Walker()
    walker.feed(html)
    walker.close()
    blocks = walker.blocks
    if not title:
        first = next((b for b in blocks if b.kind == "heading"), None)
        if first is None:
            raise WordConversionError("The document has no heading: give the briefing a title.")
        title = first.text
        blocks = blocks[blocks.index(first) + 1 :]
    intro: list[_Block] = []
    parts: list[_Part] = []
    for block in blocks:
        if block.kind == "heading":
            parts.append(_Part(block.text, 2 if block.level <= 2 else 3))
        else:
            (parts[-1].blocks if parts else intro).append(block)
    if parts and parts[0].level == 3:
        parts[0].level = 2  # a sub-section needs a section above it
    messages = next((p for p in parts if p.heading.lower() == KEY_MESSAGES), None)
    references = next((p for p in parts if p.heading.lower() in REFERENCES), None)
    refs = parse_reference_lines(
        "\n".join(re.sub(r"\\(.)", r"\1", b.text) for b in references.blocks) if references else ""
    )
    meta = {
        "title": title,
        "slug": unique_key(short_slug(title), set(taken_slugs)),
        "kind": kind,
        "publisher": "",
        "authors": "",
        "published": "",
        "audiences": list(audiences),
        "status": "draft",
        "source": source[:200],
        "reference_list": bool(references),
        "references": [_reference(ref) for ref in refs if ref.ok],
    }
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100).rstrip()
    unread = [f"# Not read as a reference (line {r.line}): {r.text}" for r in refs if not r.ok]
    notes = [f"# Not converted: {what}." for what in sorted(walker.dropped)]
    notes += [f"# Word: {w}" for w in warnings[:20]]
    out = ["---", *notes, front, *unread, "---", *_body_lines(intro), ""]
    if messages is not None:
        out += ["## Key messages", ""]
        keys: set[str] = set()
        for block in messages.blocks:
            key = unique_key(message_key(block.text.replace("\\", "")), keys)
            keys.add(key)
            out.append(f"- {block.text} {{key={key} themes={theme}}}")
        out.append("")
    keys = set()
    for part in parts:
        if part is messages or part is references:
            continue
        key = unique_key(short_slug(part.heading) or "section", keys)
        keys.add(key)
        out += [f"{'#' * part.level} {part.heading} {{key={key} themes={theme}}}"]
        out += [*_body_lines(part.blocks), ""]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def _reference(ref) -> dict:
    entry = {"key": ref.key, "authors": ref.authors, "year": ref.year, "title": ref.title}
    for name in ("publisher", "journal", "url"):
        if getattr(ref, name):
            entry[name] = getattr(ref, name)
    entry["text"] = ref.text
    return entry
