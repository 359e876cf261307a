"""Load parsed briefing files into the database: validate everything first, then write atomically.

Identities come from the files: a briefing by slug, a section or key message by its key within the
briefing, a theme by slug, a glossary term by term, and a cited work by its author, year and title
(or an explicit ``work:``). Rows are only saved when something actually changed, so a second
import reports no changes and leaves every ``updated`` time alone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from briefings.editorial.services import start_import_revisions
from briefings.markdown import ResolvedCitation, check_length
from briefings.models import (
    Briefing,
    Citation,
    GlossaryTerm,
    KeyMessage,
    Reference,
    Role,
    Section,
    Series,
    SeriesTitle,
    Theme,
)
from briefings.rendering import render, reusing

from .parser import (
    BriefingData,
    ContentError,
    ContentErrors,
    ReferenceData,
    ThemeData,
    parse_briefing,
    parse_themes,
)
from .prerender import prerender_import

THEMES_FILE = "themes.yaml"
CITE_RE = re.compile(r"\]\(cite:([^)\s]+)\)")


@dataclass
class Report:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    revisions: int = 0  # documents changed, each recorded as a revision to undo in the admin

    @property
    def changed(self):
        return bool(self.created or self.updated or self.deleted)

    def lines(self):
        out = []
        for label, counter in (
            ("created", self.created),
            ("updated", self.updated),
            ("deleted", self.deleted),
        ):
            for kind, count in sorted(counter.items()):
                out.append(f"{label} {count} {kind}")
        if self.revisions:
            out.append(f"recorded a revision of {self.revisions} document(s) in their history")
        return out or ["no changes"]


def work_key(ref: ReferenceData) -> str:
    """A cited work's identity across briefings: first author, year and the start of the title."""
    if ref.work:
        return slugify(ref.work)[:200]
    # "Coy, M." -> Coy; a corporate author ("Research in Practice and ...") has no comma.
    first_author = ref.authors.split(",")[0]
    year = re.sub(r"[^0-9]", "", ref.year)[:4]
    title_words = re.findall(r"[a-z0-9]+", ref.title.lower().replace("'", ""))[:10]
    return slugify(f"{first_author} {year} {' '.join(title_words)}")[:200]


def default_label(ref: ReferenceData) -> str:
    names = [n.strip() for n in re.split(r"\.,|\.\s+and\b|,\s*and\b|\band\b|\bwith\b", ref.authors)]
    surnames = [n.split(",")[0].strip() for n in names if n.strip()]
    if len(surnames) >= 3 or " with " in ref.authors:
        who = f"{surnames[0]} et al."
    elif len(surnames) == 2:
        who = f"{surnames[0]} and {surnames[1]}"
    else:
        who = surnames[0] if surnames else ref.authors
    return f"{who}, {ref.year}"


def discover(paths) -> tuple[list[Path], Path | None]:
    """Briefing files and the themes file named by the given paths (files or directories)."""
    files: list[Path] = []
    themes_file = None
    for raw in paths:
        path = Path(raw)
        candidates = sorted(path.iterdir()) if path.is_dir() else [path]
        for candidate in candidates:
            if candidate.name == THEMES_FILE:
                themes_file = candidate
            elif candidate.suffix == ".md":
                files.append(candidate)
            elif path.is_file():
                raise ContentErrors([ContentError(str(candidate), 1, "not a .md briefing file")])
        if not path.exists():
            raise ContentErrors([ContentError(str(path), 1, "no such file or directory")])
    return files, themes_file


