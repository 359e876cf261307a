"""The Atom feed of updates: new documents, and changes readers should know about.

It carries exactly what documents' "Updates to this page" say, plus the publication of each
document, and nothing about drafts. Minor changes leave no note, so they are not in it either.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from .models import Briefing, ChangeNote

FEED_LENGTH = 50
# Characters XML 1.0 cannot carry: a stored title holding one must not break the whole feed.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return NOT_XML.sub("", text)


TAG_AUTHORITY = "cse-guidance-portal"


@dataclass
class Entry:
    guid: str
    title: str
    summary: str
    url: str
    date: datetime.datetime


def feed_entries(now=None, limit=FEED_LENGTH) -> list[Entry]:
    now = now or timezone.now()
    notes = list(
        ChangeNote.objects.public(now)
        .select_related("briefing")
        .order_by("-created", "-pk")[:limit]
    )
    entries = [
        Entry(
            guid=f"tag:{TAG_AUTHORITY},{note.created:%Y-%m-%d}:change-note/{note.pk}",
            title=(
                f"Published: {note.briefing.title}"
                if note.kind == ChangeNote.Kind.FIRST_PUBLISHED
                else f"Updated: {note.briefing.title}"
            ),
            summary=note.note,
            url=note.get_absolute_url(),
            date=note.created,
        )
        for note in notes
    ]
    # Documents published without a "First published" note (such as those loaded from the
    # content files) still appear once, dated from when they became visible.
    noted = ChangeNote.objects.filter(kind=ChangeNote.Kind.FIRST_PUBLISHED, public=True)
    for briefing in (
        Briefing.objects.published(now)
        .exclude(pk__in=noted.values("briefing_id"))
        .order_by("-created")[:limit]
    ):
        date = briefing.publish_from or briefing.created
        entries.append(
            Entry(
                guid=f"tag:{TAG_AUTHORITY},{briefing.created:%Y-%m-%d}:document/{briefing.pk}",
                title=f"Published: {briefing.title}",
                summary=f"New guidance: {briefing.title}.",
                url=briefing.get_absolute_url(),
                date=date,
            )
        )
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries[:limit]


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose entry summaries are declared as text (RFC 4287, 3.1.1): change notes are plain
    text, shown to readers as written, so a feed reader must show them so and never read markup
    in them as HTML (Django declares every summary as HTML)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class UpdatesFeed(Feed):
    feed_type = PlainTextAtomFeed
    title = "CSE guidance portal: updates"
    subtitle = (
        "New guidance on child sexual exploitation, and changes to it that readers should know "
        "about. Minor corrections are not listed."
    )
    author_name = "CSE guidance portal"

    def link(self):
        return reverse("briefings:home")

    def feed_url(self):
        return reverse("briefings:feed")

    def items(self):
        # An entry whose document has no address (a malformed slug, logged) is left out.
        return [entry for entry in feed_entries() if entry.url]

    def item_title(self, item):
        return xml_text(item.title)

    def item_description(self, item):
        return xml_text(item.summary)

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return item.guid

    def item_pubdate(self, item):
        return item.date

    def item_updateddate(self, item):
        return item.date
