"""A synthetic corpus N times the size of the real one, for benchmarks only.

Each copy of a real briefing is published under a slug starting "synthetic-" and a title starting
"[Synthetic N]", so it can never be mistaken for guidance and ``clear()`` removes every trace.
Its text is the real text rearranged: each section keeps its heading, themes and place but takes
the body (with its quotes and citations) of another section of the same document, chosen by a
seeded shuffle, and likewise for the key messages. Word statistics therefore grow N-fold like a
real collection of similar documents, which is what a search engine's cost depends on.

Rows are written in bulk (no signals, no Markdown rendering), then the search index is rebuilt.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from briefings.models import (
    Briefing,
    Citation,
    KeyMessage,
    Quote,
    Section,
    ThemedKeyMessage,
    ThemedSection,
)
from briefings.models.references import WORK_FIELDS

from . import index

PREFIX = "synthetic-"
BATCH = 1000


def real_briefings():
    return Briefing.objects.exclude(slug__startswith=PREFIX)


def synthetic_briefings():
    return Briefing.objects.filter(slug__startswith=PREFIX)


def copy_slug(number: int, slug: str) -> str:
    return f"{PREFIX}{number:04d}-{slug}"[:100]


def _number(slug: str) -> int:
    digits = slug[len(PREFIX) : len(PREFIX) + 4]
    return int(digits) if digits.isdigit() else 0


def clear() -> int:
    count = synthetic_briefings().count()
    with transaction.atomic():
        synthetic_briefings().delete()
    return count


def _shuffled(items, rng):
    donors = list(items)
    rng.shuffle(donors)
    return donors


def generate(scale: int, seed: int = 2017) -> int:
    """Add copies until the corpus is `scale` times the real one; return the copies made."""
    originals = list(real_briefings().prefetch_related("audiences").order_by("pk"))
    if not originals:
        return 0
    existing = set(synthetic_briefings().values_list("slug", flat=True))
    beyond = [slug for slug in existing if _number(slug) >= scale]
    if beyond:
        synthetic_briefings().filter(slug__in=beyond).delete()
    wanted = [
        (n, b) for n in range(1, scale) for b in originals if copy_slug(n, b.slug) not in existing
    ]
    if not wanted:
        return 0

    source = _originals(originals)
    with transaction.atomic():
        for start in range(0, len(wanted), 50):
            _write_copies(wanted[start : start + 50], source, seed)
        index.rebuild()
    return len(wanted)


@dataclass
class Originals:
    """What a copy is made from, by the real row it belongs to."""

    sections: dict = field(default_factory=lambda: defaultdict(list))
    messages: dict = field(default_factory=lambda: defaultdict(list))
    citations: dict = field(default_factory=lambda: defaultdict(list))
    quotes: dict = field(default_factory=lambda: defaultdict(list))
    section_themes: dict = field(default_factory=lambda: defaultdict(list))
    message_themes: dict = field(default_factory=lambda: defaultdict(list))
    cited: dict = field(default_factory=lambda: defaultdict(list))


def _originals(originals) -> Originals:
    found = Originals()
    for s in Section.objects.filter(briefing__in=originals).order_by("order"):
        found.sections[s.briefing_id].append(s)
    for m in KeyMessage.objects.filter(briefing__in=originals).order_by("order"):
        found.messages[m.briefing_id].append(m)
    for c in Citation.objects.filter(briefing__in=originals).order_by("order"):
        found.citations[c.briefing_id].append(c)
    for q in Quote.objects.filter(section__briefing__in=originals).order_by("order"):
        found.quotes[q.section_id].append(q)
    for sid, tag in ThemedSection.objects.filter(
        content_object__briefing__in=originals
    ).values_list("content_object_id", "tag_id"):
        found.section_themes[sid].append(tag)
    for mid, tag in ThemedKeyMessage.objects.filter(
        content_object__briefing__in=originals
    ).values_list("content_object_id", "tag_id"):
        found.message_themes[mid].append(tag)
    through = Section.cited_references.through
    for sid, rid in through.objects.filter(section__briefing__in=originals).values_list(
        "section_id", "reference_id"
    ):
        found.cited[sid].append(rid)
    return found


def _write_copies(wanted, source: Originals, seed):
    copies = _copy_briefings(wanted)
    donors_of = _copy_sections(copies, wanted, source, seed)
    _copy_section_parts(donors_of, source)
    _copy_key_messages(copies, wanted, source, seed)
    _copy_citations(copies, wanted, source)


def _copy_briefings(wanted):
    copies = []
    for number, original in wanted:
        copies.append(
            Briefing(
                slug=copy_slug(number, original.slug),
                title=f"[Synthetic {number}] {original.title}",
                kind=original.kind,
                series_title=f"[Synthetic {number}] {original.series_title or original.title}",
                publisher="Synthetic benchmark corpus: not guidance",
                status="published",
                intro=original.intro,
                intro_html=original.intro_html,
                has_reference_list=original.has_reference_list,
                source_note="A synthetic copy for benchmarks (manage.py generate_corpus).",
            )
        )
    Briefing.objects.bulk_create(copies, batch_size=BATCH)
    audiences = Briefing.audiences.through
    audiences.objects.bulk_create(
        [
            audiences(briefing_id=copy.pk, role_id=role.pk)
            for copy, (_, original) in zip(copies, wanted, strict=True)
            for role in original.audiences.all()
        ],
        batch_size=BATCH,
    )
    return copies


def _copy_sections(copies, wanted, source: Originals, seed):
    """Each copy's sections, top level first (sub-sections point at them): the heading, themes
    and place of the original, the body of another section of the same document."""
    donors_of, top_level_of = [], {}
    for level in ("top", "sub"):
        batch = []
        for copy, (number, original) in zip(copies, wanted, strict=True):
            rng = random.Random(f"{seed}-{number}-{original.slug}-sections")  # noqa: S311
            originals = source.sections[original.pk]
            donors = _shuffled(originals, rng)
            for section, donor in zip(originals, donors, strict=True):
                if (section.parent_id is None) != (level == "top"):
                    continue
                batch.append(
                    (
                        section,
                        donor,
                        Section(
                            briefing_id=copy.pk,
                            parent_id=top_level_of.get((copy.pk, section.parent_id)),
                            key=section.key,
                            heading=section.heading,
                            slug=section.slug,
                            order=section.order,
                            status=section.status,
                            body=donor.body,
                            body_html=donor.body_html,
                        ),
                    )
                )
        Section.objects.bulk_create([row for _, _, row in batch], batch_size=BATCH)
        for section, donor, row in batch:
            top_level_of[(row.briefing_id, section.pk)] = row.pk
            donors_of.append((section, donor, row))
    return donors_of


def _copy_section_parts(donors_of, source: Originals):
    """The quotes and citations that come with each body, the themes that come with each place."""
    Quote.objects.bulk_create(
        [
            Quote(section_id=row.pk, order=q.order, text=q.text, attribution=q.attribution)
            for _, donor, row in donors_of
            for q in source.quotes[donor.pk]
        ],
        batch_size=BATCH,
    )
    ThemedSection.objects.bulk_create(
        [
            ThemedSection(content_object_id=row.pk, tag_id=tag)
            for section, _, row in donors_of
            for tag in source.section_themes[section.pk]
        ],
        batch_size=BATCH,
    )
    cited_through = Section.cited_references.through
    cited_through.objects.bulk_create(
        [
            cited_through(section_id=row.pk, reference_id=ref)
            for _, donor, row in donors_of
            for ref in source.cited[donor.pk]
        ],
        batch_size=BATCH,
    )


def _copy_key_messages(copies, wanted, source: Originals, seed):
    new_messages = []
    for copy, (number, original) in zip(copies, wanted, strict=True):
        rng = random.Random(f"{seed}-{number}-{original.slug}-messages")  # noqa: S311
        originals = source.messages[original.pk]
        for message, donor in zip(originals, _shuffled(originals, rng), strict=True):
            new_messages.append(
                (
                    message,
                    KeyMessage(
                        briefing_id=copy.pk,
                        key=message.key,
                        order=message.order,
                        text=donor.text,
                        text_html=donor.text_html,
                    ),
                )
            )
    KeyMessage.objects.bulk_create([m for _, m in new_messages], batch_size=BATCH)
    ThemedKeyMessage.objects.bulk_create(
        [
            ThemedKeyMessage(content_object_id=m.pk, tag_id=tag)
            for message, m in new_messages
            for tag in source.message_themes[message.pk]
        ],
        batch_size=BATCH,
    )


def _copy_citations(copies, wanted, source: Originals):
    Citation.objects.bulk_create(
        [
            Citation(
                briefing_id=copy.pk,
                reference_id=c.reference_id,
                local_key=c.local_key,
                label=c.label,
                entry=c.entry,
                entry_html=c.entry_html,
                listed=c.listed,
                order=c.order,
                **{name: getattr(c, name) for name in WORK_FIELDS},
            )
            for copy, (_, original) in zip(copies, wanted, strict=True)
            for c in source.citations[original.pk]
        ],
        batch_size=BATCH,
    )
