"""Reading packs: finding one by its token, the lists of packs, and what a pack shows (each item's
live, published text, in a fixed number of queries).

An item is shown only while its target is published *now* (a draft section, a section of a draft
or not-yet-public document, or a deleted one all read "no longer available"), so a pack can never
be a way round the editorial workflow.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.crypto import constant_time_compare
from django.utils.html import strip_tags
from django.utils.text import Truncator

from briefings.models import Briefing, KeyMessage, Section
from briefings.pages import Abbreviations, cited_works

from .models import Pack, PackItem


def pack_by_token(token) -> Pack | None:
    """The pack with this share token, or None."""
    pack = Pack.objects.select_related("owner").filter(token=token).first()
    # The exact comparison also guards against a database collation that matches without case.
    if pack is None or not constant_time_compare(pack.token, token):
        return None
    return pack


def listed_packs():
    """The packs on the public index, most recently changed first."""
    return Pack.objects.listed().with_item_count().order_by("-updated", "title")


def packs_of(user):
    """A trainer's own packs, most recently changed first."""
    return Pack.objects.owned_by(user).with_item_count().order_by("-updated")


@dataclass
class PackEntry:
    item: PackItem
    position: int
    available: bool
    briefing: Briefing | None = None
    roles: list = field(default_factory=list)
    section: Section | None = None
    key_message: KeyMessage | None = None
    children: list = field(default_factory=list)
    html: str = ""

    @property
    def is_section(self):
        return self.item.kind == PackItem.Kind.SECTION

    @property
    def kind_label(self):
        return self.item.get_kind_display()

    @property
    def heading(self):
        if not self.available:
            return f"{self.kind_label} no longer available"
        if self.section is not None:
            return self.section.heading
        words = Truncator(html.unescape(strip_tags(self.key_message.text_html))).words(10)
        return f"Key message: {words}"

    @property
    def target(self):
        return self.section if self.section is not None else self.key_message

    @property
    def anchor(self):
        return f"item-{self.position}"


def published_target(kind, pk):
    """The published section or key message a trainer asks to add, or None."""
    if kind == PackItem.Kind.SECTION:
        queryset = Section.objects.published()
    elif kind == PackItem.Kind.KEY_MESSAGE:
        queryset = KeyMessage.objects.published()
    else:
        return None
    return queryset.select_related("briefing").filter(pk=pk).first()


def ordered_items(pack: Pack) -> list[PackItem]:
    """The pack's items in the trainer's order, with what they point at."""
    return list(
        pack.items.select_related("section__briefing", "key_message__briefing").order_by(
            "order", "id"
        )
    )


def pack_entries(pack: Pack, *, abbreviate=True):
    """The pack's items in order, each resolved against what is published now."""
    items = ordered_items(pack)
    section_ids = [i.section_id for i in items if i.section_id]
    message_ids = [i.key_message_id for i in items if i.key_message_id]
    live_sections = set(
        Section.objects.published().filter(pk__in=section_ids).values_list("pk", flat=True)
    )
    live_messages = set(
        KeyMessage.objects.published().filter(pk__in=message_ids).values_list("pk", flat=True)
    )
    children = defaultdict(list)
    for child in Section.objects.published().filter(parent_id__in=live_sections).order_by("order"):
        children[child.parent_id].append(child)

    entries = []
    for position, item in enumerate(items, start=1):
        if item.section_id in live_sections:
            entry = PackEntry(item, position, True, item.section.briefing, section=item.section)
            entry.children = children[item.section_id]
        elif item.key_message_id in live_messages:
            entry = PackEntry(
                item, position, True, item.key_message.briefing, key_message=item.key_message
            )
        else:
            entry = PackEntry(item, position, False)
        entries.append(entry)

    briefing_ids = {e.briefing.pk for e in entries if e.available}
    roles = defaultdict(list)
    for link in (
        Briefing.audiences.through.objects.filter(briefing_id__in=briefing_ids)
        .select_related("role")
        .order_by("role__order", "role__name")
    ):
        roles[link.briefing_id].append(link.role)

    abbr = Abbreviations() if abbreviate and briefing_ids else (lambda html: html)
    for entry in entries:
        if not entry.available:
            continue
        entry.roles = roles[entry.briefing.pk]
        if entry.section is not None:
            entry.html = abbr(entry.section.body_html)
            for child in entry.children:
                child.display_html = abbr(child.body_html)
        else:
            entry.html = abbr(entry.key_message.text_html)
    return entries


def handout_cited_works(entries):
    """The works the pack's items cite, each once, by author and year: the reference list a
    printed handout ends with. Each document's items are looked up against that document's own
    reference list (or the list its citations name), one look-up per document in the pack."""
    by_briefing = defaultdict(list)
    for entry in entries:
        if entry.available:
            by_briefing[entry.briefing].append(entry)
    works = {}
    for briefing, items in by_briefing.items():
        fragments, sources = [], []
        for entry in items:
            fragments.append(entry.html)
            target = entry.target
            sources.append(getattr(target, "body", "") or getattr(target, "text", ""))
            for child in entry.children:
                fragments.append(child.body_html)
                sources.append(child.body)
        for work in cited_works(briefing, fragments, sources):
            works.setdefault(work.reference.key, work)
    return sorted(
        works.values(), key=lambda w: (w.reference.authors, w.reference.year, w.reference.key)
    )
