"""A pasted reference list added to a document: checked line by line, then each new entry created
as the document's citation of a work (the shared ``Reference`` found by the importer's identity,
``work_key``, or made), in one revision of the document.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max, Q

from ..content.limits import MAX_REFERENCE_TEXT, max_length
from ..content.reference_lines import ParsedReference, parse_reference_lines
from ..content.validate import work_key
from ..models import Briefing, Citation, KeyMessage, Reference, Section
from ..models.references import WORK_FIELDS
from . import services

NEW = "new"


@dataclass
class PastedRow:
    ref: ParsedReference
    work: str = ""  # the shared reference's key
    status: str = NEW  # NEW, or why the line will not be added

    @property
    def added(self) -> bool:
        return self.ref.ok and self.status == NEW


def _too_long(ref: ParsedReference) -> str:
    limits = {name: max_length(Citation, name) for name in WORK_FIELDS}
    for name, limit in limits.items():
        if len(getattr(ref, name)) > limit:
            return f"the {name} is over {limit:,} characters"
    if len(ref.text) > MAX_REFERENCE_TEXT:
        return f"the entry is over {MAX_REFERENCE_TEXT:,} characters"
    if ref.url:
        try:
            URLValidator()(ref.url)
        except ValidationError:
            return f"the address {ref.url[:80]} is not a web address"
    return ""


def check_pasted(briefing: Briefing, pasted: str) -> list[PastedRow]:
    """Every line of the paste, read, with what confirming would do with it."""
    citations = list(briefing.citations.select_related("reference"))
    refs = parse_reference_lines(pasted, taken_keys={c.local_key for c in citations})
    cited = {c.reference.key: c.local_key for c in citations}
    seen: dict[str, int] = {}
    rows = []
    for ref in refs:
        row = PastedRow(ref)
        if ref.ok:
            row.work = work_key(ref.as_data())
            problem = _too_long(ref)
            if problem:
                ref.problem = problem
            elif row.work in cited:
                row.status = f"already in the list, as {cited[row.work]}"
            elif row.work in seen:
                row.status = f"the same work as line {seen[row.work]}"
            seen.setdefault(row.work, ref.line)
        rows.append(row)
    return rows


def add_pasted(briefing: Briefing, pasted: str, user) -> list[Citation]:
    """Add the new entries of a paste to the document's reference list, after its own."""
    rows = [row for row in check_pasted(briefing, pasted) if row.added]
    if not rows:
        return []
    start = (briefing.citations.aggregate(m=Max("order"))["m"] or 0) + 1
    existing = Reference.objects.in_bulk([row.work for row in rows], field_name="key")
    citations = []
    for offset, row in enumerate(rows):
        ref = row.ref
        citation = Citation(
            briefing=briefing,
            local_key=ref.key,
            label=ref.label[: max_length(Citation, "label")],
            entry=ref.text,
            listed=True,
            order=start + offset,
            **{name: getattr(ref, name) for name in WORK_FIELDS},
        )
        citation.prerender()
        citations.append(citation)
    summary = f"Added {len(citations)} reference{'s' * (len(citations) != 1)} from a pasted list."
    with services.editing(briefing, user), transaction.atomic():
        for row, citation in zip(rows, citations, strict=True):
            reference = existing.get(row.work)
            if reference is None:
                fields = {name: getattr(row.ref, name) for name in WORK_FIELDS}
                reference = Reference.objects.create(key=row.work, **fields)
            citation.reference = reference
            citation.save()
        services.record_document_edit(briefing, user, services.ChangeAccount(), summary)
    _render_texts_citing(briefing, [c.local_key for c in citations])
    return citations


def _render_texts_citing(briefing: Briefing, keys: list[str]) -> None:
    """Texts written before their references existed link to them now: render them again, each
    outside any transaction, and save the ones whose HTML changed."""
    wanted = Q()
    for key in keys:
        wanted |= Q(body__contains=f"](cite:{key})")
    texts = list(Section.objects.filter(Q(briefing=briefing) & wanted))
    wanted_text = Q()
    for key in keys:
        wanted_text |= Q(text__contains=f"](cite:{key})")
    texts += list(KeyMessage.objects.filter(Q(briefing=briefing) & wanted_text))
    if any(f"](cite:{key})" in briefing.intro for key in keys):
        texts.append(Briefing.objects.get(pk=briefing.pk))
    for obj in texts:
        before = [getattr(obj, spec.html) for spec in obj.markdown_fields]
        obj.prerender()
        obj.render_markdown_fields()
        if [getattr(obj, spec.html) for spec in obj.markdown_fields] != before:
            obj.save()
