"""Check parsed files against each other and against the database, before anything is written.

The parser checks each file on its own; this checks what only the whole batch and the documents
already stored can tell: unknown roles and themes, citations of other documents, anchors and
slugs in the form they will be stored in, and the rules the documents share (a glossary term has
one expansion everywhere; a document another one cites keeps the entries it cites). Every
constraint the database would enforce is checked here first, so an accepted batch always writes.
"""

from __future__ import annotations

import re
from collections import Counter

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import slugify

from briefings.markdown import check_length
from briefings.models import (
    Briefing,
    Citation,
    KeyMessage,
    Reference,
    Role,
    SearchEntry,
    Section,
    Series,
    Theme,
)

from .data import BriefingData, ContentError, ReferenceData, ThemeData
from .limits import max_length, section_slug, series_slug

CITE_RE = re.compile(r"\]\(cite:([^)\s]+)\)")
REFERENCE_ANCHOR = "ref-"


def work_key(ref: ReferenceData) -> str:
    """A cited work's identity across briefings: first author, year and the start of the title.

    Cut to fit both its column and the anchor it makes on pages and in the search index
    (``ref-KEY``)."""
    limit = min(
        max_length(Reference, "key"), max_length(SearchEntry, "anchor") - len(REFERENCE_ANCHOR)
    )
    if ref.work:
        return slugify(ref.work)[:limit]
    # "Coy, M." -> Coy; a corporate author ("Research in Practice and ...") has no comma.
    first_author = ref.authors.split(",")[0]
    year = re.sub(r"[^0-9]", "", ref.year)[:4]
    title_words = re.findall(r"[a-z0-9]+", ref.title.lower().replace("'", ""))[:10]
    return slugify(f"{first_author} {year} {' '.join(title_words)}")[:limit]


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


def citing_texts(exclude_slugs, cited_slugs) -> list[tuple[str, str]]:
    """(briefing slug, text) of every stored text outside ``exclude_slugs`` that cites one of
    ``cited_slugs`` with ``cite:SLUG/KEY``."""
    texts = []
    for model, field, owner in (
        (Section, "body", "briefing__slug"),
        (KeyMessage, "text", "briefing__slug"),
        (Briefing, "intro", "slug"),
    ):
        wanted = Q()
        for slug in cited_slugs:
            wanted |= Q(**{f"{field}__contains": f"](cite:{slug}/"})
        if wanted:
            rows = model.objects.filter(wanted).exclude(**{f"{owner}__in": exclude_slugs})
            texts += list(rows.values_list(owner, field))
    return texts


