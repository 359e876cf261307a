"""Read a pasted reference list, one reference per line, in the styles the sources print:

    Allnock, D. and Miller, P (2013) *No-one noticed, no-one heard* London. NSPCC
    Coy, M. (2009) Moved Around Like Bags of Rubbish *Child Abuse Review* 18(4): 254-266
    Barnardo's (2012) Cutting them free. Barking: Barnardo's

into the fields of a content-format reference (authors, year, title, publisher or journal, url,
the line itself as the printed entry) with a generated ``author-year`` key. Nothing here touches
the database. A line it cannot read is returned with the reason, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .data import ReferenceData
from .keys import letter_suffixes, short_slug
from .validate import default_label

# At most this many lines are read from one paste (a document holds at most 1,000 references).
MAX_LINES = 1_000
MAX_LINE_CHARS = 5_000

_MARKER_RE = re.compile(r"^\s*(?:[-*•]\s+|\d{1,3}[.)]\s+)")
_YEAR_RE = re.compile(r"\((\d{4}[a-z]?|n\.\s?d\.?|undated)\)\s*[,.]?\s*")
_URL_RE = re.compile(r"^(?:https?://|www\.)\S+$")
_ITALIC_RE = re.compile(r"\*([^*]+)\*")
# "18(4): 254-266", "23: 171–184", ", 18, 135-146", "53(8); 825-829", "Published online"
_VOLUME_RE = re.compile(r"\d+\s*(?:\(\d+\))?\s*[:;,]\s*\d+|\bpublished online\b", re.I)
# "Luton: University of Bedfordshire", "London. NSPCC" as the last sentence of a plain line.
_CHAPTER_RE = re.compile(r"\*?\s+\*?(?=in\s[^()]{1,300}\(eds?\.?\))")
_PLACE_RE = re.compile(r"^[A-Z][\w'’ .,&/-]{1,60}:\s*\S")


@dataclass
class ParsedReference:
    line: int  # in the paste, from 1
    text: str  # the entry as printed
    authors: str = ""
    year: str = ""
    title: str = ""
    publisher: str = ""
    journal: str = ""
    url: str = ""
    key: str = ""
    problem: str = ""  # why the line could not be read; empty when it was
    notes: list[str] = field(default_factory=list)  # what to check in a line that was read

    @property
    def ok(self) -> bool:
        return not self.problem

    @property
    def label(self) -> str:
        return default_label(self.as_data())

    def as_data(self) -> ReferenceData:
        return ReferenceData(
            key=self.key,
            authors=self.authors,
            year=self.year,
            title=self.title,
            text=self.text,
            line=self.line,
            publisher=self.publisher,
            journal=self.journal,
            url=self.url,
        )


def _surnames(authors: str) -> list[str]:
    if "," not in authors:
        return [authors]  # a corporate author: "Home Office", "Barnardo's"
    names = re.split(r"\.,|\.\s+and\b|,\s*and\b|\band\b|\bwith\b|,?\s*&", authors)
    return [n.split(",")[0].strip() for n in names if n.strip()]


def author_year_key(authors: str, year: str) -> str:
    """``coy-2009``, ``beckett-warrington-2015``, ``beckett-et-al-2013``, ``home-office-2014``."""
    surnames = _surnames(authors)
    if len(surnames) >= 3 or " with " in authors:
        who = f"{surnames[0]} et al"
    elif len(surnames) == 2:
        who = f"{surnames[0]} {surnames[1]}"
    else:
        who = surnames[0]
    return f"{short_slug(who, 50) or 'anon'}-{short_slug(year, 10) or 'nd'}"


def _plain(text: str) -> str:
    return " ".join(text.replace("*", "").split()).strip()


def _split_plain(rest: str) -> tuple[str, str, str]:
    """A line without italics: (title, publisher, journal), cut at the sentence before the
    place and publisher or the journal's volume."""
    for match in reversed(list(re.finditer(r"[.?!]\s+", rest))):
        head, tail = rest[: match.start() + 1], rest[match.end() :]
        if _PLACE_RE.match(tail):
            return head.rstrip(". "), tail, ""
        if _VOLUME_RE.search(tail) and not _VOLUME_RE.search(head):
            return head.rstrip(". "), "", tail
    return rest.rstrip(". "), "", ""


