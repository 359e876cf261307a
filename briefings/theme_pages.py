"""What the theme pages show: every profession's guidance on a theme, the reader's role first.

The role a reader views as is an emphasis, never a filter: their own guidance comes first, then
what each other profession's guidance says, each under its own label, so a theme page is never
empty while any document carries the theme. Each document appears once, under the first of its
audiences in that order; a role whose documents are all shown under another role says where.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.utils.html import strip_tags
from django.utils.text import Truncator

from .models import (
    Briefing,
    KeyMessage,
    Role,
    Section,
    Theme,
    ThemedKeyMessage,
    ThemedSection,
)

EXCERPT_WORDS = 30
SPACES = re.compile(r"\s+")


def excerpt(rendered_html, words=EXCERPT_WORDS):
    """The first words of a passage's text, as plain text, with "…" when there is more."""
    text = SPACES.sub(" ", html.unescape(strip_tags(rendered_html or ""))).strip()
    return Truncator(text).words(words, truncate="…")


def theme_counts():
    """Themes with how many published sections carry them."""
    published = Briefing.objects.published()
    return list(
        Theme.objects.annotate(
            n=Count(
                "section_items",
                filter=Q(section_items__content_object__in=Section.objects.published())
                & Q(section_items__content_object__briefing__in=published),
                distinct=True,
            )
        ).order_by("name")
    )


def role_first(briefings, role):
    """The documents written for the role first, keeping the order otherwise."""
    if role is None:
        return list(briefings)
    return sorted(briefings, key=lambda b: role not in b.audiences.all())


@dataclass
class MatrixRow:
    theme: Theme
    cells: list[int]
    briefings: list = field(default_factory=list, repr=False)

    @property
    def total(self):
        return sum(self.cells)

    @property
    def pairs(self):
        """(count, document) for each cell, to link a cell to the passages it counts."""
        return list(zip(self.cells, self.briefings, strict=True))


@dataclass
class Matrix:
    briefings: list[Briefing]
    rows: list[MatrixRow]
    role: Role | None = None
    maximum: int = 1


def theme_matrix(briefings, role=None):
    """Theme-by-document counts of sections and key messages that carry each theme.

    Every document is a column; with a role, that role's documents come first and are marked.
    """
    briefings = role_first(briefings, role)
    for b in briefings:
        b.is_own = role is not None and role in b.audiences.all()
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
        MatrixRow(theme, [counts[theme.id, b.id] for b in briefings], briefings)
        for theme in Theme.objects.order_by("name")
    ]
    rows = [row for row in rows if row.total]
    maximum = max((c for row in rows for c in row.cells), default=1) or 1
    return Matrix(briefings=briefings, rows=rows, role=role, maximum=maximum)


@dataclass
class ThemeGroup:
    """One document's passages on a theme."""

    briefing: Briefing
    key_messages: list = field(default_factory=list)
    sections: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.key_messages) + len(self.sections)


@dataclass
class RoleGuidance:
    """A profession's guidance on a theme: the documents shown under it, and those written for
    it too that are shown under another role (`shown_elsewhere`, each with that role)."""

    role: Role
    groups: list[ThemeGroup] = field(default_factory=list)
    shown_elsewhere: list[tuple[ThemeGroup, Role]] = field(default_factory=list)
    is_viewer: bool = False

    @property
    def count(self):
        return sum(g.count for g in self.groups) + sum(g.count for g, _ in self.shown_elsewhere)

    @property
    def anchor(self):
        return f"guidance-{self.role.slug}"


def _key_message_numbers():
    """Each key message's number in its document's list, as the document page numbers it."""
    earlier = (
        KeyMessage.objects.filter(briefing=OuterRef("briefing"), order__lt=OuterRef("order"))
        .order_by()
        .values("briefing")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(earlier, output_field=IntegerField())


def theme_groups(theme):
    """Every published document's passages on the theme, by document title."""
    sections = (
        Section.objects.published()
        .filter(themes=theme)
        .select_related("briefing", "parent")
        .order_by("briefing__title", "order")
    )
    messages = (
        KeyMessage.objects.published()
        .filter(themes=theme)
        .annotate(earlier=_key_message_numbers())
        .select_related("briefing")
        .order_by("briefing__title", "order")
    )
    briefings = Briefing.objects.published().prefetch_related("audiences").order_by("title")
    groups = {b.id: ThemeGroup(b) for b in briefings}
    for message in messages:
        message.number = (message.earlier or 0) + 1
        groups[message.briefing_id].key_messages.append(message)
    for s in sections:
        groups[s.briefing_id].sections.append(s)
    return [g for g in groups.values() if g.count]


def reading_roles(role=None):
    """The roles the portal holds published guidance for, the reader's role first (even when
    the portal holds nothing for it: the page says so)."""
    roles = list(Role.objects.filter(briefings__in=Briefing.objects.published()).distinct())
    if role is not None:
        roles = [role] + [r for r in roles if r.pk != role.pk]
    return roles


def theme_guidance(theme, role=None, roles=None):
    """What each profession's guidance says on the theme, the reader's role first."""
    roles = roles if roles is not None else reading_roles(role)
    guidance = [RoleGuidance(r, is_viewer=role is not None and r.pk == role.pk) for r in roles]
    for group in theme_groups(theme):
        audiences = {r.pk for r in group.briefing.audiences.all()}
        mine = [g for g in guidance if g.role.pk in audiences]
        if not mine:
            continue
        home, *also = mine
        home.groups.append(group)
        for other in also:
            other.shown_elsewhere.append((group, home.role))
    return guidance


def with_excerpts(guidance):
    """Add each section's first lines, for the side-by-side comparison."""
    for role_guidance in guidance:
        for group in role_guidance.groups:
            for s in group.sections:
                s.excerpt = excerpt(s.body_html)
    return guidance
