"""Build the search index rows from the content, and keep them in step with it.

Rows are built from the *rendered* HTML the site shows (so citations read "Coy, 2009", not
Markdown link syntax) and carry only text; where a row links to is worked out when searching, from
the live slugs, so renaming a document never leaves stale links in the index.

The functions take the model registry as a parameter so migration 0004 can fill the index with
its historical models; everything else uses the live ones.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, fields
from html.parser import HTMLParser

from django.apps import apps as global_apps
from django.db import connections, transaction
from django.utils.text import slugify

from .engines import backend_for
from .query import clean_text
from .schema import (
    FACET_DOCUMENT,
    FACET_EVERY_ROLE,
    FACET_ROLE,
    FACET_THEME,
    TEXT_COLUMNS,
    kind_word,
)

# Elements that end a run of words: their text is not run together with the next element's.
BLOCK_TAGS = {
    "p", "li", "ul", "ol", "blockquote", "figure", "figcaption", "h1", "h2", "h3", "h4", "h5",
    "h6", "br", "table", "tr", "td", "th", "div", "dd", "dt",
}  # fmt: skip
SPACE_RE = re.compile(r"\s+")
QUOTE_MARKS = '"“”'

KEY_MESSAGE_POSITION = 0
SECTION_POSITION = 1_000
CITATION_POSITION = 1_000_000
BATCH = 500


def plain(text: str) -> str:
    """Text safe to index and to highlight: no control characters, single spaces."""
    return SPACE_RE.sub(" ", clean_text(text)).strip()


class _Text(HTMLParser):
    """The words of sanitised HTML, with the young people's quotes it contains picked out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.quotes: list[tuple[list[str], list[str]]] = []
        self._in_quote = 0
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append(" ")
        if tag == "figure" and "quote" in (dict(attrs).get("class") or "").split():
            self._in_quote += 1
            self.quotes.append(([], []))
        elif tag == "figcaption" and self._in_quote:
            self._in_caption = True

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.parts.append(" ")
            if self._in_quote:
                self.quotes[-1][1 if self._in_caption else 0].append(" ")
        if tag == "figcaption":
            self._in_caption = False
        elif tag == "figure" and self._in_quote:
            self._in_quote -= 1

    def handle_data(self, data):
        self.parts.append(data)
        if self._in_quote:
            self.quotes[-1][1 if self._in_caption else 0].append(data)


def html_text(html: str) -> tuple[str, list[tuple[str, str]]]:
    """Plain text of HTML and its quotes as (words, attribution) pairs."""
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    quotes = [(plain("".join(q)), plain("".join(a))) for q, a in parser.quotes]
    return plain("".join(parser.parts)), [q for q in quotes if q[0]]


TEXT_FIELDS = ("title", "anchor", "heading", "summary", "body", "extra")


@dataclass
class Doc:
    """One index row as it should be."""

    kind: str
    object_id: int
    part: int = 0
    briefing_id: int | None = None
    section_id: int | None = None
    position: int = 0
    title: str = ""
    anchor: str = ""
    heading: str = ""
    summary: str = ""
    body: str = ""
    extra: str = ""
    facets: str = ""

    def __post_init__(self):
        # Every text reaches the index through clean_text, whoever built the row: it removes the
        # private-use mark that begins a filter word, so no text an editor writes (a theme name,
        # a heading) can pass for a role, theme, document or kind filter.
        for name in TEXT_FIELDS:
            setattr(self, name, clean_text(getattr(self, name)))

    @property
    def identity(self):
        return (self.kind, self.object_id, self.part)

    def values(self):
        return {f.name: getattr(self, f.name) for f in fields(self)}


FIELDS = [f.name for f in fields(Doc) if f.name not in ("kind", "object_id", "part")]


def _shorten(text: str, limit: int = 90) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def facet_tokens(kind: str, briefing_id=None, roles=(), themes=()) -> str:
    """The row's filter values as index words (see SQLiteBackend.filtering), so a filtered search
    is an intersection inside the full-text index rather than a check of every match."""
    tokens = [kind_word(kind)]
    if briefing_id is None:
        tokens.append(FACET_EVERY_ROLE)  # a glossary term is for every role
    else:
        tokens.append(f"{FACET_DOCUMENT}{briefing_id}")
        tokens += [f"{FACET_ROLE}{role}" for role in sorted(roles)]
    tokens += [f"{FACET_THEME}{theme}" for theme in sorted(themes)]
    return " ".join(tokens)