class Validator:
    def __init__(self, briefings: list[BriefingData], themes: list[ThemeData], themes_path=None):
        self.briefings = briefings
        self.themes = themes
        self.themes_path = themes_path
        self.errors: list[ContentError] = []
        self.works: dict[str, ReferenceData] = {}
        self.stored_citations: set[str] | None = None  # SLUG/KEY of documents outside the batch

    def _err(self, data, line, message):
        self.errors.append(ContentError(data.path, line, message))

    def run(self) -> list[ContentError]:
        self._check_themes()
        self._check_references()
        self._check_documents()
        self._check_glossary()
        self._check_series()
        self._check_cited_by_others()
        return self.errors

    def _check_themes(self):
        taken = {name: slug for slug, name in Theme.objects.values_list("slug", "name")}
        for theme in self.themes:
            other = taken.get(theme.name)
            if other is not None and other != theme.slug:
                self.errors.append(
                    ContentError(
                        str(self.themes_path),
                        theme.line,
                        f"the theme '{other}' already has the name {theme.name!r}",
                    )
                )

    def _check_references(self):
        label_limit = max_length(Citation, "label")
        for data in self.briefings:
            keys: set[str] = set()
            works: dict[str, str] = {}
            for ref in data.references:
                if ref.key in keys:
                    self._err(data, ref.line, f"duplicate reference key '{ref.key}'")
                keys.add(ref.key)
                key = work_key(ref)
                if not key:
                    self._err(data, ref.line, f"'{ref.key}' needs a title or a work: to name it")
                    continue
                if key in works:
                    self._err(data, ref.line, f"'{ref.key}' is the same work as '{works[key]}'")
                works.setdefault(key, ref.key)
                self.works.setdefault(key, ref)
                label = ref.label or default_label(ref)
                if len(label) > label_limit:
                    self._err(
                        data,
                        ref.line,
                        f"the label {label[:40]!r}… is over {label_limit} characters: add label:",
                    )
            if not data.reference_list and data.references:
                self._err(
                    data,
                    data.lines["references"],
                    "reference_list is false, so 'references' must be empty",
                )

    def _check_documents(self):
        roles = set(Role.objects.values_list("slug", flat=True))
        theme_slugs = {t.slug for t in self.themes} | set(
            Theme.objects.values_list("slug", flat=True)
        )
        slugs = Counter(d.slug for d in self.briefings)
        for data in self.briefings:
            self._check_anchors(data)
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
            self._check_texts(data)

    def _check_anchors(self, data):
        """Sections' anchors as they will be stored (cut to the column's length) are unique."""
        anchors: dict[str, int] = {}
        for sec in data.sections:
            anchor = section_slug(sec.slug, sec.heading, sec.key)
            if anchor in anchors:
                self._err(
                    data,
                    sec.line,
                    f"two sections would share the anchor '{anchor}' "
                    f"(see line {anchors[anchor]}): add slug=...",
                )
            anchors.setdefault(anchor, sec.line)

    def _check_texts(self, data):
        batch = {d.slug: d for d in self.briefings}
        if self.stored_citations is None:
            self.stored_citations = {
                f"{slug}/{key}"
                for slug, key in Citation.objects.exclude(briefing__slug__in=batch).values_list(
                    "briefing__slug", "local_key"
                )
            }
        stored = self.stored_citations
        local_keys = {r.key for r in data.references}
        texts = [(data.lines["title"], data.intro), (data.lines["source_note"], data.source_note)]
        texts += [(s.line, s.body) for s in data.sections]
        texts += [(k.line, k.text) for k in data.key_messages]
        texts += [(r.line, r.text) for r in data.references]
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
                        any(r.key == local for r in other.references) if other else key in stored
                    )
                    if not found:
                        self._err(
                            data,
                            line,
                            f"citation 'cite:{key}' matches no reference of document '{slug}'",
                        )
                elif key not in local_keys:
                    self._err(data, line, f"citation 'cite:{key}' is not in this file's references")

    def _check_glossary(self):
        """A term has one expansion everywhere: in this batch and in the documents stored."""
        batch = {d.slug for d in self.briefings}
        seen: dict[str, tuple[str, str]] = {}
        for slug, glossary in Briefing.objects.exclude(slug__in=batch).values_list(
            "slug", "glossary"
        ):
            for entry in glossary or []:
                if isinstance(entry, dict) and entry.get("term"):
                    seen.setdefault(
                        entry["term"], (entry.get("expansion", ""), f"document '{slug}'")
                    )
        for data in self.briefings:
            for term in data.glossary:
                known = seen.get(term.term)
                if known and known[0] != term.expansion:
                    self._err(
                        data,
                        term.line,
                        f"glossary term '{term.term}' is expanded as {term.expansion!r} here "
                        f"but as {known[0]!r} in {known[1]}",
                    )
                seen.setdefault(term.term, (term.expansion, f"{data.path}:{term.line}"))

    def _check_series(self):
        """Two series names must not share a slug (the slug is made from the name)."""
        by_slug = dict(Series.objects.values_list("slug", "name"))
        for data in self.briefings:
            if not data.series:
                continue
            slug = series_slug(data.series)
            if not slug:
                self._err(data, data.lines["series"], "the series name needs letters or digits")
                continue
            other = by_slug.setdefault(slug, data.series)
            if other != data.series:
                self._err(
                    data,
                    data.lines["series"],
                    f"the series {other!r} has the same address ({slug}); use the same name",
                )

    def _check_cited_by_others(self):
        """A document other stored documents cite keeps the entries they cite."""
        batch = {d.slug: d for d in self.briefings}
        reported = set()
        for citing, text in citing_texts(list(batch), list(batch)):
            for key in CITE_RE.findall(text):
                slug, _, local = key.partition("/")
                data = batch.get(slug)
                if (citing, key) in reported or data is None:
                    continue
                reported.add((citing, key))
                if not any(r.key == local for r in data.references):
                    self._err(
                        data,
                        data.lines["references"],
                        f"document '{citing}' cites 'cite:{key}', which this file no longer lists",
                    )
