"""Parse briefing content files (docs/content-format.md) into plain data, with line numbers.

Parsing never touches the database. Every problem is collected as a ContentError carrying the
file and line, so an editor sees all the mistakes in one run rather than one per run. Every value
is checked here against the bounds it will be stored under (limits.py), in its stored form.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..normalise import normalise_text
from . import frontmatter
from .data import (
    BriefingData,
    ContentError,
    ContentErrors,
    GlossaryData,
    KeyMessageData,
    ReferenceData,
    SectionData,
)
from .limits import (
    KEY_RE,
    MAX_AUDIENCES,
    MAX_FILE_CHARS,
    MAX_FRONT_MATTER_CHARS,
    MAX_GLOSSARY_TERMS,
    MAX_KEY_MESSAGES,
    MAX_REFERENCES,
    MAX_SECTIONS,
    MAX_SERIES_TITLES,
    MAX_THEMES_PER_ITEM,
    bad_character,
    field_limits,
    max_length,
)

HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
ATTRS_RE = re.compile(r"\s*\{([^{}]*)\}\s*$")
ATTR_RE = re.compile(r'([a-z_]+)=("[^"]*"|\S+)')
ITEM_RE = re.compile(r"^[-*]\s+(.*)$")
FENCE_RE = re.compile(r"^(```|~~~)")
PUBLISHED_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?$")

KEY_MESSAGES_HEADING = "key messages"
REFERENCE_FIELDS = (
    "key",
    "authors",
    "year",
    "title",
    "text",
    "publisher",
    "journal",
    "url",
    "label",
    "work",
)
GLOSSARY_FIELDS = ("term", "expansion", "note")
__all__ = ["ContentError", "ContentErrors", "parse_briefing"]

FRONT_MATTER_FIELDS = (
    "title",
    "short_title",
    "slug",
    "kind",
    "series",
    "series_title",
    "publisher",
    "authors",
    "published",
    "audiences",
    "status",
    "source",
    "reference_list",
    "source_note",
    "also_available",
    "glossary",
    "references",
)


def parse_attrs(text: str) -> dict[str, str]:
    attrs = {}
    for name, value in ATTR_RE.findall(text):
        attrs[name] = value.strip('"')
    return attrs


def split_attrs(text: str) -> tuple[str, dict[str, str] | None]:
    match = ATTRS_RE.search(text)
    if not match:
        return text, None
    return text[: match.start()].rstrip(), parse_attrs(match.group(1))


def _themes(value: str | None) -> list[str]:
    if not value:
        return []
    return [item.strip() for item in value.split(",") if item.strip()]


class _FileParser:
    def __init__(self, path: Path, text: str):
        self.path = str(path)
        self.text = text
        self.errors: list[ContentError] = []
        self.limits = field_limits()
        self.offset = 1

    def error(self, line, message):
        self.errors.append(ContentError(self.path, line, message))

    def parse(self) -> BriefingData | None:
        if len(self.text) > MAX_FILE_CHARS:
            self.error(1, f"the file is longer than {MAX_FILE_CHARS:,} characters")
            return None
        lines = self.text.splitlines()
        for number, line in enumerate(lines, start=1):
            problem = bad_character(line)
            if problem:
                self.error(number, problem)
        if self.errors:
            return None
        if not lines or lines[0].strip() != "---":
            self.error(1, "a briefing file must start with front matter between two '---' lines")
            return None
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        except StopIteration:
            self.error(1, "the front matter is not closed by a '---' line")
            return None
        meta = self._front_matter("\n".join(lines[1:end]))
        if meta is None:
            return None
        data = self._metadata(meta)
        self._body(lines[end + 1 :], first_line=end + 2, data=data)
        return data

    def _front_matter(self, text):
        if len(text) > MAX_FRONT_MATTER_CHARS:
            self.error(2, f"the front matter is longer than {MAX_FRONT_MATTER_CHARS:,} characters")
            return None
        try:
            meta = frontmatter.load(text)
        except frontmatter.FrontMatterError as exc:
            self.error(exc.line + self.offset, f"front matter is not valid YAML: {exc.message}")
            return None
        if not isinstance(meta, dict):
            self.error(self.offset + 1, "front matter must be a mapping of 'name: value' lines")
            return None
        return meta

    def _line(self, mapping, key=None):
        if key is not None and key in mapping.get("__lines__", {}):
            return mapping["__lines__"][key] + self.offset
        return mapping.get("__line__", 1) + self.offset

    def _text(self, value, line, what, limit):
        """``value`` checked as stored text of at most ``limit`` characters ("" if not text)."""
        if value is None:
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.error(line, f"{what} must be text")
            return ""
        value = value.strip()
        problem = bad_character(value)
        if problem:
            self.error(line, f"{what}: {problem}")
            return ""
        if limit is not None and len(value) > limit:
            self.error(line, f"{what} is {len(value):,} characters long; the limit is {limit:,}")
        return value

    def _str(self, mapping, key, *, required=False, default="", limits="front matter"):
        value = self._text(
            mapping.get(key, default),
            self._line(mapping, key),
            f"'{key}'",
            self.limits[limits].get(key),
        )
        if required and not value:
            self.error(self._line(mapping, key), f"'{key}' is required")
        return value or default

    def _list(self, mapping, key, limit):
        value = mapping.get(key) or []
        if not isinstance(value, list):
            self.error(self._line(mapping, key), f"'{key}' must be a list")
            return []
        if len(value) > limit:
            self.error(
                self._line(mapping, key), f"'{key}' has {len(value):,} items; at most {limit:,}"
            )
            return []
        return value

    def _texts(self, mapping, key, limit, item_limit):
        line = self._line(mapping, key)
        return [
            self._text(item, line, f"each of '{key}'", item_limit)
            for item in self._list(mapping, key, limit)
        ]

    def _unknown(self, mapping, known, what):
        for name in mapping.get("__lines__", {}):
            if name not in known:
                self.error(self._line(mapping, name), f"unknown {what} '{name}'")

    def _metadata(self, meta) -> BriefingData:
        self._unknown(meta, FRONT_MATTER_FIELDS, "front matter field")
        limits = self.limits["front matter"]
        slug = self._str(meta, "slug", required=True)
        if slug and not KEY_RE.match(slug):
            self.error(self._line(meta, "slug"), f"slug {slug!r} must be lowercase-with-hyphens")
        published = self._str(meta, "published")
        year = month = None
        if published:
            match = PUBLISHED_RE.match(published)
            if (
                not match
                or int(match.group(1)) < 1
                or (match.group(2) and not 1 <= int(match.group(2)) <= 12)
            ):
                self.error(
                    self._line(meta, "published"),
                    f"'published' must be YYYY-MM or YYYY, got {published!r}",
                )
            else:
                year = int(match.group(1))
                month = int(match.group(2)) if match.group(2) else None
        reference_list = meta.get("reference_list", True)
        if not isinstance(reference_list, bool):
            self.error(self._line(meta, "reference_list"), "'reference_list' must be true or false")
            reference_list = True
        audiences = self._texts(meta, "audiences", MAX_AUDIENCES, limits["audience"])
        if not audiences:
            self.error(self._line(meta, "audiences"), "'audiences' must list at least one role")
        data = BriefingData(
            path=self.path,
            slug=slug,
            title=self._str(meta, "title", required=True),
            short_title=self._str(meta, "short_title"),
            kind=self._str(meta, "kind", required=True),
            status=self._str(meta, "status", default="draft"),
            publisher=self._str(meta, "publisher"),
            authors=self._str(meta, "authors"),
            published_year=year,
            published_month=month,
            audiences=audiences,
            series=self._str(meta, "series"),
            series_title=self._str(meta, "series_title"),
            source=self._str(meta, "source"),
            reference_list=reference_list,
            source_note=normalise_text(self._str(meta, "source_note")),
            also_available=self._texts(
                meta, "also_available", MAX_SERIES_TITLES, limits["also_available"]
            ),
            intro="",
            lines={key: self._line(meta, key) for key in FRONT_MATTER_FIELDS},
        )
        self._references(meta, data)
        self._glossary(meta, data)
        return data

    def _references(self, meta, data):
        for item in self._list(meta, "references", MAX_REFERENCES):
            if not isinstance(item, dict):
                self.error(self._line(meta, "references"), "each reference must be a mapping")
                continue
            self._unknown(item, REFERENCE_FIELDS, "reference field")
            required = {"key", "authors", "year", "title", "text"}
            values = {
                name: self._str(item, name, required=name in required, limits="reference")
                for name in REFERENCE_FIELDS
            }
            ref = ReferenceData(**values, line=self._line(item))
            if ref.key and not KEY_RE.match(ref.key):
                self.error(ref.line, f"reference key {ref.key!r} must be lowercase-with-hyphens")
            if ref.url and not ref.url.startswith(("http://", "https://")):
                self.error(self._line(item, "url"), "a reference url must start with http(s)://")
            data.references.append(ref)

    def _glossary(self, meta, data):
        seen: dict[str, int] = {}
        for item in self._list(meta, "glossary", MAX_GLOSSARY_TERMS):
            if not isinstance(item, dict):
                self.error(self._line(meta, "glossary"), "each glossary entry must be a mapping")
                continue
            self._unknown(item, GLOSSARY_FIELDS, "glossary field")
            term = GlossaryData(
                term=self._str(item, "term", required=True, limits="glossary"),
                expansion=self._str(item, "expansion", required=True, limits="glossary"),
                note=self._str(item, "note", limits="glossary"),
                line=self._line(item),
            )
            if "\n" in term.term:
                self.error(term.line, "a glossary term must be on one line")
            if term.term in seen:
                self.error(
                    term.line,
                    f"duplicate glossary term '{term.term}' (first at line {seen[term.term]})",
                )
            seen.setdefault(term.term, term.line)
            data.glossary.append(term)

    def _body(self, lines, first_line, data: BriefingData):
        intro: list[str] = []
        current: list[str] = intro
        mode = "intro"
        in_fence = False
        item: KeyMessageData | None = None
        parent: SectionData | None = None

        def close_item():
            nonlocal item
            if item is None:
                return
            text, attrs = split_attrs(item.text)
            if attrs is None:
                self.error(item.line, "a key message must end with {key=... themes=...}")
                attrs = {}
            item.text = text
            item.key = attrs.get("key", "")
            item.themes = _themes(attrs.get("themes"))
            self._check_attrs(item.line, "key message", attrs, {"key", "themes"})
            if not text.strip():
                self.error(item.line, "this key message has no text")
            data.key_messages.append(item)
            item = None

        for index, line in enumerate(lines):
            number = first_line + index
            if FENCE_RE.match(line.strip()):
                in_fence = not in_fence
            heading = None if in_fence else HEADING_RE.match(line)
            if heading:
                close_item()
                level = len(heading.group(1))
                text, attrs = split_attrs(heading.group(2))
                if level == 2 and text.strip().lower() == KEY_MESSAGES_HEADING and not attrs:
                    if data.key_messages or mode == "key_messages":
                        self.error(number, "only one '## Key messages' list is allowed")
                    mode = "key_messages"
                    current = []
                    continue
                if level not in (2, 3):
                    self.error(number, "use '##' for sections and '###' for sub-sections")
                    continue
                section = self._section(number, level, text, attrs)
                if level == 2:
                    parent = section
                elif parent is None:
                    self.error(number, "a '###' sub-section must follow a '##' section")
                else:
                    section.parent_key = parent.key
                mode = "section"
                data.sections.append(section)
                current = []
                section.body = current  # replaced by the joined text below
                continue
            if mode == "key_messages" and not in_fence:
                start = ITEM_RE.match(line)
                if start:
                    close_item()
                    item = KeyMessageData(key="", text=start.group(1), themes=[], line=number)
                elif line.strip() and item is not None:
                    item.text += "\n" + line.strip()
                elif line.strip():
                    self.error(number, "text under '## Key messages' must be a '- ' list item")
                continue
            current.append(line)
        close_item()
        # Stored as the admin stores it, so a re-import of an unchanged file changes nothing.
        data.intro = normalise_text("\n".join(intro))
        for sec in data.sections:
            sec.body = normalise_text("\n".join(sec.body))
        self._check_counts_and_duplicates(data)

    def _section(self, number, level, text, attrs) -> SectionData:
        from briefings.models import Section

        if attrs is None:
            self.error(number, "a section heading must end with {key=... themes=...}")
            attrs = {}
        self._check_attrs(number, "section", attrs, {"key", "themes", "slug"})
        heading = text.strip()
        if not heading:
            self.error(number, "this section has no heading text")
        limit = max_length(Section, "heading")
        if len(heading) > limit:
            self.error(
                number, f"the heading is {len(heading):,} characters long; the limit is {limit}"
            )
        slug = attrs.get("slug", "")
        limit = max_length(Section, "slug")
        if "slug" in attrs and not (KEY_RE.match(slug) and len(slug) <= limit):
            self.error(
                number,
                f"slug {slug[:limit]!r} must be lowercase-with-hyphens, at most {limit} characters",
            )
            slug = ""
        return SectionData(
            key=attrs.get("key", ""),
            heading=heading,
            slug=slug,
            level=level,
            themes=_themes(attrs.get("themes")),
            line=number,
        )

    def _check_counts_and_duplicates(self, data):
        if len(data.sections) > MAX_SECTIONS:
            self.error(data.sections[MAX_SECTIONS].line, f"more than {MAX_SECTIONS} sections")
        if len(data.key_messages) > MAX_KEY_MESSAGES:
            self.error(
                data.key_messages[MAX_KEY_MESSAGES].line,
                f"more than {MAX_KEY_MESSAGES} key messages",
            )
        seen: dict[tuple[str, str], int] = {}
        for entry in [*data.sections, *data.key_messages]:
            kind = "section" if isinstance(entry, SectionData) else "key message"
            if entry.key and (kind, entry.key) in seen:
                self.error(
                    entry.line,
                    f"duplicate {kind} key '{entry.key}' (first at line {seen[(kind, entry.key)]})",
                )
            seen.setdefault((kind, entry.key), entry.line)

    def _check_attrs(self, line, what, attrs, known):
        from briefings.models import Section, Theme

        for name in attrs:
            if name not in known:
                self.error(line, f"unknown {what} attribute '{name}'")
        key = attrs.get("key", "")
        limit = max_length(Section, "key")
        if not key:
            self.error(line, f"this {what} needs a key=... (its permanent identity)")
        elif not KEY_RE.match(key) or len(key) > limit:
            self.error(
                line,
                f"{what} key {key[:limit]!r} must be lowercase-with-hyphens, "
                f"at most {limit} characters",
            )
        themes = _themes(attrs.get("themes"))
        if not themes:
            self.error(line, f"this {what} needs at least one theme: themes=slug,slug")
        elif len(themes) > MAX_THEMES_PER_ITEM:
            self.error(line, f"this {what} has more than {MAX_THEMES_PER_ITEM} themes")
        limit = max_length(Theme, "slug")
        for theme in themes:
            if not KEY_RE.match(theme) or len(theme) > limit:
                self.error(line, f"theme {theme[:limit]!r} is not a theme slug")


def parse_briefing(path: Path, text: str | None = None) -> tuple[BriefingData | None, list]:
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            return None, [ContentError(str(path), 1, f"the file is not UTF-8 text ({exc.reason})")]
    parser = _FileParser(path, text)
    data = parser.parse()
    return data, parser.errors
