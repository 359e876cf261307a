"""Find links in the content that lead nowhere.

Every piece of Markdown an editor writes (introductions, key messages, sections, reference entries,
the "about" notes) is rendered as the site renders it, and every link in it is followed:

- ``cite:`` citations must match a reference of the document (or of the document they name);
- internal links (``/documents/...``, ``/s/12/``, relative links, ``#anchors``) must reach a page
  that exists and that readers can see, and an ``#anchor`` must exist on that page;
- external ``http(s)`` links are fetched only when asked (``check_external``), never in tests.

A draft may link to other drafts (they are meant to be published together); published content must
only link to what readers can see.
"""

from __future__ import annotations

import concurrent.futures
import difflib
import urllib.error
import urllib.request
from collections import defaultdict
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve, reverse

from .markdown import render_markdown
from .models import (
    Briefing,
    Citation,
    KeyMessage,
    Reference,
    Role,
    Section,
    SectionSlugHistory,
    Status,
    Theme,
)

# Elements every document page has, whatever its content (templates/briefings/document.html).
DOCUMENT_PAGE_IDS = {
    "main",
    "top",
    "contents-heading",
    "key-messages",
    "references",
    "series",
    "updates",
    "about-heading",
}
SECTION_PAGE_IDS = {"main", "contents-heading", "related-heading"}
EXTERNAL_TIMEOUT_SECONDS = 15
USER_AGENT = "CSE guidance portal link checker"


@dataclass(frozen=True)
class Link:
    where: str  # what a person would call the place the link is in
    edit_url: str  # where to fix it in the admin
    href: str
    text: str


@dataclass(frozen=True)
class Problem:
    link: Link
    reason: str


