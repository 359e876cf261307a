"""A search from the reader's parameters to what the page shows.

Cost: two queries for a search that finds something, whatever the filters and page: one for the
roles named, the glossary and the themes (needed to expand acronyms and offer themes before
searching), one for the search itself (matches, facet counts, the page of hits and their
snippets). A search of three words or more that fewer than FEW passages match in full runs one
more, "all the words but one", to follow them with the closest. Only when nothing matches do
more run, five at most: which words the index lacks, their near spellings and the corrected
search, or else "all the words but one" and then "any of the words" for the closest results.

The reader's role ("Viewing as", ?role=) orders the results, never filters them: its guidance
first, then the other professions'. The role filter is the "Guidance for" facet (?audience=).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import SafeString

from briefings.models import Role, SearchEntry

from .engines import backend_for
from .facets import Facet, facets
from .names import names_matching
from .query import Glossary, Lookup, Query, parse, respell_text
from .results import Filters, RawHit, RawResult, marked
from .spelling import suggest

PAGE_SIZE = 10
FEW = 5  # fewer results than this for a search of three words or more: widen it (search())
PAGE_LINKS = 2  # pages shown either side of the current one
KIND_LABELS = dict(SearchEntry.Kind.choices)
SLUG = "__slug__"
OTHER = "__other__"


class Links:
    """The portal's URLs for results, reversed once per search rather than once per link."""

    def __init__(self):
        self.search = reverse("briefings:search")
        self.document = reverse("briefings:document", args=[SLUG])
        self.section = reverse("briefings:section", args=[SLUG, OTHER])
        self.references = reverse("briefings:references")
        self.glossary = reverse("briefings:glossary")
        self.theme = reverse("briefings:theme", args=[SLUG])

    def document_url(self, slug):
        return self.document.replace(SLUG, slug)

    def theme_url(self, slug):
        return self.theme.replace(SLUG, slug)

    def section_url(self, slug, section_slug):
        return self.section.replace(SLUG, slug).replace(OTHER, section_slug)


# The URL parameter of each filter, where it differs from the filter's name: `role` in a URL is
# the reader's "Viewing as" (an emphasis), so the role filter travels as `audience`.
FILTER_PARAMETER = {"role": "audience"}


@dataclass
class Params:
    q: str = ""
    filters: Filters = field(default_factory=Filters)
    page: int = 1
    group: str = ""
    role: str = ""  # "Viewing as": this role's guidance first, never a filter
    path: str = ""  # the search page's URL, filled in by search()

    def url(self, **changes) -> str:
        """This search's URL with some parameters changed; a change of filter goes to page 1.
        A filter is named as in Filters (role, not audience)."""
        f = self.filters
        values = {
            "q": self.q,
            "kind": f.kind,
            "document": f.document,
            "audience": f.role,
            "theme": f.theme,
            "role": self.role,
            "group": self.group,
            "page": self.page,
        }
        changes = {FILTER_PARAMETER.get(name, name): v for name, v in changes.items()}
        if changes and "page" not in changes:
            values["page"] = 1
        values.update(changes)
        pairs = [(k, v) for k, v in values.items() if v and not (k == "page" and v == 1)]
        path = self.path or reverse("briefings:search")
        return path + (f"?{urlencode(pairs)}" if pairs else "")


@dataclass
class Hit:
    kind: str
    kind_label: str
    title: SafeString
    snippet: SafeString
    url: str
    document_label: str | None
    document_url: str | None
    roles: list[str]
    context: str | None  # the section a quote is in, or a sub-section's parent
    for_reader: bool = False  # in the guidance of the role the reader views as (or for everyone)


@dataclass
class SeeAlso:
    """A theme the search is about, offered beside the results."""

    name: str
    url: str


@dataclass
class Band:
    heading: str
    anchor: str
    hits: list[Hit]
    start: int  # the number of its first result


@dataclass
class Group:
    label: str
    url: str | None
    hits: list[Hit]


@dataclass
class Page:
    number: int
    url: str
    current: bool
    gap_before: bool = False


