"""Parse briefing content files (docs/content-format.md) into plain data, with line numbers.

Parsing never touches the database. Every problem is collected as a ContentError carrying the
file and line, so an editor sees all the mistakes in one run rather than one per run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
ATTRS_RE = re.compile(r"\s*\{([^{}]*)\}\s*$")
ATTR_RE = re.compile(r'([a-z_]+)=("[^"]*"|\S+)')
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ITEM_RE = re.compile(r"^[-*]\s+(.*)$")
FENCE_RE = re.compile(r"^(```|~~~)")
PUBLISHED_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?$")

KEY_MESSAGES_HEADING = "key messages"


@dataclass
class ContentError:
    path: str
    line: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


class ContentErrors(Exception):
    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass
class SectionData:
    key: str
    heading: str
    slug: str
    level: int
    themes: list[str]
    line: int
    parent_key: str | None = None
    body: str = ""


@dataclass
class KeyMessageData:
    key: str
    text: str
    themes: list[str]
    line: int


@dataclass
class ReferenceData:
    key: str
    authors: str
    year: str
    title: str
    text: str
    line: int
    publisher: str = ""
    journal: str = ""
    url: str = ""
    label: str = ""
    work: str = ""


@dataclass
class GlossaryData:
    term: str
    expansion: str
    line: int
    note: str = ""


@dataclass
class BriefingData:
    path: str
    slug: str
    title: str
    kind: str
    status: str
    publisher: str
    authors: str
    published_year: int | None
    published_month: int | None
    audiences: list[str]
    series: str
    series_title: str
    source: str
    reference_list: bool
    source_note: str
    also_available: list[str]
    intro: str
    short_title: str = ""
    key_messages: list[KeyMessageData] = field(default_factory=list)
    sections: list[SectionData] = field(default_factory=list)
    references: list[ReferenceData] = field(default_factory=list)
    glossary: list[GlossaryData] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping and of each of its keys."""


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = {}
    lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        mapping[key] = loader.construct_object(value_node, deep=True)
        lines[key] = key_node.start_mark.line + 1
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = lines
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates such as 2017-01 must stay strings; only our code interprets them.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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

    def error(self, line, message):
        self.errors.append(ContentError(self.path, line, message))

    def parse(self) -> BriefingData | None:
        lines = self.text.splitlines()
        if not lines or lines[0].strip() != "---":
            self.error(1, "a briefing file must start with front matter between two '---' lines")
            return None
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        except StopIteration:
            self.error(1, "the front matter is not closed by a '---' line")
            return None
        meta = self._front_matter("\n".join(lines[1:end]), offset=1)
        if meta is None:
            return None
        data = self._metadata(meta)
        self._body(lines[end + 1 :], first_line=end + 2, data=data)
        return data

    def _front_matter(self, text, offset):
        try:
            meta = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line = mark.line + 1 + offset if mark else offset
            problem = getattr(exc, "problem", None) or str(exc)
            self.error(line, f"front matter is not valid YAML: {problem}")
            return None
        if not isinstance(meta, dict):
            self.error(offset + 1, "front matter must be a mapping of 'name: value' lines")
            return None
        self.offset = offset
        return meta

    def _line(self, mapping, key=None):
        if key is not None and key in mapping.get("__lines__", {}):
            return mapping["__lines__"][key] + self.offset
        return mapping.get("__line__", 1) + self.offset

    def _str(self, mapping, key, *, required=False, default=""):
        value = mapping.get(key, default)
        if value is None:
            value = ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.error(self._line(mapping, key), f"'{key}' must be text")
            return default
        value = value.strip()
        if required and not value:
            self.error(self._line(mapping, key), f"'{key}' is required")
        return value

    def _list(self, mapping, key):
        value = mapping.get(key) or []
        if not isinstance(value, list):
            self.error(self._line(mapping, key), f"'{key}' must be a list")
            return []
        return value

    def _metadata(self, meta) -> BriefingData:
        known = {
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
        }
        for key in meta.get("__lines__", {}):
            if key not in known:
                self.error(self._line(meta, key), f"unknown front matter field '{key}'")
        slug = self._str(meta, "slug", required=True)
        if slug and not KEY_RE.match(slug):
            self.error(self._line(meta, "slug"), f"slug {slug!r} must be lowercase-with-hyphens")
        published = self._str(meta, "published")
        year = month = None
        if published:
            match = PUBLISHED_RE.match(published)
            if not match or (match.group(2) and not 1 <= int(match.group(2)) <= 12):
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
        audiences = [str(a) for a in self._list(meta, "audiences")]
        if not audiences:
            self.error(self._line(meta, "audiences"), "'audiences' must list at least one role")
        data = BriefingData(
            path=self.path,
            slug=slug,
            title=self._str(meta, "title", required=True),
            short_title=self._str(meta, "short_title"),
            kind=self._str(meta, "kind", required=True),
            status=self._str(meta, "status", default="draft") or "draft",
            publisher=self._str(meta, "publisher"),
            authors=self._str(meta, "authors"),
            published_year=year,
            published_month=month,
            audiences=audiences,
            series=self._str(meta, "series"),
            series_title=self._str(meta, "series_title"),
            source=self._str(meta, "source"),
            reference_list=reference_list,
            source_note=self._str(meta, "source_note"),
            also_available=[str(t).strip() for t in self._list(meta, "also_available")],
            intro="",
            lines={key: self._line(meta, key) for key in known},
        )
        for item in self._list(meta, "references"):
            if not isinstance(item, dict):
                self.error(self._line(meta, "references"), "each reference must be a mapping")
                continue
            ref = ReferenceData(
                key=self._str(item, "key", required=True),
                authors=self._str(item, "authors", required=True),
                year=self._str(item, "year", required=True),
                title=self._str(item, "title", required=True),
                text=self._str(item, "text", required=True),
                publisher=self._str(item, "publisher"),
                journal=self._str(item, "journal"),
                url=self._str(item, "url"),
                label=self._str(item, "label"),
                work=self._str(item, "work"),
                line=self._line(item),
            )
            for name in item.get("__lines__", {}):
                if name not in {
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
                }:
                    self.error(self._line(item, name), f"unknown reference field '{name}'")
            if ref.key and not KEY_RE.match(ref.key):
                self.error(ref.line, f"reference key {ref.key!r} must be lowercase-with-hyphens")
            if ref.url and not ref.url.startswith(("http://", "https://")):
                self.error(self._line(item, "url"), "a reference url must start with http(s)://")
            data.references.append(ref)
        for item in self._list(meta, "glossary"):
            if not isinstance(item, dict):
                self.error(self._line(meta, "glossary"), "each glossary entry must be a mapping")
                continue
            data.glossary.append(
                GlossaryData(
                    term=self._str(item, "term", required=True),
                    expansion=self._str(item, "expansion", required=True),
                    note=self._str(item, "note"),
                    line=self._line(item),
                )
            )
        return data

    def _body(self, lines, first_line, data: BriefingData):
        intro: list[str] = []
        current: list[str] = intro
        mode = "intro"
        in_fence = False
        item: KeyMessageData | None = None
        section: SectionData | None = None
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
            self._check_key_and_themes(item.line, "key message", item.key, item.themes)
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
                if attrs is None:
                    self.error(number, "a section heading must end with {key=... themes=...}")
                    attrs = {}
                mode = "section"
                key = attrs.get("key", "")
                themes = _themes(attrs.get("themes"))
                self._check_key_and_themes(number, "section", key, themes)
                section = SectionData(
                    key=key,
                    heading=text.strip(),
                    slug=attrs.get("slug", ""),
                    level=level,
                    themes=themes,
                    line=number,
                )
                if level == 2:
                    parent = section
                elif parent is None:
                    self.error(number, "a '###' sub-section must follow a '##' section")
                else:
                    section.parent_key = parent.key
                for name in attrs:
                    if name not in {"key", "themes", "slug"}:
                        self.error(number, f"unknown heading attribute '{name}'")
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
        data.intro = "\n".join(intro).strip()
        for sec in data.sections:
            sec.body = "\n".join(sec.body).strip()
        seen: dict[str, int] = {}
        for entry in [*data.sections, *data.key_messages]:
            kind = "section" if isinstance(entry, SectionData) else "key message"
            if entry.key and (kind, entry.key) in seen:
                self.error(
                    entry.line,
                    f"duplicate {kind} key '{entry.key}' (first at line {seen[(kind, entry.key)]})",
                )
            seen.setdefault((kind, entry.key), entry.line)

    def _check_key_and_themes(self, line, what, key, themes):
        if not key:
            self.error(line, f"this {what} needs a key=... (its permanent identity)")
        elif not KEY_RE.match(key):
            self.error(line, f"{what} key {key!r} must be lowercase-with-hyphens")
        if not themes:
            self.error(line, f"this {what} needs at least one theme: themes=slug,slug")