class _Anchors(HTMLParser):
    """The <a href> links of some HTML, with their text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._open: list[str] | None = None
        self._href = ""

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href") or ""
            self._open = []

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            self.links.append((self._href, " ".join("".join(self._open).split())))
            self._open = None


def _anchors(html):
    parser = _Anchors()
    parser.feed(html)
    return parser.links


class LinkChecker:
    def __init__(self):
        self.briefings = {b.slug: b for b in Briefing.objects.all()}
        self.published_ids = set(Briefing.objects.published().values_list("pk", flat=True))
        self.sections = list(Section.objects.select_related("briefing", "parent"))
        self.published_sections = set(Section.objects.published().values_list("pk", flat=True))
        self.sections_by_page = {(s.briefing.slug, s.slug): s for s in self.sections}
        self.sections_by_pk = {s.pk: s for s in self.sections}
        self.old_slugs = {
            (h.briefing.slug, h.slug): h.section_id
            for h in SectionSlugHistory.objects.select_related("briefing")
        }
        self.key_messages = {k.pk: k for k in KeyMessage.objects.select_related("briefing")}
        self.citations = defaultdict(list)
        for citation in Citation.objects.select_related("reference"):
            self.citations[citation.briefing_id].append(citation)
        self.roles = set(Role.objects.values_list("slug", flat=True))
        self.themes = set(Theme.objects.values_list("slug", flat=True))
        self.indexed_references = set(
            Reference.objects.filter(citations__briefing_id__in=self.published_ids).values_list(
                "key", flat=True
            )
        )

    # ---- where the links are -------------------------------------------------------------------

    def sources(self):
        """(where, edit url, Markdown, briefing, is draft, inline) for every text editors write."""
        for briefing in sorted(self.briefings.values(), key=lambda b: b.title):
            draft = briefing.status == Status.DRAFT
            edit = reverse("admin:briefings_briefing_change", args=[briefing.pk])
            yield f"{briefing.slug} › introduction", edit, briefing.intro, briefing, draft, False
            yield f"{briefing.slug} › about", edit, briefing.source_note, briefing, draft, False
            for citation in self.citations[briefing.pk]:
                where = f"{briefing.slug} › reference {citation.local_key}"
                yield where, edit, citation.entry, briefing, draft, True
        for message in sorted(self.key_messages.values(), key=lambda k: (k.briefing_id, k.order)):
            where = f"{message.briefing.slug} › key message {message.key}"
            edit = reverse("admin:briefings_keymessage_change", args=[message.pk])
            briefing = message.briefing
            yield where, edit, message.text, briefing, briefing.status == Status.DRAFT, True
        for section in sorted(self.sections, key=lambda s: (s.briefing_id, s.order)):
            where = f"{section.briefing.slug} › {section.heading}"
            edit = reverse("admin:briefings_section_change", args=[section.pk])
            draft = section.pk not in self.published_sections
            yield where, edit, section.body, section.briefing, draft, False

    def links(self):
        """Every link in the content: (Link, briefing it is in, whether its text is a draft)."""
        resolvers = {}
        for where, edit, text, briefing, draft, inline in self.sources():
            if not text:
                continue
            if briefing.pk not in resolvers:
                resolvers[briefing.pk] = briefing.citation_resolver()
            rendered = render_markdown(text, resolver=resolvers[briefing.pk], inline=inline)
            for key in rendered.unresolved_citations:
                yield Link(where, edit, f"cite:{key}", ""), briefing, draft
            for href, label in _anchors(rendered.html):
                yield Link(where, edit, href, label), briefing, draft

    # ---- checking ------------------------------------------------------------------------------

    def check(self, external=False) -> tuple[int, list[Problem]]:
        problems, outside = [], defaultdict(list)
        count = 0
        for link, briefing, draft in self.links():
            count += 1
            scheme = urlsplit(link.href).scheme
            if link.href.startswith("cite:"):
                problems.append(Problem(link, "this citation matches no reference of the document"))
            elif scheme in ("http", "https"):
                outside[link.href].append(link)
            elif scheme == "mailto":
                continue
            else:
                base = briefing.get_absolute_url()
                reason = self.internal_problem(urljoin(base, link.href), draft)
                if reason:
                    problems.append(Problem(link, reason))
        if external:
            # Each document's own address for a work: what its page shows.
            for citation in Citation.objects.exclude(url="").select_related("briefing"):
                count += 1
                edit = reverse("admin:briefings_briefing_change", args=[citation.briefing_id])
                where = f"{citation.briefing.slug} › reference {citation.local_key}"
                link = Link(where, edit, citation.url, citation.label or citation.local_key)
                outside[citation.url].append(link)
            for url, reason in check_external(list(outside)).items():
                problems.extend(Problem(link, reason) for link in outside[url])
        return count, problems

    def internal_problem(self, url, allow_drafts=False) -> str | None:
        """Why an internal URL does not lead where a reader can go, or None if it does."""
        parts = urlsplit(url)
        try:
            match = resolve(parts.path)
        except Resolver404:
            return "no page at this address"
        if match.namespace != "briefings":
            if parts.path.startswith("/admin/"):
                return "links to the admin, which readers cannot open"
            return None  # another part of the portal: it resolves, so it exists
        name, kwargs = match.url_name, match.kwargs
        handler = getattr(self, f"_page_{name}", None)
        if handler is None:
            return None
        found = handler(allow_drafts=allow_drafts, **kwargs)
        if isinstance(found, str):
            return found
        if parts.fragment and found is not None and parts.fragment not in found:
            return f"the page has no “#{parts.fragment}” on it"
        return None

    def hint(self, url) -> str:
        """The closest existing addresses to a broken internal one, as "Did you mean: ...?"."""
        path = urlsplit(url).path
        try:
            match = resolve(path)
        except Resolver404:
            match = None
        if match is not None and match.url_name == "section":
            slug = match.kwargs["slug"]
            pages = [key[1] for key in self.sections_by_page if key[0] == slug]
            found = difflib.get_close_matches(match.kwargs["section_slug"], pages, n=3, cutoff=0.5)
            return _closest_urls([f"/documents/{slug}/{page}/" for page in found])
        parts = [p for p in path.split("/") if p]
        if len(parts) >= 2 and parts[0] == "documents":
            found = difflib.get_close_matches(parts[1], list(self.briefings), n=3, cutoff=0.5)
            return _closest_urls([f"/documents/{slug}/" for slug in found])
        return ""

    def _visible_briefing(self, slug, allow_drafts):
        briefing = self.briefings.get(slug)
        if briefing is None:
            return None, "no such document"
        if briefing.pk not in self.published_ids and not allow_drafts:
            return None, "the document is not published, so readers cannot open it"
        return briefing, None

    def _visible_section(self, section, allow_drafts):
        if section.pk not in self.published_sections and not allow_drafts:
            return "the section is not published, so readers cannot open it"
        return None

    def _page_document(self, slug, allow_drafts):
        briefing, problem = self._visible_briefing(slug, allow_drafts)
        if problem:
            return problem
        ids = set(DOCUMENT_PAGE_IDS)
        for section in self.sections:
            if section.briefing_id == briefing.pk and not self._visible_section(
                section, allow_drafts
            ):
                ids.add(section.slug)
        ids.update(k.anchor for k in self.key_messages.values() if k.briefing_id == briefing.pk)
        if briefing.has_reference_list:
            ids.update(f"ref-{c.reference.key}" for c in self.citations[briefing.pk] if c.listed)
        return ids

    def _page_section(self, slug, section_slug, allow_drafts):
        _briefing, problem = self._visible_briefing(slug, allow_drafts)
        if problem:
            return problem
        section = self.sections_by_page.get((slug, section_slug))
        if section is None:
            old = self.old_slugs.get((slug, section_slug))
            if old is None:
                return "no such section in the document"
            section = self.sections_by_pk[old]
        problem = self._visible_section(section, allow_drafts)
        if problem:
            return problem
        children = {s.slug for s in self.sections if s.parent_id == section.pk}
        return SECTION_PAGE_IDS | {section.slug} | children

    def _page_section_permalink(self, pk, allow_drafts):
        section = self.sections_by_pk.get(pk)
        if section is None:
            return "no section has this permanent link"
        return self._visible_section(section, allow_drafts)

    def _page_key_message_permalink(self, pk, allow_drafts):
        message = self.key_messages.get(pk)
        if message is None:
            return "no key message has this permanent link"
        if message.briefing_id not in self.published_ids and not allow_drafts:
            return "the key message's document is not published"
        return None

    def _page_role(self, slug, allow_drafts):
        return None if slug in self.roles else "no such role"

    def _page_theme(self, slug, allow_drafts):
        return None if slug in self.themes else "no such theme"

    _page_theme_compare = _page_theme

    def _page_references(self, allow_drafts):
        return {"main"} | {f"ref-{key}" for key in self.indexed_references}

    def _page_preview_document(self, allow_drafts, **kwargs):
        return "links to an editors' preview page, which readers cannot open"

    _page_preview_section = _page_preview_document


def _closest_urls(urls) -> str:
    return f" Did you mean: {', '.join(urls)}?" if urls else ""


def _fetch(url) -> str | None:
    headers = {"User-Agent": USER_AGENT}
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers=headers)  # noqa: S310 - http(s) only
        try:
            with urllib.request.urlopen(request, timeout=EXTERNAL_TIMEOUT_SECONDS) as response:  # noqa: S310
                if response.status < 400:
                    return None
                problem = f"the site answered {response.status}"
        except urllib.error.HTTPError as exc:
            # Some servers refuse HEAD; only a GET failure counts.
            problem = f"the site answered {exc.code} {exc.reason}"
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            return f"could not reach the site ({getattr(exc, 'reason', exc)})"
    return problem


def check_external(urls, workers=8) -> dict[str, str]:
    """Fetch each http(s) URL once; return {url: problem} for those that fail."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        results = dict(zip(urls, pool.map(_fetch, urls), strict=True))
    return {url: problem for url, problem in results.items() if problem}


