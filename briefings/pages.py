"""Assemble what the public pages show, in a fixed number of queries whatever the document size."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Prefetch, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import (
    Briefing,
    Citation,
    GlossaryTerm,
    Reference,
    Section,
)

TAG_RE = re.compile(r"(<[^>]+>)")
CITED_KEY_RE = re.compile(r'<a class="citation" href="[^"#]*#ref-([^"]+)"')
# In Markdown, a citation of a work another document lists names that document: cite:SLUG/KEY.
NAMED_CITATION_RE = re.compile(r"\(cite:([a-z0-9-]+)/([a-z0-9-]+)\)")


def with_query(url, request, keep=("role",)):
    params = {k: request.GET[k] for k in keep if request.GET.get(k)}
    return f"{url}?{urlencode(params)}" if params else url


class Abbreviations:
    """Mark the first use of each glossary acronym on a page with <abbr title="...">.

    Works on already-sanitised HTML and only touches text between tags, so it cannot create markup
    from content. One instance is one page: a term is expanded once per page.
    """

    def __init__(self, terms=None):
        terms = list(terms if terms is not None else GlossaryTerm.objects.public())
        self.expansions = {escape(t.term): t.expansion for t in terms}
        self.seen: set[str] = set()
        if self.expansions:
            alternatives = "|".join(
                re.escape(t) for t in sorted(self.expansions, key=len, reverse=True)
            )
            self.pattern = re.compile(rf"(?<![\w&;])({alternatives})(?![\w&])")
        else:
            self.pattern = None

    def __call__(self, html):
        if not self.pattern or not html:
            return html
        parts = TAG_RE.split(str(html))
        depth = 0  # inside an <abbr> or heading we leave text alone
        for index, part in enumerate(parts):
            if part.startswith("<"):
                name = part[1:].split(None, 1)[0].rstrip(">").lower() if len(part) > 2 else ""
                if name in {"abbr", "h1", "h2", "h3", "h4", "figcaption"}:
                    depth += 1
                elif name in {"/abbr", "/h1", "/h2", "/h3", "/h4", "/figcaption"}:
                    depth = max(0, depth - 1)
                continue
            if depth or not part:
                continue
            parts[index] = self.pattern.sub(self._replace, part)
        return mark_safe("".join(parts))  # noqa: S308 - input was sanitised HTML

    def _replace(self, match):
        term = match.group(1)
        if term in self.seen:
            return term
        self.seen.add(term)
        return f'<abbr title="{escape(self.expansions[term])}">{term}</abbr>'


@dataclass
class SectionNode:
    section: Section
    children: list[SectionNode] = field(default_factory=list)


def section_tree(sections):
    nodes = {s.id: SectionNode(s) for s in sections}
    roots = []
    for s in sections:
        if s.parent_id and s.parent_id in nodes:
            nodes[s.parent_id].children.append(nodes[s.id])
        elif not s.parent_id:
            roots.append(nodes[s.id])
    return roots


def document_sections(briefing, include_drafts=False):
    sections = Section.objects.all() if include_drafts else Section.objects.published()
    return list(
        sections.filter(briefing=briefing)
        .order_by("order")
        .select_related("briefing")
        .prefetch_related("themes")
    )


@dataclass
class CitedWork:
    """A work a page cites, with the entry printed for it: the citing document's own when it
    prints a reference list, else the entry of a document whose list holds it (`printed_in`)."""

    reference: Reference
    entry_html: str
    printed_in: Briefing | None

    @property
    def anchor(self):
        return f"ref-{self.reference.key}"


def _named_printers(sources):
    """For citations written cite:SLUG/KEY, the document each one names, by reference id."""
    pairs = {pair for text in sources for pair in NAMED_CITATION_RE.findall(text or "")}
    if not pairs:
        return {}
    named = Q()
    for slug, local_key in sorted(pairs):
        named |= Q(briefing__slug=slug, local_key=local_key)
    return dict(Citation.objects.filter(named).values_list("reference_id", "briefing_id"))


def cited_works(briefing, fragments, sources=()):
    """The works cited in these fragments of rendered HTML, by author and year: what a page's
    citations point at, so each can be shown in place and printed at the end of the page.

    A work the document does not list itself is shown as printed by the document its Markdown
    `sources` name for it (cite:SLUG/KEY), else by the first document that lists it."""
    keys = list(dict.fromkeys(k for html in fragments for k in CITED_KEY_RE.findall(html or "")))
    if not keys:
        return []
    preferred = _named_printers(sources)
    printers = Briefing.objects.published().filter(has_reference_list=True)
    references = Reference.objects.filter(key__in=keys).prefetch_related(
        Prefetch(
            "citations",
            queryset=Citation.objects.filter(listed=True)
            .filter(Q(briefing__in=printers) | Q(briefing_id=briefing.pk))
            .select_related("briefing")
            .order_by("briefing__title"),
        )
    )
    works = []
    for reference in references.order_by("authors", "year", "key"):
        entries = list(reference.citations.all())
        own = [c for c in entries if c.briefing_id == briefing.pk and briefing.has_reference_list]
        others = sorted(
            (c for c in entries if c.briefing_id != briefing.pk),
            key=lambda c: c.briefing_id != preferred.get(reference.id),
        )
        chosen = (own or others or [None])[0]
        if chosen is None:
            continue  # no published document prints it: the citation links to the index
        works.append(CitedWork(reference, chosen.entry_html, None if own else chosen.briefing))
    return works


class DocumentPage:
    def __init__(self, briefing: Briefing, include_drafts=False):
        self.briefing = briefing
        self.include_drafts = include_drafts  # an editor's preview

    def context(self):
        b = self.briefing
        sections = document_sections(b, self.include_drafts)
        key_messages = list(b.key_messages.order_by("order").prefetch_related("themes"))
        citations = []
        if b.has_reference_list:
            citations = list(
                b.citations.filter(listed=True).select_related("reference").order_by("order")
            )
        cited_in = defaultdict(list)
        for row in Section.cited_references.through.objects.filter(
            section__in=[s.id for s in sections]
        ).values_list("reference_id", "section_id"):
            cited_in[row[0]].append(row[1])
        by_id = {s.id: s for s in sections}
        for citation in citations:
            citation.cited_in = [by_id[i] for i in cited_in.get(citation.reference_id, [])]
        abbr = Abbreviations()
        intro_html = abbr(b.intro_html)
        for message in key_messages:
            message.display_html = abbr(message.text_html)
        for s in sections:
            s.display_html = abbr(s.body_html)
        works = []
        if not citations:
            # The document prints no reference list: gather what its citations point at.
            texts = [m.text_html for m in key_messages] + [s.body_html for s in sections]
            sources = [m.text for m in key_messages] + [s.body for s in sections]
            works = cited_works(b, [b.intro_html, *texts], [b.intro, *sources])
        return {
            "briefing": b,
            "intro_html": intro_html,
            "sections": section_tree(sections),
            "flat_sections": sections,
            "key_messages": key_messages,
            "citations": citations,
            "cited_works": works,
            "series": series_titles(b),
            "change_notes": list(b.change_notes.shown()),
        }


@dataclass
class SeriesEntry:
    title: str
    briefing: Briefing | None = None


def series_titles(briefing):
    """The document's own series list: itself, then the titles it lists as also available, in
    its order, each with the published briefing that holds it."""
    if not briefing.series_id:
        return []
    held = {
        b.series_title: b for b in Briefing.objects.published().filter(series_id=briefing.series_id)
    }
    # A draft seen in preview holds its own title, as it will once published.
    held[briefing.series_title] = briefing
    titles = [briefing.series_title]
    listed = briefing.also_available if isinstance(briefing.also_available, list) else []
    titles += [t for t in listed if isinstance(t, str) and t not in titles]
    return [SeriesEntry(title, held.get(title)) for title in titles if title]


class SectionPage:
    def __init__(self, briefing: Briefing, section: Section, include_drafts=False):
        self.briefing = briefing
        self.section = section
        self.include_drafts = include_drafts  # an editor's preview

    def context(self):
        sections = document_sections(self.briefing, self.include_drafts)
        index = next(i for i, s in enumerate(sections) if s.id == self.section.id)
        current = sections[index]
        children = [s for s in sections if s.parent_id == current.id]
        abbr = Abbreviations()
        current.display_html = abbr(current.body_html)
        for child in children:
            child.display_html = abbr(child.body_html)
        b = self.briefing
        return {
            "briefing": self.briefing,
            "section": current,
            "children": children,
            "contents": section_tree(sections),
            "previous": sections[index - 1] if index > 0 else None,
            "next": sections[index + 1] if index + 1 < len(sections) else None,
            "related": related_sections(current),
            "cited_works": cited_works(
                b,
                [current.body_html, *(c.body_html for c in children)],
                [current.body, *(c.body for c in children)],
            ),
            "last_note": b.change_notes.shown().first(),
        }


def related_sections(section, limit=8):
    """Sections of other documents sharing this section's themes, most shared themes first."""
    theme_ids = {t.id for t in section.themes.all()}
    if not theme_ids:
        return []
    related = list(
        Section.objects.published()
        .exclude(briefing_id=section.briefing_id)
        .filter(themes__id__in=theme_ids)
        .annotate(shared=Count("themes", distinct=True))
        .order_by("-shared", "briefing__title", "order")
        .select_related("briefing")
        .prefetch_related("briefing__audiences", "themes")[:limit]
    )
    for item in related:
        item.shared_themes = [t for t in item.themes.all() if t.id in theme_ids]
    return related
