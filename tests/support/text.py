"""Text helpers for the content tests: what a reader sees, and a source text made comparable."""

import re
from html.parser import HTMLParser

BLOCK_TAGS = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "figure",
    "figcaption",
    "section",
    "article",
    "nav",
    "header",
    "footer",
    "main",
    "dt",
    "dd",
    "dl",
    "table",
    "tr",
    "td",
    "th",
    "br",
    "title",
}
# OCR damage that is not one of the general classes; each repair was checked against the source.
KNOWN_REPAIRS = {
    "Coy, 20163;": "Coy, 2016a;",
    # The end of the logo ("Centre of expertise on / child sexual abuse") ran into the last
    # item of the social workers' "also available" list.
    "B Multi-agency working\n child sexual abuse": "B Multi-agency working\n\nchild sexual abuse",
}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.skip += 1
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self.skip -= 1
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(html):
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def normalise(text):
    """Make two renderings of the same words comparable: quotes, dashes, spacing, case."""
    text = re.sub(r"[‘’`´]", "'", text)
    text = re.sub(r"[“”™]", '"', text)
    text = text.replace("\u00a0", " ").replace("…", "...")
    # Doubled quote marks ("’”", "””") were extraction damage; keep the first of a run.
    text = re.sub(r"(['\"])['\"]+", r"\1", text)
    text = re.sub(r"\s*[-–—]\s*", " - ", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip().lower()


FOOTNOTE_MARK = re.compile(r"^(?:<sup>\d+</sup>|[¹²³⁴⁵]|\d)\s+(?=[A-Z])")
BULLET_LETTER = re.compile(r"^\s*(?:[BWM■]|-)\s+")
BARE_URL = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")


def source_blocks(raw):
    """The source as paragraphs of plain words, with the extraction damage repaired."""
    for damaged, repaired in KNOWN_REPAIRS.items():
        raw = raw.replace(damaged, repaired)
    raw = raw.replace("|", "I")
    lines = []
    for line in raw.splitlines():
        stripped = line.strip()
        if re.fullmatch(r"\d{1,3}", stripped) or BARE_URL.match(stripped) or stripped == "---":
            lines.append("")
            continue
        line = re.sub(r"^#+\s*", "", stripped)
        line = FOOTNOTE_MARK.sub("", line)
        if BULLET_LETTER.match(line):
            lines.append("")  # a list item is a paragraph of its own
            line = BULLET_LETTER.sub("", line)
        line = re.sub(r"</?sup>\d*(?:</sup>)?|[¹²³⁴⁵⁶⁷⁸⁹]", "", line)
        line = re.sub(r"\[((?:\\.|[^\[\]])*)\]\([^)]*\)", r"\1", line)  # [text](url) -> text
        line = line.replace("\\[", "[").replace("\\]", "]").replace("\\(", "(").replace("\\)", ")")
        line = line.replace("**", "").replace("*", "").replace("\\\\_", "_").replace("\\_", "_")
        lines.append(line)
    block = []
    for line in [*lines, ""]:
        if line.strip():
            block.append(line.strip())
        elif block:
            yield " ".join(block)
            block = []


SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+(?=[A-Z“\"‘'(])")


def source_sentences(raw):
    for block in source_blocks(raw):
        for sentence in SENTENCE_END.split(block):
            if sentence.strip():
                yield sentence.strip()
