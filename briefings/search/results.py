"""What a search asks the engine for (Filters) and what the engine gives back (RawResult), before
service.py turns it into what the page shows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Highlight markers: control characters, which the index never stores (see index.plain), so the
# snippet can be escaped first and the markers turned into <mark> afterwards.
MARK_START = "\x02"
MARK_END = "\x03"
ELLIPSIS = "…"

FACETS = ("kind", "document", "role", "theme")
# Options listed per facet, the most results first (and the chosen one): a list of hundreds of
# links helps nobody choose.
FACET_OPTIONS = 12


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    document: str = ""
    role: str = ""
    theme: str = ""

    def active(self):
        return {name: getattr(self, name) for name in FACETS if getattr(self, name)}


@dataclass
class FacetCount:
    value: str
    label: str
    count: int
    sort: int = 0


@dataclass
class RawHit:
    id: int
    kind: str
    title: str
    title_marked: str
    snippet_marked: str
    document_slug: str | None
    document_label: str | None
    section_slug: str | None
    section_heading: str | None
    parent_heading: str | None
    anchor: str
    listed_reference: bool
    score: float
    briefing_id: int  # 0 for none
    sort_key: tuple  # the page's order (statement.SearchStatement.page)
    roles: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class RawResult:
    hits: list[RawHit]
    facets: dict[str, list[FacetCount]]
    everyone: int  # matches with no document (glossary terms): shown whatever the role filter
    sizes: dict[str, int] = field(default_factory=dict)  # rows read per set of matches
    total: int = 0  # matches under every filter, at most the exact limit
    capped: bool = False  # more matched than the exact limit: the total is a lower bound
    capped_facets: set[str] = field(default_factory=set)  # facets counted from capped sets


def _hit(row) -> RawHit:
    return RawHit(
        id=row["id"],
        kind=row["kind"],
        title=row["title"] or "",
        title_marked=row["title_marked"] or "",
        snippet_marked=row["snippet"] or "",
        document_slug=row["value"],
        document_label=row["label"],
        section_slug=row["section_slug"],
        section_heading=row["section_heading"],
        parent_heading=row["parent_heading"],
        anchor=row["anchor"] or "",
        listed_reference=bool(row["listed"]),
        score=row["score"],
        briefing_id=row["briefing_id"],
        sort_key=(
            row["band"],
            -row["coverage"],
            row["score"],
            row["briefing_id"],
            row["position"],
            row["id"],
        ),
    )


def read_rows(rows) -> RawResult:
    """The statement's rows (dicts, each saying in row_type which part of the answer it is)."""
    facets = {name: [] for name in FACETS}
    hits, audiences, everyone, sizes = [], {}, 0, {}
    for row in rows:
        kind = row["row_type"]
        if kind == "hit":
            hits.append(_hit(row))
        elif kind == "audience":
            audiences.setdefault(row["id"], []).append((row["sort"], row["value"], row["label"]))
        elif kind == "everyone":
            everyone = row["n"]
        elif kind == "size":
            sizes[row["value"]] = row["n"]
        else:
            facets[kind].append(
                FacetCount(row["value"] or "", row["label"] or "", row["n"], row["sort"] or 0)
            )
    hits.sort(key=lambda h: h.sort_key)
    roles = {
        briefing_id: [(slug, name) for _, slug, name in sorted(found)]
        for briefing_id, found in audiences.items()
    }
    for hit in hits:
        hit.roles = roles.get(hit.briefing_id, [])
    return RawResult(hits=hits, facets=facets, everyone=everyone, sizes=sizes)


ADJACENT_MARKS = re.compile(r"</mark>(\s+)<mark>")


def marked(text: str) -> SafeString:
    """Escape first, then mark: the only markup that can come out is <mark>."""
    if text.count(MARK_START) != text.count(MARK_END):
        text = text.replace(MARK_START, "").replace(MARK_END, "")
    html = escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    # One mark for a run of marked words, as a phrase reads ("<mark>mental health</mark>").
    html = ADJACENT_MARKS.sub(r"\1", html)
    return mark_safe(html)  # noqa: S308 - escaped above; the markers are control characters
