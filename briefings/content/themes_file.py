"""Parse the themes file (``themes.yaml``): the taxonomy shared by every document."""

from __future__ import annotations

from pathlib import Path

from . import frontmatter
from .data import ContentError, ThemeData
from .limits import KEY_RE, MAX_FRONT_MATTER_CHARS, max_length
from .parser import _FileParser


def parse_themes(path: Path) -> tuple[list[ThemeData], list[ContentError]]:
    from briefings.models import Theme

    path_str = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return [], [ContentError(path_str, 1, f"the file is not UTF-8 text ({exc.reason})")]
    if len(text) > MAX_FRONT_MATTER_CHARS:
        return [], [ContentError(path_str, 1, "the themes file is too long")]
    try:
        items = frontmatter.load(text)
    except frontmatter.FrontMatterError as exc:
        return [], [ContentError(path_str, exc.line, f"not valid YAML: {exc.message}")]
    if not isinstance(items, list):
        return [], [ContentError(path_str, 1, "the themes file must be a list of themes")]
    parser = _FileParser(path, "")
    parser.offset = 0
    themes = []
    slugs: dict[str, int] = {}
    names: dict[str, int] = {}
    limits = {name: max_length(Theme, name) for name in ("slug", "name", "description")}
    for item in items:
        if not isinstance(item, dict):
            parser.error(1, "each theme must be a mapping")
            continue
        line = parser._line(item)
        parser._unknown(item, limits, "theme field")
        slug, name, description = (
            parser._text(item.get(key), parser._line(item, key), f"'{key}'", limits[key])
            for key in ("slug", "name", "description")
        )
        if not slug or not KEY_RE.match(slug):
            parser.error(line, f"theme slug {slug!r} is missing or invalid")
        if not name:
            parser.error(line, "a theme needs a name")
        for value, seen, what in ((slug, slugs, "slug"), (name, names, "name")):
            if value in seen:
                parser.error(
                    line, f"duplicate theme {what} '{value}' (first at line {seen[value]})"
                )
            seen.setdefault(value, line)
        themes.append(ThemeData(slug, name, description, line))
    return themes, parser.errors