@dataclass
class Outcome:
    params: Params
    role: Role | None  # the reader's "Viewing as"
    audience: Role | None = None  # the role chosen under "Guidance for", a filter
    query: Query | None = None
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    capped: bool = False  # more than `total` matched; the page ranks the first `total` read
    facets: list[Facet] = field(default_factory=list)
    suggestion: str | None = None
    suggestion_url: str | None = None
    typed: str = ""  # what the reader typed, when the page shows a corrected search
    relaxed: bool = False
    widened: bool = False  # few passages held every word: those with all but one follow them
    pages: list[Page] = field(default_factory=list)
    page_count: int = 0
    previous_url: str | None = None
    next_url: str | None = None
    first_shown: int = 0
    last_shown: int = 0
    page_size: int = PAGE_SIZE
    see_also: list[SeeAlso] = field(default_factory=list)
    glossary_url: str = ""

    @property
    def results_phrase(self) -> str:
        """ "25 results", or "more than 1,000 results" when the search stopped counting."""
        if self.capped:
            return f"more than {self.total:,} results"
        return f"{self.total:,} result{'' if self.total == 1 else 's'}"

    @property
    def searched(self):
        return self.query is not None and not self.query.is_empty

    @property
    def grouped_url(self):
        return self.params.url(group="document", page=self.params.page)

    @property
    def best_first_url(self):
        return self.params.url(group="", page=self.params.page)

    @property
    def first_page_url(self):
        return self.params.url(page=1)

    @property
    def unfiltered_url(self):
        p = self.params
        return Params(q=p.q, group=p.group, role=p.role, path=p.path).url()

    @property
    def emphasised(self) -> bool:
        """Whether the page puts the reader's role first: a role, and no role filter chosen."""
        return self.role is not None and not self.params.filters.role

    @property
    def role_results(self) -> int:
        """How many results are in the reader's role's guidance (glossary terms included), all
        ranked before the rest."""
        if not self.emphasised:
            return 0
        counts = {o.value: o.count for f in self.facets if f.name == "role" for o in f.options}
        return min(counts.get(self.role.slug, 0), self.total)

    @property
    def other_results(self) -> int:
        return self.total - self.role_results if self.emphasised else 0

    @property
    def others_url(self) -> str | None:
        """The page where the other professions' guidance begins, at its first result."""
        if not self.other_results:
            return None
        page = self.role_results // self.page_size + 1
        return self.params.url(page=page) + "#other-guidance"

    @property
    def bands(self) -> list[Band]:
        """The page's hits under two headings when the page puts the reader's role first: their
        own guidance, then the other professions'. Otherwise one band without a heading."""
        if not self.emphasised:
            return [Band("", "", self.hits, self.first_shown)]
        own = [h for h in self.hits if h.for_reader]
        others = [h for h in self.hits if not h.for_reader]
        bands = []
        if own:
            bands.append(
                Band(
                    f"In guidance for {self.role.name.lower()}",
                    "own-guidance",
                    own,
                    self.first_shown,
                )
            )
        if others:
            bands.append(
                Band(
                    "In other professions’ guidance",
                    "other-guidance",
                    others,
                    self.first_shown + len(own),
                )
            )
        return bands

    @property
    def groups(self) -> list[Group]:
        groups: dict[str, Group] = {}
        for hit in self.hits:
            key = hit.document_label or ""
            label = hit.document_label or "Across all documents"
            groups.setdefault(key, Group(label, hit.document_url, [])).hits.append(hit)
        return list(groups.values())


def hit_url(raw: RawHit, links: Links) -> str:
    if raw.kind in ("section", "quote"):
        return links.section_url(raw.document_slug, raw.section_slug)
    if raw.kind == "key-message":
        return f"{links.document_url(raw.document_slug)}#{raw.anchor}"
    if raw.kind == "reference":
        listed = raw.listed_reference and raw.document_slug
        base = links.document_url(raw.document_slug) if listed else links.references
        return f"{base}#{raw.anchor}"
    return f"{links.glossary}#{raw.anchor}"


def to_hit(raw: RawHit, links: Links, role: Role | None = None) -> Hit:
    title = marked(raw.title_marked) if raw.title_marked else marked(raw.title)
    context = raw.section_heading if raw.kind == "quote" else raw.parent_heading
    return Hit(
        kind=raw.kind,
        kind_label=KIND_LABELS.get(raw.kind, raw.kind),
        title=title,
        snippet=marked(raw.snippet_marked),
        url=hit_url(raw, links),
        document_label=raw.document_label,
        document_url=links.document_url(raw.document_slug) if raw.document_slug else None,
        roles=[name for _, name in raw.roles],
        context=context if raw.kind in ("section", "quote") else None,
        for_reader=role is not None
        and (not raw.document_slug or any(slug == role.slug for slug, _ in raw.roles)),
    )


def _chosen_labels(filters: Filters, raw: RawResult, audience, prelude) -> dict[str, str]:
    """The names of the chosen document, profession and theme, from what the search has read."""
    documents = {h.document_slug: h.document_label for h in raw.hits if h.document_slug}
    return {
        "role": audience.name if audience else "",
        "document": documents.get(filters.document, ""),
        "theme": dict(prelude.themes).get(filters.theme, ""),
    }


def _paginate(outcome: Outcome, page_size: int):
    params = outcome.params
    outcome.page_size = page_size
    outcome.page_count = max(1, math.ceil(outcome.total / page_size))
    number = params.page
    if outcome.hits:
        outcome.first_shown = (number - 1) * page_size + 1
        outcome.last_shown = outcome.first_shown + len(outcome.hits) - 1
    low = max(1, number - PAGE_LINKS)
    high = min(outcome.page_count, number + PAGE_LINKS)
    numbers = sorted({1, outcome.page_count, *range(low, high + 1)})
    if outcome.page_count > 1:
        outcome.pages = [
            Page(n, _page_url(params, n), n == number, gap_before=i > 0 and n - numbers[i - 1] > 1)
            for i, n in enumerate(numbers)
        ]
    if number > 1:
        outcome.previous_url = _page_url(params, min(number - 1, outcome.page_count))
    if number < outcome.page_count:
        outcome.next_url = _page_url(params, number + 1)


