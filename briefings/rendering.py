"""Markdown is rendered before a write transaction opens, never inside one.

Rendering is the slow part of saving content. On SQLite a write transaction holds the database's
one write lock from its first statement, so a text rendered inside it makes every other writer (a
trainer saving a pack) wait for it. So the admin, the editorial services and the importer render
each text first (``prerender``), and the model's ``save()`` takes that result instead of
rendering again.

A text's HTML depends on the text and on where its citations link, and the citations can change
between rendering and saving (an import writes a document's references in the same transaction as
its sections). So a rendering records every citation key it looked up and the link it got, and it
is used at save time only if each key still resolves to the same link; otherwise ``save()``
renders again. A stale rendering is never stored.

Two ways to carry renderings to the save: on the instance (``RendersMarkdown.prerender``), or in a
``RenderStore`` made current with ``reusing(store)`` around the transaction, for saves of
instances that are only loaded inside it (the importer's, and the admin's second pass over a form
it has already validated).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from .markdown import CitationResolver, Rendered, ResolvedCitation, check_length, render_markdown
from .normalise import normalise_text


@dataclass(frozen=True)
class Prerendered:
    """A text rendered ahead of its save, with the citation lookups its HTML depends on."""

    text: str
    inline: bool
    rendered: Rendered
    lookups: tuple[tuple[str, str | None], ...]  # (citation key, link it resolved to or None)

    def reuse(self, text: str, inline: bool, resolver: CitationResolver | None) -> Rendered | None:
        """This rendering of ``text``, if every citation still links where it did; else None."""
        if text != self.text or inline != self.inline:
            return None
        cited: list[int] = []
        unresolved: list[str] = []
        for key, href in self.lookups:
            resolved = resolver(key) if resolver else None
            if (resolved.href if resolved else None) != href:
                return None
            if resolved is None:
                unresolved.append(key)
            elif resolved.reference_id not in cited:
                cited.append(resolved.reference_id)
        return Rendered(
            html=self.rendered.html,
            quotes=list(self.rendered.quotes),
            cited_reference_ids=cited,
            unresolved_citations=unresolved,
        )


class RenderStore:
    """Renderings made ahead of a transaction, found again by their text."""

    def __init__(self):
        self._by_text: dict[tuple[str, bool], list[Prerendered]] = defaultdict(list)

    def add(self, prerendered: Prerendered) -> None:
        self._by_text[(prerendered.text, prerendered.inline)].append(prerendered)

    def find(self, text, inline, resolver) -> tuple[Prerendered, Rendered] | None:
        for candidate in self._by_text.get((text, inline), ()):
            rendered = candidate.reuse(text, inline, resolver)
            if rendered is not None:
                return candidate, rendered
        return None

    def __len__(self):
        return sum(len(found) for found in self._by_text.values())


_current_store: ContextVar[RenderStore | None] = ContextVar("render_store", default=None)


@contextmanager
def reusing(store: RenderStore | None = None) -> Iterator[RenderStore]:
    """Within the block, ``prerender`` adds to ``store`` and ``render`` looks in it first."""
    store = RenderStore() if store is None else store
    token = _current_store.set(store)
    try:
        yield store
    finally:
        _current_store.reset(token)


def prerender(
    text: str, *, resolver: CitationResolver | None = None, inline: bool = False
) -> Prerendered:
    """Render ``text`` now (or find it in the current store), for a save that comes later."""
    store = _current_store.get()
    found = store.find(text, inline, resolver) if store is not None else None
    if found is not None:
        return found[0]
    lookups: list[tuple[str, str | None]] = []

    def recording(key: str) -> ResolvedCitation | None:
        resolved = resolver(key) if resolver else None
        lookups.append((key, resolved.href if resolved else None))
        return resolved

    rendered = render_markdown(text, resolver=recording, inline=inline)
    prerendered = Prerendered(text, inline, rendered, tuple(lookups))
    if store is not None:
        store.add(prerendered)
    return prerendered


def render(
    text: str,
    *,
    resolver: CitationResolver | None = None,
    inline: bool = False,
    prerendered: Prerendered | None = None,
) -> Rendered:
    """``text`` rendered: from ``prerendered`` or the current store if still valid, else now."""
    check_length(text)
    if prerendered is not None:
        rendered = prerendered.reuse(text, inline, resolver)
        if rendered is not None:
            return rendered
    store = _current_store.get()
    found = store.find(text, inline, resolver) if store is not None else None
    if found is not None:
        return found[1]
    return render_markdown(text, resolver=resolver, inline=inline)


@dataclass(frozen=True)
class MarkdownField:
    """A model's Markdown field, the field its HTML is stored in, and how it is rendered."""

    name: str
    html: str
    inline: bool = False
    cites: bool = True  # whether its citations are resolved (to this document's references)


class RendersMarkdown:
    """For models with Markdown fields: render them at save, or ahead with ``prerender()``."""

    markdown_fields: tuple[MarkdownField, ...] = ()

    def markdown_resolver(self) -> CitationResolver | None:
        """How this object's citations resolve; models whose text cites override it."""
        return None

    def check_markdown_lengths(self) -> None:
        """A form error, on its field, for each Markdown text over the length limit."""
        errors = {}
        for spec in self.markdown_fields:
            try:
                check_length(getattr(self, spec.name))
            except ValidationError as exc:
                errors[spec.name] = exc.error_list
        if errors:
            raise ValidationError(errors)

    def normalise_markdown(self) -> None:
        """Give each Markdown text its one spelling (``briefings.normalise``) before it is
        rendered or saved, however it arrived (a form, a file, a service)."""
        for spec in self.markdown_fields:
            setattr(self, spec.name, normalise_text(getattr(self, spec.name)))

    def _resolver_for_fields(self, resolver):
        if resolver is None and any(spec.cites for spec in self.markdown_fields):
            return self.markdown_resolver()
        return resolver

    def prerender(self, resolver: CitationResolver | None = None) -> None:
        """Render every Markdown field now, outside any transaction; ``save()`` reuses it."""
        self.normalise_markdown()
        resolver = self._resolver_for_fields(resolver)
        done, errors = {}, {}
        for spec in self.markdown_fields:
            try:
                done[spec.name] = prerender(
                    getattr(self, spec.name),
                    resolver=resolver if spec.cites else None,
                    inline=spec.inline,
                )
            except ValidationError as exc:
                errors[spec.name] = exc.error_list
        if errors:
            raise ValidationError(errors)
        self._prerendered = done

    def render_markdown_fields(self, resolver: CitationResolver | None = None) -> dict:
        """Set each HTML field from its Markdown; return each field's ``Rendered``."""
        self.normalise_markdown()
        resolver = self._resolver_for_fields(resolver)
        prerendered = getattr(self, "_prerendered", {})
        results = {}
        for spec in self.markdown_fields:
            rendered = render(
                getattr(self, spec.name),
                resolver=resolver if spec.cites else None,
                inline=spec.inline,
                prerendered=prerendered.get(spec.name),
            )
            setattr(self, spec.html, rendered.html)
            results[spec.name] = rendered
        return results