class Importer:
    def __init__(self, paths):
        self.files, self.themes_file = discover(paths)
        self.errors: list[ContentError] = []
        self.briefings: list[BriefingData] = []
        self.themes: list[ThemeData] = []
        self.report = Report()

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
        self._check_references()
        self._check_against_database()
        if self.errors:
            raise ContentErrors(self.errors)

    def _err(self, data, line, message):
        self.errors.append(ContentError(data.path, line, message))

    def _check_references(self):
        self.works: dict[str, tuple[BriefingData, ReferenceData]] = {}
        for data in self.briefings:
            local = {}
            for ref in data.references:
                if ref.key in local:
                    self._err(data, ref.line, f"duplicate reference key '{ref.key}'")
                local[ref.key] = ref
                key = work_key(ref)
                same_work = [work_key(r) for r in local.values() if r is not ref]
                if key in same_work:
                    self._err(data, ref.line, f"'{ref.key}' is the same work as another entry")
                self.works.setdefault(key, (data, ref))
            if not data.reference_list and data.references:
                self._err(
                    data,
                    data.lines["references"],
                    "reference_list is false, so 'references' must be empty",
                )

    def _check_against_database(self):
        roles = set(Role.objects.values_list("slug", flat=True))
        theme_slugs = {t.slug for t in self.themes} | set(
            Theme.objects.values_list("slug", flat=True)
        )
        batch = {d.slug: d for d in self.briefings}
        slugs = Counter(d.slug for d in self.briefings)
        db_citations = {
            f"{slug}/{key}"
            for slug, key in Citation.objects.exclude(briefing__slug__in=batch).values_list(
                "briefing__slug", "local_key"
            )
        }
        glossary: dict[str, tuple[str, BriefingData, int]] = {}
        for data in self.briefings:
            anchors: dict[str, int] = {}
            for sec in data.sections:
                anchor = sec.slug or slugify(sec.heading)
                if anchor in anchors:
                    self._err(
                        data,
                        sec.line,
                        f"two sections would share the anchor '{anchor}' "
                        f"(see line {anchors[anchor]}): add slug=...",
                    )
                anchors.setdefault(anchor, sec.line)
            if slugs[data.slug] > 1:
                self._err(data, data.lines["slug"], f"another file also uses slug '{data.slug}'")
            if data.kind not in Briefing.Kind.values:
                self._err(
                    data,
                    data.lines["kind"],
                    f"kind must be one of {', '.join(Briefing.Kind.values)}, got {data.kind!r}",
                )
            if data.status not in ("draft", "published"):
                self._err(data, data.lines["status"], "status must be draft or published")
            for role in data.audiences:
                if role not in roles:
                    self._err(
                        data,
                        data.lines["audiences"],
                        f"unknown audience '{role}' (known: {', '.join(sorted(roles))})",
                    )
            if data.series and not data.series_title:
                self._err(data, data.lines["series"], "a briefing in a series needs a series_title")
            for entry in [*data.sections, *data.key_messages]:
                for theme in entry.themes:
                    if theme not in theme_slugs:
                        self._err(data, entry.line, f"unknown theme '{theme}'")
            local_keys = {r.key for r in data.references}
            texts = [(data.lines["title"], data.intro)]
            texts += [(s.line, s.body) for s in data.sections]
            texts += [(k.line, k.text) for k in data.key_messages]
            for line, text in texts:
                try:
                    check_length(text)
                except ValidationError as exc:
                    self._err(data, line, exc.messages[0])
                for key in CITE_RE.findall(text):
                    if "/" in key:
                        slug, local = key.split("/", 1)
                        other = batch.get(slug)
                        found = (
                            any(r.key == local for r in other.references)
                            if other
                            else key in db_citations
                        )
                        if not found:
                            self._err(
                                data,
                                line,
                                f"citation 'cite:{key}' matches no reference of document '{slug}'",
                            )
                    elif key not in local_keys:
                        self._err(
                            data, line, f"citation 'cite:{key}' is not in this file's references"
                        )
            for term in data.glossary:
                seen = glossary.get(term.term)
                if seen and seen[0] != term.expansion:
                    self._err(
                        data,
                        term.line,
                        f"glossary term '{term.term}' is expanded as {term.expansion!r} here "
                        f"but as {seen[0]!r} in {seen[1].path}:{seen[2]}",
                    )
                glossary.setdefault(term.term, (term.expansion, data, term.line))

    # ---- writing ----------------------------------------------------------------------------

    def run(self, dry_run=False) -> Report:
        self.validate()
        # Every text is rendered first: the transaction below holds the database's write lock.
        rendered = prerender_import(self.briefings, work_key)
        with reusing(rendered), transaction.atomic():
            revisions = start_import_revisions(
                {data.slug: f"Imported from {Path(data.path).name}." for data in self.briefings}
            )
            self._write()
            self.report.revisions = revisions.record()
            if dry_run:
                transaction.set_rollback(True)
        return self.report

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
        seen_terms = set()
        for data in self.briefings:
            for term in data.glossary:
                if term.term in seen_terms:
                    continue
                seen_terms.add(term.term)
                obj = GlossaryTerm.objects.filter(term=term.term).first() or GlossaryTerm(
                    term=term.term
                )
                self._save_if_changed(
                    obj, {"expansion": term.expansion, "note": term.note}, "glossary terms"
                )
        references = self._write_references()
        # Briefings and their citations first, so cross-document citations resolve while the
        # sections are rendered.
        briefings = {data.slug: self._write_briefing(data) for data in self.briefings}
        for data in self.briefings:
            self._write_citations(briefings[data.slug], data, references)
        self._write_series()
        for data in self.briefings:
            briefing = briefings[data.slug]
            resolver = _CachedResolver(briefing)
            # The intro was first rendered before its citations existed.
            if briefing.intro_html != render(briefing.intro, resolver=resolver).html:
                briefing.save()
            self._write_sections(briefing, data, themes, resolver)
            self._write_key_messages(briefing, data, themes, resolver)

    def _write_references(self):
        references = {}
        for key, (_data, ref) in self.works.items():
            obj = Reference.objects.filter(key=key).first() or Reference(key=key)
            self._save_if_changed(
                obj,
                {
                    "authors": ref.authors,
                    "year": ref.year,
                    "title": ref.title,
                    "publisher": ref.publisher,
                    "journal": ref.journal,
                    "url": ref.url,
                },
                "references",
            )
            references[key] = obj
        return references

    def _write_briefing(self, data: BriefingData) -> Briefing:
        series = None
        if data.series:
            series, _ = Series.objects.get_or_create(
                name=data.series, defaults={"slug": slugify(data.series)[:200]}
            )
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
            "intro": data.intro,
        }
        self._save_if_changed(obj, values, "briefings")
        roles = list(Role.objects.filter(slug__in=data.audiences))
        if {r.pk for r in roles} != set(obj.audiences.values_list("pk", flat=True)):
            obj.audiences.set(roles)
            if not self.report.created["briefings"]:
                self.report.updated["briefing audiences"] += 1
        return obj

    def _write_citations(self, briefing, data: BriefingData, references):
        existing = {c.local_key: c for c in briefing.citations.all()}
        wanted = set()
        for order, ref in enumerate(data.references):
            wanted.add(ref.key)
            obj = existing.get(ref.key) or Citation(briefing=briefing, local_key=ref.key)
            self._save_if_changed(
                obj,
                {
                    "reference": references[work_key(ref)],
                    "label": ref.label or default_label(ref),
                    "entry": ref.text,
                    "listed": True,
                    "order": order,
                },
                "citations",
            )
        for key, obj in existing.items():
            if key not in wanted:
                obj.delete()
                self.report.deleted["citations"] += 1

    def _write_series(self):
        by_series: dict[int, list[str]] = {}
        series_objs = {}
        for data in self.briefings:
            if not data.series:
                continue
            series = Series.objects.get(name=data.series)
            series_objs[series.pk] = series
            titles = by_series.setdefault(series.pk, [])
            for title in [*data.also_available, data.series_title]:
                if title and title not in titles:
                    titles.append(title)
        for pk, titles in by_series.items():
            series = series_objs[pk]
            existing = {t.title: t for t in series.titles.all()}
            # Titles already known but not in this batch keep their place after the batch's.
            for title in existing:
                if title not in titles:
                    titles.append(title)
            for order, title in enumerate(titles):
                obj = existing.get(title) or SeriesTitle(series=series, title=title)
                self._save_if_changed(obj, {"order": order}, "series titles")

    def _write_sections(self, briefing, data: BriefingData, themes, resolver):
        existing = {s.key: s for s in briefing.sections.all()}
        saved = {}
        for order, sec in enumerate(data.sections):
            obj = existing.get(sec.key) or Section(briefing=briefing, key=sec.key)
            is_new = obj.pk is None
            slug = sec.slug or slugify(sec.heading)[:120] or sec.key
            parent = saved.get(sec.parent_key)
            values = {
                "heading": sec.heading,
                "slug": slug,
                "order": order,
                "body": sec.body,
                "parent": parent,
            }
            rendered_html = render(sec.body, resolver=resolver).html
            if not self._save_if_changed(obj, values, "sections", resolver=resolver) and (
                obj.body_html != rendered_html
            ):
                obj.save(resolver=resolver)
                self.report.updated["sections (re-rendered)"] += 1
            self._set_themes(obj, sec.themes, themes, "section themes", is_new)
            saved[sec.key] = obj
        for key, obj in existing.items():
            if key not in saved:
                obj.delete()
                self.report.deleted["sections"] += 1

    def _write_key_messages(self, briefing, data: BriefingData, themes, resolver):
        existing = {k.key: k for k in briefing.key_messages.all()}
        wanted = set()
        for order, msg in enumerate(data.key_messages):
            wanted.add(msg.key)
            obj = existing.get(msg.key) or KeyMessage(briefing=briefing, key=msg.key)
            is_new = obj.pk is None
            self._save_if_changed(
                obj, {"text": msg.text, "order": order}, "key messages", resolver=resolver
            )
            self._set_themes(obj, msg.themes, themes, "key message themes", is_new)
        for key, obj in existing.items():
            if key not in wanted:
                obj.delete()
                self.report.deleted["key messages"] += 1

    def _set_themes(self, obj, slugs, themes, kind, is_new=False):
        current = [] if is_new else sorted(t.slug for t in obj.themes.all())
        if current != sorted(slugs):
            obj.themes.set([themes[s] for s in slugs])
            # A new section's themes are part of creating it, not an update.
            (self.report.created if is_new else self.report.updated)[kind] += 1


class _CachedResolver:
    """Resolve citations for one briefing with a single query per briefing."""

    def __init__(self, briefing):
        self.resolve = briefing.citation_resolver()
        self.cache: dict[str, ResolvedCitation | None] = {}

    def __call__(self, key):
        if key not in self.cache:
            self.cache[key] = self.resolve(key)
        return self.cache[key]