# ---- one text, as an editor saves or previews it -------------------------------------------------

CLOSEST_KEYS = 3


def _closest(word, candidates) -> str:
    found = difflib.get_close_matches(word, sorted(set(candidates)), n=CLOSEST_KEYS, cutoff=0.5)
    return f" Did you mean: {', '.join(found)}?" if found else ""


def citation_keys(briefing, extra_keys=()) -> set[str]:
    """The keys a text of ``briefing`` may cite: its own references' (and ``extra_keys``)."""
    keys = set(extra_keys)
    if briefing is not None and briefing.pk:
        keys.update(briefing.citations.values_list("local_key", flat=True))
    return keys


def text_problems(rendered, briefing, *, draft, known_keys=None, checker=None) -> list[str]:
    """What is broken in one rendered text of ``briefing``, each as a sentence for the editor
    naming the unknown key or address with the closest existing ones; the same rules as
    ``check_links`` (``LinkChecker``). ``known_keys``: citation keys that will exist when the
    text is saved (rows added in the same form); ``checker``: a LinkChecker to reuse."""
    known = citation_keys(briefing, known_keys or ())
    problems = []
    for key in rendered.unresolved_citations:
        if "/" in key:
            slug = key.split("/", 1)[0]
            others = Citation.objects.filter(briefing__slug=slug).values_list(
                "local_key", flat=True
            )
            hint = _closest(key, [f"{slug}/{other}" for other in others])
        elif key in known:
            continue  # a reference added in the same form
        else:
            hint = _closest(key, known)
        problems.append(
            f"The citation “{key}” matches no reference of this document (cite:{key}).{hint}"
        )
    internal = [
        href
        for href, _label in _anchors(rendered.html)
        if urlsplit(href).scheme not in ("http", "https", "mailto")
    ]
    if internal:
        checker = checker or LinkChecker()
        base = briefing.get_absolute_url() if briefing is not None and briefing.slug else "/"
        for href in internal:
            url = urljoin(base, href)
            reason = checker.internal_problem(url, draft)
            if reason:
                problems.append(f"The link “{href}” is broken: {reason}.{checker.hint(url)}")
    return problems