def section_docs(section: dict, themes: list[tuple[str, int]], roles=()) -> list[Doc]:
    """A section's row and one row per young person's quote in it.

    A sub-section also carries its parent's heading, weakly: "4.6 What are the vulnerabilities?"
    is about the CSE its parent section names even where its own text does not say so.
    """
    text, quotes = html_text(section["body_html"])
    context = [plain(section["parent__heading"])] if section.get("parent__heading") else []
    names = [name for name, _ in themes]
    theme_ids = [pk for _, pk in themes]
    position = SECTION_POSITION + section["order"] * 100
    docs = [
        Doc(
            kind="section",
            object_id=section["id"],
            briefing_id=section["briefing_id"],
            section_id=section["id"],
            position=position,
            title=plain(section["heading"]),
            heading=plain(section["heading"]),
            body=text,
            extra=" ".join([*context, *names]),
            facets=facet_tokens("section", section["briefing_id"], roles, theme_ids),
        )
    ]
    for order, (words, attribution) in enumerate(quotes):
        docs.append(
            Doc(
                kind="quote",
                object_id=section["id"],
                part=order,
                briefing_id=section["briefing_id"],
                section_id=section["id"],
                position=position + order + 1,
                # The quote's own marks would double the title's (the text keeps them).
                title=f"“{_shorten(words.strip(QUOTE_MARKS), 70)}”",
                body=words,
                extra=" ".join([attribution, *names]),
                facets=facet_tokens("quote", section["briefing_id"], roles, theme_ids),
            )
        )
    return docs


def key_message_doc(message: dict, themes: list[tuple[str, int]], roles=()) -> Doc:
    text, _ = html_text(message["text_html"])
    return Doc(
        kind="key-message",
        object_id=message["id"],
        briefing_id=message["briefing_id"],
        position=KEY_MESSAGE_POSITION + message["order"],
        title=_shorten(text),
        anchor=f"km-{message['key']}",
        summary=text,
        extra=" ".join(name for name, _ in themes),
        facets=facet_tokens("key-message", message["briefing_id"], roles, [pk for _, pk in themes]),
    )


def citation_doc(citation: dict, roles=()) -> Doc:
    entry, _ = html_text(citation["entry_html"])
    title = plain(citation["title"]) or entry
    return Doc(
        kind="reference",
        object_id=citation["id"],
        briefing_id=citation["briefing_id"],
        position=CITATION_POSITION + citation["order"],
        title=_shorten(title, 160),
        anchor=f"ref-{citation['reference__key']}",
        # The entry as this document prints it, and the work's fields as this document gives
        # them (a document's search row never shows another document's version of the work).
        extra=" ".join(
            [
                entry,
                plain(citation["title"]),
                plain(citation["authors"]),
                plain(citation["year"]),
                plain(citation["journal"]),
                plain(citation["publisher"]),
            ]
        ),
        facets=facet_tokens("reference", citation["briefing_id"], roles),
    )


def glossary_doc(term: dict) -> Doc:
    return Doc(
        kind="glossary",
        object_id=term["id"],
        title=plain(term["term"]),
        anchor=f"term-{slugify(term['term'])}",
        heading=plain(term["term"]),
        summary=plain(term["expansion"]),
        body=plain(term["note"]),
        facets=facet_tokens("glossary"),
    )


# --- loading rows -------------------------------------------------------------------------------

SECTION_VALUES = ("id", "briefing_id", "heading", "body_html", "order", "parent__heading")
KEY_MESSAGE_VALUES = ("id", "briefing_id", "key", "text_html", "order")
CITATION_VALUES = (
    "id",
    "briefing_id",
    "entry_html",
    "order",
    "listed",
    "reference__key",
    "title",
    "authors",
    "year",
    "journal",
    "publisher",
)