def _page_url(params: Params, number: int) -> str:
    return params.url(page=number)


class Searches:
    """The full-text searches one reader's search runs: the search itself, then, when it finds
    nothing, closer ones (the spelling corrected, all the words but one, any of them).

    A closer search that needs a word no row holds, even by its stem, would find nothing and is
    not run. The index is asked which of the unknown words (``unknown``: those the vocabulary
    does not hold as written, as the search looks them up) are in no row once, and only when
    the answer could spare a search."""

    def __init__(self, backend, arguments: tuple, emphasis: int | None):
        self.backend = backend
        self.arguments = arguments  # the filters, offset, page size and moment
        self.emphasis = emphasis
        self.unknown: set[Lookup] = set()
        self.unmatched: set[Lookup] | None = None

    def run(self, query: Query, **options):
        return self.backend.search(query, *self.arguments, emphasis=self.emphasis, **options)

    def closer(self, query: Query, **options):
        """The closer search's results, or None when it certainly finds nothing."""
        if query.finds_nothing(self.unknown):
            if self.unmatched is None:
                self.unmatched = self.backend.unmatched(sorted(self.unknown))
            if query.finds_nothing(self.unmatched):
                return None
        return self.run(query, **options)


def search(params: Params, page_size: int = PAGE_SIZE, now=None) -> Outcome:
    backend = backend_for()
    links = Links()
    params = replace(params, path=links.search)
    filters = params.filters
    if not params.q.strip():
        role = Role.objects.filter(slug=params.role).first() if params.role else None
        return Outcome(params=replace(params, role=role.slug if role else ""), role=role)

    prelude = backend.prelude(params.role, filters.role, now=now)
    role = Role(**prelude.roles[params.role]) if params.role in prelude.roles else None
    audience = Role(**prelude.roles[filters.role]) if filters.role in prelude.roles else None
    # An unknown role is ignored, as on every other page.
    if params.role and role is None:
        params = replace(params, role="")
    if filters.role and audience is None:
        params = replace(params, filters=replace(filters, role=""))
        filters = params.filters
    query = parse(params.q, Glossary(prelude.terms))
    outcome = Outcome(params=params, role=role, query=query, audience=audience)
    outcome.see_also = [
        SeeAlso(name, links.theme_url(slug))
        for slug, name in names_matching(params.q, prelude.themes)
    ]
    outcome.glossary_url = links.glossary
    if query.is_empty:
        return outcome

    # The reader's role first, unless they chose to see one profession's guidance only.
    emphasis = role.pk if role is not None and not filters.role else None
    offset = (params.page - 1) * page_size
    searches = Searches(backend, (params.filters, offset, page_size, now), emphasis)
    raw = searches.run(query)
    counts, corrections = {}, {}
    if raw.total == 0:
        # One look-up serves the spelling suggestion and "all the words but one".
        counts = backend.word_counts(list(dict.fromkeys(query.words())))
        corrections = suggest(backend, query, counts)
        searches.unknown = {(w, prefix) for w, prefix in query.lookups() if w not in counts}
    if corrections:
        corrected = query.respell(corrections)
        found = searches.closer(corrected)
        if found and found.total:
            # The page now shows the corrected search: its links (pages, filters) carry it.
            raw, query = found, corrected
            outcome.typed = params.q
            outcome.params = params = replace(params, q=respell_text(params.q, corrections))
            outcome.suggestion = params.q
            outcome.suggestion_url = params.url(page=1)
    if 0 < raw.total < FEW and len(query.must) > 2:
        # A question rarely has all its words in the passage that answers it: with only a few
        # passages holding every word, those holding all but one follow them.
        found = searches.run(query.all_but_one(), coverage=query.must)
        if found.total > raw.total:
            raw = found
            outcome.widened = True
    if raw.total == 0 and len(query.must) > 2:
        found = searches.closer(query.all_but_one(counts))
        if found and found.total:
            raw = found
            outcome.relaxed = True
    if raw.total == 0 and len(query.must) > 1:
        found = searches.closer(query.relaxed(), coverage=query.must)
        if found and found.total:
            raw = found
            outcome.relaxed = True

    outcome.hits = [to_hit(h, links, role) for h in raw.hits]
    outcome.total = raw.total
    outcome.capped = raw.capped
    outcome.facets = facets(params, raw, _chosen_labels(params.filters, raw, audience, prelude))
    _paginate(outcome, page_size)
    return outcome
