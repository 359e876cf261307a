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

    sections = defaultdict(list)
    for s in Section.objects.filter(briefing__in=originals).order_by("order"):
        sections[s.briefing_id].append(s)
    messages = defaultdict(list)
    for m in KeyMessage.objects.filter(briefing__in=originals).order_by("order"):
        messages[m.briefing_id].append(m)
    citations = defaultdict(list)
    for c in Citation.objects.filter(briefing__in=originals).order_by("order"):
        citations[c.briefing_id].append(c)
    quotes = defaultdict(list)
    for q in Quote.objects.filter(section__briefing__in=originals).order_by("order"):
        quotes[q.section_id].append(q)
    section_themes = defaultdict(list)
    for sid, tag in ThemedSection.objects.filter(
        content_object__briefing__in=originals
    ).values_list("content_object_id", "tag_id"):
        section_themes[sid].append(tag)
    message_themes = defaultdict(list)
    for mid, tag in ThemedKeyMessage.objects.filter(
        content_object__briefing__in=originals
    ).values_list("content_object_id", "tag_id"):
        message_themes[mid].append(tag)
    cited = defaultdict(list)
    through = Section.cited_references.through
    for sid, rid in through.objects.filter(section__briefing__in=originals).values_list(
        "section_id", "reference_id"
    ):
        cited[sid].append(rid)

    with transaction.atomic():
        for start in range(0, len(wanted), 50):
            _write_copies(
                wanted[start : start + 50],
                sections,
                messages,
                citations,
                quotes,
                section_themes,
                message_themes,
                cited,
                seed,
            )
        index.rebuild()
    return len(wanted)


def _write_copies(
    wanted, sections, messages, citations, quotes, section_themes, message_themes, cited, seed
):
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

    new_sections, donors_of, top_level_of = [], [], {}
    for level in ("top", "sub"):
        batch = []
        for copy, (number, original) in zip(copies, wanted, strict=True):
            rng = random.Random(f"{seed}-{number}-{original.slug}-sections")  # noqa: S311
            originals = sections[original.pk]
            donors = _shuffled(originals, rng)
            for source, donor in zip(originals, donors, strict=True):
                if (source.parent_id is None) != (level == "top"):
                    continue
                batch.append(
                    (
                        source,
                        donor,
                        Section(
                            briefing_id=copy.pk,
                            parent_id=top_level_of.get((copy.pk, source.parent_id)),
                            key=source.key,
                            heading=source.heading,
                            slug=source.slug,
                            order=source.order,
                            status=source.status,
                            body=donor.body,
                            body_html=donor.body_html,
                        ),
                    )
                )
        Section.objects.bulk_create([row for _, _, row in batch], batch_size=BATCH)
        for source, donor, row in batch:
            top_level_of[(row.briefing_id, source.pk)] = row.pk
            new_sections.append(row)
            donors_of.append((source, donor, row))

    Quote.objects.bulk_create(
        [
            Quote(section_id=row.pk, order=q.order, text=q.text, attribution=q.attribution)
            for _, donor, row in donors_of
            for q in quotes[donor.pk]
        ],
        batch_size=BATCH,
    )
    ThemedSection.objects.bulk_create(
        [
            ThemedSection(content_object_id=row.pk, tag_id=tag)
            for source, _, row in donors_of
            for tag in section_themes[source.pk]
        ],
        batch_size=BATCH,
    )
    cited_through = Section.cited_references.through
    cited_through.objects.bulk_create(
        [
            cited_through(section_id=row.pk, reference_id=ref)
            for _, donor, row in donors_of
            for ref in cited[donor.pk]
        ],
        batch_size=BATCH,
    )

    new_messages = []
    for copy, (number, original) in zip(copies, wanted, strict=True):
        rng = random.Random(f"{seed}-{number}-{original.slug}-messages")  # noqa: S311
        originals = messages[original.pk]
        for source, donor in zip(originals, _shuffled(originals, rng), strict=True):
            new_messages.append(
                (
                    source,
                    KeyMessage(
                        briefing_id=copy.pk,
                        key=source.key,
                        order=source.order,
                        text=donor.text,
                        text_html=donor.text_html,
                    ),
                )
            )
    KeyMessage.objects.bulk_create([m for _, m in new_messages], batch_size=BATCH)
    ThemedKeyMessage.objects.bulk_create(
        [
            ThemedKeyMessage(content_object_id=m.pk, tag_id=tag)
            for source, m in new_messages
            for tag in message_themes[source.pk]
        ],
        batch_size=BATCH,
    )
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
            for c in citations[original.pk]
        ],
        batch_size=BATCH,
    )