def _split_fields(ref: ParsedReference, rest: str) -> None:
    # The last " in Editor (eds.)": a title may say "in" too.
    chapter = next(reversed(list(_CHAPTER_RE.finditer(rest))), None)
    if chapter:
        # A chapter: "Title in Melrose, M. and Pearce, J. (eds.) Book pp.9-22 Place: Publisher".
        ref.title = _plain(rest[: chapter.start()]).rstrip(". ")
        ref.publisher = _plain(rest[chapter.start() :])
        return
    italics = list(_ITALIC_RE.finditer(rest))
    if not italics:
        ref.title, ref.publisher, ref.journal = _split_plain(rest)
        if not (ref.publisher or ref.journal):
            ref.notes.append("no publisher or journal found: check the title")
        return
    first = italics[0]
    before = rest[: first.start()].strip()
    if before:
        # Coy (2009) Title *Journal* 18(4): 254-266: the italics name the journal.
        ref.title = before.rstrip(". ")
        ref.journal = _plain(rest[first.start() :])
        return
    ref.title = first.group(1).strip()
    after = rest[first.end() :].strip().lstrip(".,").strip()
    is_journal = after.startswith("*") or (
        _VOLUME_RE.search(after) and not re.search(r"\w:\s", after)
    )
    if is_journal:
        ref.journal = _plain(after)
    else:
        ref.publisher = _plain(after)
        if not after:
            ref.notes.append("no publisher or journal found")


def _parse_line(number: int, text: str) -> ParsedReference:
    ref = ParsedReference(line=number, text=text)
    if len(text) > MAX_LINE_CHARS:
        ref.problem = f"longer than {MAX_LINE_CHARS:,} characters"
        return ref
    year = _YEAR_RE.search(text)
    if year is None:
        ref.problem = "no year in brackets, e.g. (2015), after the authors"
        return ref
    ref.authors = text[: year.start()].strip().rstrip(",").strip()
    ref.year = year.group(1) if year.group(1)[0].isdigit() else "n.d."
    if not ref.authors:
        ref.problem = "no authors before the year"
        return ref
    rest = text[year.end() :].strip()
    online = re.search(r"[.\s]*Available (?:online|from|at):?(.*)$", rest, re.I)
    if online:
        # A Markdown link's target, else the bare address (without Markdown's escapes).
        address = re.search(r"\]\((https?://[^\s)]+)\)", online.group(1)) or re.search(
            r"(https?://[^\s\])>]+)", online.group(1)
        )
        ref.url = address.group(1).replace("\\", "") if address else ""
        rest = rest[: online.start()]
    _split_fields(ref, rest)
    if not ref.title:
        ref.problem = "no title after the year"
    return ref


def _lines(pasted: str) -> list[tuple[int, str]]:
    """(line number, entry) with list markers removed; a bare address on its own line belongs
    to the entry above ("Available online:" then the address)."""
    entries: list[tuple[int, str]] = []
    for number, raw in enumerate(pasted.splitlines()[:MAX_LINES], start=1):
        line = _MARKER_RE.sub("", raw).strip()
        if not line:
            continue
        if _URL_RE.match(line) and entries:
            previous_number, previous = entries[-1]
            url = line if line.startswith("http") else f"https://{line}"
            entries[-1] = (previous_number, f"{previous} [{url}]({url})")
            continue
        entries.append((number, line))
    return entries


def parse_reference_lines(pasted: str, taken_keys=()) -> list[ParsedReference]:
    """Every non-empty line of ``pasted``, read; keys made distinct from each other and from
    ``taken_keys`` (the document's own) with a/b suffixes."""
    refs = [_parse_line(number, text) for number, text in _lines(pasted)]
    # A work printed twice (the sources do this) is one work: one key, not a clash.
    works: dict[tuple[str, str, str], list[ParsedReference]] = {}
    for ref in refs:
        if ref.ok:
            works.setdefault((ref.authors.lower(), ref.year, ref.title.lower()), []).append(ref)
    keys = letter_suffixes(
        [author_year_key(same[0].authors, same[0].year) for same in works.values()], taken_keys
    )
    for same, key in zip(works.values(), keys, strict=True):
        for ref in same:
            ref.key = key
    return refs