def _themes(through, owners) -> dict[int, list[tuple[str, int]]]:
    """Each owner's themes as (name, id), by name."""
    themes = defaultdict(list)
    rows = (
        through.objects.filter(content_object__in=owners)
        .order_by("tag__name")
        .values_list("content_object_id", "tag__name", "tag_id")
    )
    for owner_id, name, pk in rows:
        themes[owner_id].append((name, pk))
    return themes


def _audiences(rows, apps) -> dict[int, list[int]]:
    """The role ids of the documents the rows belong to."""
    through = apps.get_model("briefings", "Briefing").audiences.through
    briefing_ids = {row["briefing_id"] for row in rows}
    roles = defaultdict(list)
    pairs = through.objects.filter(briefing_id__in=briefing_ids).values_list(
        "briefing_id", "role_id"
    )
    for briefing_id, role_id in pairs:
        roles[briefing_id].append(role_id)
    return roles


def docs_for_sections(sections, apps=global_apps) -> list[Doc]:
    themes = _themes(apps.get_model("briefings", "ThemedSection"), sections.values("pk"))
    rows = list(sections.values(*SECTION_VALUES))
    roles = _audiences(rows, apps)
    return [
        doc
        for row in rows
        for doc in section_docs(row, themes.get(row["id"], []), roles[row["briefing_id"]])
    ]


def docs_for_key_messages(messages, apps=global_apps) -> list[Doc]:
    themes = _themes(apps.get_model("briefings", "ThemedKeyMessage"), messages.values("pk"))
    rows = list(messages.values(*KEY_MESSAGE_VALUES))
    roles = _audiences(rows, apps)
    return [
        key_message_doc(row, themes.get(row["id"], []), roles[row["briefing_id"]]) for row in rows
    ]


def _citation_values(model) -> list[str]:
    """CITATION_VALUES; before migration 0011 a citation's work fields were its reference's."""
    own = {f.name for f in model._meta.concrete_fields}
    work = ("title", "authors", "year", "journal", "publisher")
    return [f"reference__{n}" if n in work and n not in own else n for n in CITATION_VALUES]


def docs_for_citations(citations, apps=global_apps) -> list[Doc]:
    names = _citation_values(citations.model)
    rows = [dict(zip(CITATION_VALUES, row, strict=True)) for row in citations.values_list(*names)]
    roles = _audiences(rows, apps)
    return [citation_doc(row, roles[row["briefing_id"]]) for row in rows]


def public_terms(terms):
    """The terms readers may see (GlossaryTerm.objects.public(), issue 14 item 5), also for a
    migration's historical models, which lack the queryset method (and, before migration 0012,
    the documents that define a term)."""
    if hasattr(terms, "public"):
        return terms.public()
    if not any(f.name == "defined_in" for f in terms.model._meta.get_fields()):
        return terms
    from django.db.models import Exists, OuterRef, Q
    from django.utils import timezone

    definitions = terms.model.defined_in.through.objects.filter(glossaryterm=OuterRef("pk"))
    published = Q(briefing__status="published") & (
        Q(briefing__publish_from__isnull=True) | Q(briefing__publish_from__lte=timezone.now())
    )
    return terms.filter(~Exists(definitions) | Exists(definitions.filter(published)))


def docs_for_glossary(terms) -> list[Doc]:
    rows = public_terms(terms).values("id", "term", "expansion", "note")
    return [glossary_doc(row) for row in rows]


# --- writing ------------------------------------------------------------------------------------


def entry_model(apps=global_apps):
    return apps.get_model("briefings", "SearchEntry")


def _fields(entries) -> list[str]:
    """The Doc fields the row model has: a migration's historical model may lack later ones."""
    present = {field.attname for field in entries._meta.concrete_fields}
    return [name for name in FIELDS if name in present]


def _row(entries, doc: Doc, names: list[str]):
    values = doc.values()
    return entries(**{name: values[name] for name in ("kind", "object_id", "part", *names)})


def texts(row) -> tuple[str, ...]:
    """The indexed texts of a row or a Doc, strongest first."""
    return tuple(getattr(row, column) for column in TEXT_COLUMNS)


