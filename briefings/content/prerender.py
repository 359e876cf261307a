"""Render an import's texts before its write transaction opens (see ``briefings.rendering``).

Where a citation links depends on rows the import itself writes (a new document's references),
so each text is rendered against its document's citations as they will be once written, worked out
from the parsed files and the database. The introduction is also rendered against the citations
as they are now, because the importer saves a document once before it writes its citations. Every
rendering is checked against the real citations at save time and made again if one differs, so a
wrong guess here costs time, never a wrong link.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.urls import reverse

from briefings.markdown import ResolvedCitation
from briefings.models import Briefing, Citation
from briefings.rendering import RenderStore, prerender, reusing

from .data import BriefingData, ReferenceData

# The id a planned citation reports; renderings are reused with the real ids, never this one.
PLANNED_REFERENCE_ID = 0


def prerender_import(briefings: list[BriefingData], work_key: Callable) -> RenderStore:
    """Every Markdown text of ``briefings``, rendered into a store for the import's saves."""
    store = RenderStore()
    batch = {data.slug: data for data in briefings}
    elsewhere = _DatabaseReferences()
    with reusing(store):
        for data in briefings:
            planned = _planned_resolver(data, batch, work_key, elsewhere)
            _quietly(data.intro, resolver=planned)
            _quietly(data.intro, resolver=_resolver_now(data))
            _quietly(data.source_note)
            for section in data.sections:
                _quietly(section.body, resolver=planned)
            for message in data.key_messages:
                _quietly(message.text, resolver=planned, inline=True)
            for reference in data.references:
                _quietly(reference.text, inline=True)
    return store


def _quietly(text, **kwargs):
    # A text the renderer refuses is left to the save, which reports it as it always has.
    with contextlib.suppress(ValidationError):
        prerender(text, **kwargs)


def _resolver_now(data: BriefingData):
    """How the document's citations resolve before the import writes them."""
    briefing = Briefing.objects.filter(slug=data.slug).first() or Briefing(slug=data.slug)
    briefing.has_reference_list = data.reference_list
    return briefing.citation_resolver()


class _DatabaseReferences:
    """The reference key a document outside the import cites under a local key (cached)."""

    def __init__(self):
        self.cache: dict[tuple[str, str], str | None] = {}

    def __call__(self, slug: str, local: str) -> str | None:
        if (slug, local) not in self.cache:
            citation = (
                Citation.objects.select_related("reference")
                .filter(briefing__slug=slug, local_key=local)
                .first()
            )
            self.cache[(slug, local)] = citation.reference.key if citation else None
        return self.cache[(slug, local)]


def _planned_resolver(data: BriefingData, batch, work_key, elsewhere):
    """``Briefing.citation_resolver`` for the document as the import will leave it."""
    own = {ref.key: work_key(ref) for ref in data.references}
    own_works = set(own.values())
    document_url = reverse("briefings:document", args=[data.slug])
    index_url = reverse("briefings:references")

    def other(slug: str, local: str) -> str | None:
        if slug not in batch:
            return elsewhere(slug, local)
        ref: ReferenceData | None = next(
            (r for r in batch[slug].references if r.key == local), None
        )
        return work_key(ref) if ref else None

    def resolve(key: str) -> ResolvedCitation | None:
        if "/" in key:
            reference_key = other(*key.split("/", 1))
            listed = reference_key in own_works
        else:
            reference_key = own.get(key)
            listed = reference_key is not None
        if reference_key is None:
            return None
        base = document_url if listed and data.reference_list else index_url
        return ResolvedCitation(f"{base}#ref-{reference_key}", PLANNED_REFERENCE_ID)

    return resolve