def parse_briefing(path: Path, text: str | None = None) -> tuple[BriefingData | None, list]:
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            return None, [ContentError(str(path), 1, f"the file is not UTF-8 text ({exc.reason})")]
    parser = _FileParser(path, text)
    data = parser.parse()
    return data, parser.errors


@dataclass
class ThemeData:
    slug: str
    name: str
    description: str
    line: int


def parse_themes(path: Path) -> tuple[list[ThemeData], list[ContentError]]:
    errors: list[ContentError] = []
    try:
        items = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [], [ContentError(str(path), mark.line + 1 if mark else 1, f"not valid YAML: {exc}")]
    if not isinstance(items, list):
        return [], [ContentError(str(path), 1, "the themes file must be a list of themes")]
    themes = []
    seen = set()
    for item in items:
        if not isinstance(item, dict):
            errors.append(ContentError(str(path), 1, "each theme must be a mapping"))
            continue
        line = item["__line__"]
        slug = str(item.get("slug") or "").strip()
        name = str(item.get("name") or "").strip()
        if not slug or not KEY_RE.match(slug):
            errors.append(
                ContentError(str(path), line, f"theme slug {slug!r} is missing or invalid")
            )
        if not name:
            errors.append(ContentError(str(path), line, "a theme needs a name"))
        if slug in seen:
            errors.append(ContentError(str(path), line, f"duplicate theme slug '{slug}'"))
        seen.add(slug)
        themes.append(ThemeData(slug, name, str(item.get("description") or "").strip(), line))
    return themes, errors