def sync(docs: list[Doc], scope, apps=global_apps) -> int:
    """Make the rows in `scope` (a SearchEntry queryset) exactly `docs`; return rows written.

    Unchanged rows are left alone, so re-saving content without changing its text costs one read.
    The spelling vocabulary follows in the same transaction: the words of rows created and of
    texts changed here, those of rows deleted by signals.entry_deleted (the database itself, on
    engines that can).
    """
    entries = entry_model(apps)
    existing = {(e.kind, e.object_id, e.part): e for e in scope}
    create, update, before, after = [], [], [], []
    names = _fields(entries)
    for doc in docs:
        entry = existing.pop(doc.identity, None)
        if entry is None:
            create.append(_row(entries, doc, names))
            after.append(texts(doc))
            continue
        if texts(entry) != texts(doc):
            before.append(texts(entry))
            after.append(texts(doc))
        changed = False
        for name in names:
            value = getattr(doc, name)
            if getattr(entry, name) != value:
                setattr(entry, name, value)
                changed = True
        if changed:
            update.append(entry)
    with transaction.atomic():
        if existing:
            entries.objects.filter(pk__in=[e.pk for e in existing.values()]).delete()
        if create:
            entries.objects.bulk_create(create, batch_size=BATCH)
        if update:
            entries.objects.bulk_update(update, names, batch_size=BATCH)
        backend_for(scope.db).words_changed(before, after)
    return len(create) + len(update) + len(existing)


def index_sections(sections, apps=global_apps) -> int:
    entries = entry_model(apps)
    scope = entries.objects.filter(
        kind__in=["section", "quote"], object_id__in=sections.values("pk")
    )
    return sync(docs_for_sections(sections, apps), scope, apps)


def index_key_messages(messages, apps=global_apps) -> int:
    entries = entry_model(apps)
    scope = entries.objects.filter(kind="key-message", object_id__in=messages.values("pk"))
    return sync(docs_for_key_messages(messages, apps), scope, apps)


def index_citations(citations, apps=global_apps) -> int:
    entries = entry_model(apps)
    scope = entries.objects.filter(kind="reference", object_id__in=citations.values("pk"))
    return sync(docs_for_citations(citations, apps), scope, apps)


def index_glossary(terms, apps=global_apps) -> int:
    entries = entry_model(apps)
    scope = entries.objects.filter(kind="glossary", object_id__in=terms.values("pk"))
    return sync(docs_for_glossary(terms), scope, apps)


def remove(kind: str, object_id: int, apps=global_apps) -> None:
    entry_model(apps).objects.filter(kind=kind, object_id=object_id).delete()


def all_docs(apps=global_apps):
    """Every row the index should hold, in batches (the corpus may be large)."""

    def manager(name):
        return apps.get_model("briefings", name).objects

    for queryset, build in (
        (manager("Section").all(), lambda qs: docs_for_sections(qs, apps)),
        (manager("KeyMessage").all(), lambda qs: docs_for_key_messages(qs, apps)),
        (manager("Citation").select_related("reference"), lambda qs: docs_for_citations(qs, apps)),
        (manager("GlossaryTerm").all(), docs_for_glossary),
    ):
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            yield from build(queryset.filter(pk__in=ids[start : start + BATCH]))


def rebuild(apps=global_apps, using="default") -> int:
    """Empty the index and fill it again from the content; returns the number of rows.

    A bulk write: the engine counts the spelling vocabulary once, at the end (refill), rather
    than as each batch of rows is written."""
    entries = entry_model(apps)
    backend = backend_for(using)
    count = 0
    with transaction.atomic(using=using):
        backend.ensure(backend.execute)
        backend.bulk_write(True)
        # One statement, not Model.delete(): with post_delete receivers connected for every
        # model (the page cache's), Django would load each row first.
        table = connections[using].ops.quote_name(entries._meta.db_table)
        backend.execute(f"DELETE FROM {table}")  # noqa: S608 - a quoted table name, no input
        batch, names = [], _fields(entries)
        for doc in all_docs(apps):
            batch.append(_row(entries, doc, names))
            if len(batch) >= BATCH:
                entries.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        if batch:
            entries.objects.bulk_create(batch)
            count += len(batch)
        backend.refill(backend.execute)
        backend.bulk_write(False)
    return count
