"""Assemble what the public pages show, in a fixed number of queries whatever the document size."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import (
    Briefing,
    GlossaryTerm,
    KeyMessage,
    Role,
    Section,
    Theme,
    ThemedKeyMessage,
    ThemedSection,
)

TAG_RE = re.compile(r"(<[^>]+>)")


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


def theme_counts():
    """Themes with how many published sections and key messages carry them."""
    published = Briefing.objects.published()
    return list(
        Theme.objects.annotate(
            n=Count("section_items", filter=_published_section_items(published), distinct=True)
        ).order_by("name")
    )


def _published_section_items(published):
    from django.db.models import Q

    # Section.objects.published() also hides sub-sections of a draft section.
    return Q(section_items__content_object__in=Section.objects.published()) & Q(
        section_items__content_object__briefing__in=published
    )


@dataclass
class MatrixRow:
    theme: Theme
    cells: list[int]

    @property
    def total(self):
        return sum(self.cells)


@dataclass
class Matrix:
    briefings: list[Briefing]
    rows: list[MatrixRow]
    maximum: int = 1


def theme_matrix(briefings):
    """Theme-by-document counts of sections and key messages that carry each theme."""
    ids = [b.id for b in briefings]
    counts = defaultdict(int)
    for theme_id, briefing_id in ThemedSection.objects.filter(
        content_object__briefing_id__in=ids, content_object__in=Section.objects.published()
    ).values_list("tag_id", "content_object__briefing_id"):
        counts[theme_id, briefing_id] += 1
    for theme_id, briefing_id in ThemedKeyMessage.objects.filter(
        content_object__briefing_id__in=ids
    ).values_list("tag_id", "content_object__briefing_id"):
        counts[theme_id, briefing_id] += 1
    rows = [
        MatrixRow(theme, [counts[theme.id, b.id] for b in briefings])
        for theme in Theme.objects.order_by("name")
    ]
    rows = [row for row in rows if row.total]
    maximum = max((c for row in rows for c in row.cells), default=1) or 1
    return Matrix(briefings=list(briefings), rows=rows, maximum=maximum)


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
        return {
            "briefing": b,
            "intro_html": intro_html,
            "sections": section_tree(sections),
            "flat_sections": sections,
            "key_messages": key_messages,
            "citations": citations,
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
        return {
            "briefing": self.briefing,
            "section": current,
            "children": children,
            "contents": section_tree(sections),
            "previous": sections[index - 1] if index > 0 else None,
            "next": sections[index + 1] if index + 1 < len(sections) else None,
            "related": related_sections(current),
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


@dataclass
class ThemeGroup:
    briefing: Briefing
    key_messages: list = field(default_factory=list)
    sections: list = field(default_factory=list)


def theme_groups(theme, role=None):
    """Everything the portal says on a theme, grouped by document (the role's documents first)."""
    briefings = Briefing.objects.published()
    sections = (
        Section.objects.published()
        .filter(themes=theme)
        .select_related("briefing")
        .order_by("briefing__title", "order")
    )
    messages = (
        KeyMessage.objects.published()
        .filter(themes=theme)
        .select_related("briefing")
        .order_by("briefing__title", "order")
    )
    if role is not None:
        sections = sections.for_role(role)
        messages = messages.for_role(role)
        briefings = briefings.for_role(role)
    groups = {
        b.id: ThemeGroup(b) for b in briefings.prefetch_related("audiences").order_by("title")
    }
    for message in messages:
        groups[message.briefing_id].key_messages.append(message)
    for s in sections:
        groups[s.briefing_id].sections.append(s)
    return [g for g in groups.values() if g.sections or g.key_messages]


@dataclass
class CompareColumn:
    role: Role
    groups: list


def theme_compare(theme):
    """Side by side: for each role, what its documents say on the theme."""
    groups = theme_groups(theme)
    columns = []
    for role in Role.objects.all():
        mine = [g for g in groups if role in g.briefing.audiences.all()]
        if mine:
            columns.append(CompareColumn(role, mine))
    return columns
