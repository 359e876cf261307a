"""Load parsed briefing files into the database: validate everything first, then write atomically.

Identities come from the files: a briefing by slug, a section or key message by its key within the
briefing, a theme by slug, a glossary term by term, and a cited work by its author, year and title
(or an explicit ``work:``). Rows are only saved when something actually changed, so a second
import reports no changes and leaves every ``updated`` time alone.

Each stored value has one owner (issue 20). What a file gives is stored with its document: its
citations with the work's fields as it prints them, its glossary, its series list. The shared
records (a work's ``Reference``, a ``GlossaryTerm``) are derived from the documents by the models
(the earliest-published document's values), so importing files in any order, one at a time or
together, gives the same database, and importing one document never changes another's.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.db.models import Q

from briefings.editorial.services import start_import_revisions
from briefings.markdown import ResolvedCitation
from briefings.models import (
    Briefing,
    Citation,
    GlossaryTerm,
    KeyMessage,
    Quote,
    Reference,
    Role,
    Section,
    SectionSlugHistory,
    Series,
    Theme,
)
from briefings.models.references import WORK_FIELDS
from briefings.rendering import render, reusing

from .data import BriefingData, ContentError, ContentErrors, ThemeData
from .limits import max_length, section_slug, series_slug
from .parser import parse_briefing
from .prerender import prerender_import
from .report import Report
from .themes_file import parse_themes
from .validate import Validator, citing_texts, default_label, work_key

THEMES_FILE = "themes.yaml"


def discover(paths) -> tuple[list[Path], Path | None]:
    """Briefing files and the themes file named by the given paths (files or directories)."""
    files: list[Path] = []
    themes_file = None
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise ContentErrors([ContentError(str(path), 1, "no such file or directory")])
        candidates = sorted(path.iterdir()) if path.is_dir() else [path]
        for candidate in candidates:
            if candidate.name == THEMES_FILE:
                themes_file = candidate
            elif candidate.suffix == ".md":
                files.append(candidate)
            elif path.is_file():
                raise ContentErrors([ContentError(str(candidate), 1, "not a .md briefing file")])
    return files, themes_file


def _work(ref) -> dict:
    return {name: getattr(ref, name) for name in WORK_FIELDS}


class Importer:
    def __init__(self, paths):
        self.files, self.themes_file = discover(paths)
        self.errors: list[ContentError] = []
        self.briefings: list[BriefingData] = []
        self.themes: list[ThemeData] = []
        self.report = Report(files=len(self.files) + bool(self.themes_file))

    # ---- validation -------------------------------------------------------------------------

    def validate(self):
        if self.themes_file:
            self.themes, errors = parse_themes(self.themes_file)
            self.errors += errors
        for path in self.files:
            data, errors = parse_briefing(path)
            self.errors += errors
            if data is not None:
                self.briefings.append(data)
        validator = Validator(self.briefings, self.themes, self.themes_file)
        self.errors += validator.run()
        self.works = validator.works
        if self.errors:
            raise ContentErrors(self.errors)
        # One order whatever order the files were named in.
        self.briefings.sort(key=lambda data: data.slug)

    # ---- writing ----------------------------------------------------------------------------

    def run(self, dry_run=False) -> Report:
        self.validate()
        self.report.dry_run = dry_run
        # Every text is rendered first: the transaction below holds the database's write lock.
        rendered = prerender_import(self.briefings, work_key)
        with reusing(rendered), transaction.atomic():
            revisions = start_import_revisions(
                {data.slug: f"Imported from {Path(data.path).name}." for data in self.briefings}
            )
            before = self._shared_records()
            self._write()
            self._count_shared_changes(before, self._shared_records())
            self.report.revisions = revisions.record()
            if dry_run:
                transaction.set_rollback(True)
        return self.report

    def _shared_records(self) -> dict[str, dict]:
        """The shared rows this batch can change, by identity, with their derived values."""
        slugs = [data.slug for data in self.briefings]
        terms = {term.term for data in self.briefings for term in data.glossary}
        references = Reference.objects.filter(
            Q(key__in=list(self.works)) | Q(citations__briefing__slug__in=slugs)
        ).distinct()
        glossary = GlossaryTerm.objects.filter(
            Q(term__in=terms) | Q(defined_in__slug__in=slugs)
        ).distinct()
        return {
            "references": {r.key: tuple(_work(r).values()) for r in references},
            "glossary terms": {t.term: (t.expansion, t.note) for t in glossary},
        }

    def _count_shared_changes(self, before, after):
        for kind, old in before.items():
            new = after[kind]
            self.report.created[kind] += len(new.keys() - old.keys())
            self.report.deleted[kind] += len(old.keys() - new.keys())
            self.report.updated[kind] += sum(1 for k in new.keys() & old.keys() if new[k] != old[k])

    def _save_if_changed(self, obj, values: dict, kind: str, **save_kwargs):
        created = obj.pk is None
        changed = created or any(getattr(obj, name) != value for name, value in values.items())
        for name, value in values.items():
            setattr(obj, name, value)
        if changed:
            obj.save(**save_kwargs)
            (self.report.created if created else self.report.updated)[kind] += 1
        return changed

    def _write(self):
        for theme in self.themes:
            obj = Theme.objects.filter(slug=theme.slug).first() or Theme(slug=theme.slug)
            self._save_if_changed(
                obj, {"name": theme.name, "description": theme.description}, "themes"
            )
        themes = {t.slug: t for t in Theme.objects.all()}
        references = self._write_references()
        # Briefings and their citations first, so cross-document citations resolve while the
        # sections are rendered.
        briefings = {data.slug: self._write_briefing(data) for data in self.briefings}
        touched = set(
            Citation.objects.filter(briefing__in=briefings.values()).values_list(
                "reference_id", flat=True
            )
        )
        for data in self.briefings:
            self._write_citations(briefings[data.slug], data, references)
        # Each work these documents cite, or cited until now, takes its fields from its
        # earliest-published citation.
        touched |= {reference.pk for reference in references.values()}
        Reference.objects.filter(pk__in=touched).derive_from_citations()
        for data in self.briefings:
            briefing = briefings[data.slug]
            resolver = _CachedResolver(briefing)
            # The intro was first rendered before its citations existed.
            if briefing.intro_html != render(briefing.intro, resolver=resolver).html:
                briefing.save()
            self._write_sections(briefing, data, themes, resolver)
            self._write_key_messages(briefing, data, themes, resolver)
        citations_changed = any(
            counter["citations"]
            for counter in (self.report.created, self.report.updated, self.report.deleted)
        )
        if citations_changed:
            # Other documents' links to these documents' entries may lead elsewhere now.
            self._render_citing_documents(list(briefings))

    def _write_references(self) -> dict[str, Reference]:
        """Each cited work's shared row; a new one starts with this batch's fields, which are
        then derived from its citations once they are all written."""
        existing = Reference.objects.in_bulk(list(self.works), field_name="key")
        return {
            key: existing.get(key) or Reference.objects.create(key=key, **_work(ref))
            for key, ref in self.works.items()
        }

    def _write_briefing(self, data: BriefingData) -> Briefing:
        series = None
        if data.series:
            series, created = Series.objects.get_or_create(
                name=data.series, defaults={"slug": series_slug(data.series)}
            )
            self.report.created["series"] += created
        obj = Briefing.objects.filter(slug=data.slug).first() or Briefing(slug=data.slug)
        values = {
            "title": data.title,
            "short_title": data.short_title,
            "kind": data.kind,
            "status": data.status,
            "publisher": data.publisher,
            "authors": data.authors,
            "published_year": data.published_year,
            "published_month": data.published_month,
            "series": series,
            "series_title": data.series_title,
            "source_file": data.source,
            "has_reference_list": data.reference_list,
            "source_note": data.source_note,
            "also_available": data.also_available,
            "glossary": [
                {"term": t.term, "expansion": t.expansion, "note": t.note} for t in data.glossary
            ],
            "intro": data.intro,
        }
        created = obj.pk is None
        self._save_if_changed(obj, values, "briefings")
        roles = list(Role.objects.filter(slug__in=data.audiences))
        if {r.pk for r in roles} != set(obj.audiences.values_list("pk", flat=True)):
            obj.audiences.set(roles)
            if not created:
                self.report.updated["briefing audiences"] += 1
        return obj

    def _write_citations(self, briefing, data: BriefingData, references):
        wanted = {ref.key: ref for ref in data.references}
        existing = {c.local_key: c for c in briefing.citations.all()}
        # Entries the file dropped go first, and a kept entry that now names a work another
        # entry holds is made again, so no two entries ever hold the same work at once.
        holders = {c.reference_id: key for key, c in existing.items() if key in wanted}
        for key in list(existing):
            target = references[work_key(wanted[key])].pk if key in wanted else None
            if key in wanted and holders.get(target, key) == key:
                continue
            existing.pop(key).delete()
            self.report.deleted["citations"] += 1
        for order, ref in enumerate(data.references):
            obj = existing.get(ref.key) or Citation(briefing=briefing, local_key=ref.key)
            values = {
                "reference": references[work_key(ref)],
                "label": ref.label or default_label(ref),
                "entry": ref.text,
                "listed": True,
                "order": order,
                **_work(ref),
            }
            self._save_if_changed(obj, values, "citations", derive=False)

    def _write_sections(self, briefing, data: BriefingData, themes, resolver):
        wanted = {sec.key: sec for sec in data.sections}
        existing = {s.key: s for s in briefing.sections.all()}
        removed = [s for key, s in existing.items() if key not in wanted]
        if removed:
            # Kept sub-sections of a removed section are moved under their new parent below.
            Section.objects.filter(parent__in=removed).exclude(
                pk__in=[s.pk for s in removed]
            ).update(parent=None)
            for obj in sorted(removed, key=lambda s: s.parent_id is None):
                obj.delete()
                existing.pop(obj.key)
                self.report.deleted["sections"] += 1
        slugs = {key: section_slug(sec.slug, sec.heading, sec.key) for key, sec in wanted.items()}
        # Anchors that change move aside first, so sections can swap or pass on their anchors
        # without two ever holding one at once; each save then records the anchor it had.
        moving = [s for key, s in existing.items() if s.slug != slugs[key]]
        for obj in moving:
            Section.objects.filter(pk=obj.pk).update(slug=f"~{obj.pk}")
        saved = {}
        attribution_limit = max_length(Quote, "attribution")
        for order, sec in enumerate(data.sections):
            obj = existing.get(sec.key) or Section(briefing=briefing, key=sec.key)
            is_new = obj.pk is None
            values = {
                "heading": sec.heading,
                "slug": slugs[sec.key],
                "order": order,
                "body": sec.body,
                "parent": saved.get(sec.parent_key),
            }
            rendered = render(sec.body, resolver=resolver)
            if any(len(q.attribution) > attribution_limit for q in rendered.quotes):
                raise ContentErrors(
                    [
                        ContentError(
                            data.path,
                            sec.line,
                            f"a quote's attribution is over {attribution_limit} characters",
                        )
                    ]
                )
            if not self._save_if_changed(obj, values, "sections", rendered=rendered) and (
                obj.body_html != rendered.html
            ):
                obj.save(rendered=rendered)
                self.report.updated["sections (re-rendered)"] += 1
            self._set_themes(obj, sec.themes, themes, "section themes", is_new)
            saved[sec.key] = obj
        if moving:
            SectionSlugHistory.objects.filter(briefing=briefing, slug__in=slugs.values()).delete()

    def _write_key_messages(self, briefing, data: BriefingData, themes, resolver):
        wanted = {msg.key for msg in data.key_messages}
        existing = {k.key: k for k in briefing.key_messages.all()}
        for key in [key for key in existing if key not in wanted]:
            existing.pop(key).delete()
            self.report.deleted["key messages"] += 1
        for order, msg in enumerate(data.key_messages):
            obj = existing.get(msg.key) or KeyMessage(briefing=briefing, key=msg.key)
            is_new = obj.pk is None
            values = {"text": msg.text, "order": order}
            if not self._save_if_changed(obj, values, "key messages", resolver=resolver) and (
                obj.text_html != render(msg.text, resolver=resolver, inline=True).html
            ):
                obj.save(resolver=resolver)
                self.report.updated["key messages (re-rendered)"] += 1
            self._set_themes(obj, msg.themes, themes, "key message themes", is_new)

    def _set_themes(self, obj, slugs, themes, kind, is_new=False):
        current = [] if is_new else sorted(t.slug for t in obj.themes.all())
        if is_new:
            # A new section's themes are part of creating it, not a change of their own; it
            # has none yet, so there is nothing to clear first.
            obj.themes.add(*[themes[s] for s in slugs])
        elif current != sorted(slugs):
            obj.themes.set([themes[s] for s in slugs])
            self.report.updated[kind] += 1

    def _render_citing_documents(self, slugs):
        """Render again the stored documents that cite these ones (``cite:SLUG/KEY``): their
        links follow the entries they cite. Nothing is saved unless the HTML changes."""
        citing = {slug for slug, _ in citing_texts(slugs, slugs)}
        for briefing in Briefing.objects.filter(slug__in=citing):
            resolver = _CachedResolver(briefing)
            if briefing.intro_html != render(briefing.intro, resolver=resolver).html:
                briefing.save()
                self.report.updated["introductions (re-rendered)"] += 1
            for section in briefing.sections.filter(body__contains="](cite:"):
                before = section.body_html
                if render(section.body, resolver=resolver).html != before:
                    section.save(resolver=resolver)
                    self.report.updated["sections (re-rendered)"] += 1
            for message in briefing.key_messages.filter(text__contains="](cite:"):
                html = render(message.text, resolver=resolver, inline=True).html
                if html != message.text_html:
                    message.save(resolver=resolver)
                    self.report.updated["key messages (re-rendered)"] += 1


class _CachedResolver:
    """Resolve citations for one briefing with a single query per briefing."""

    def __init__(self, briefing):
        self.resolve = briefing.citation_resolver()
        self.cache: dict[str, ResolvedCitation | None] = {}

    def __call__(self, key):
        if key not in self.cache:
            self.cache[key] = self.resolve(key)
        return self.cache[key]
