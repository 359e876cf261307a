"""The reference lists printed in the five source documents (fixtures/sources/), and the curated
entries for the same works (fixtures/briefings/), to measure how well pasted lists are read."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "fixtures" / "sources"
BRIEFINGS = ROOT / "fixtures" / "briefings"
FIELDS = ("authors", "year", "title", "publisher", "journal", "url")
_HEADING_RE = re.compile(r"^(?:#+\s*)?references\s*$", re.I)
# Where a source's reference list ends: the next heading, or the publisher's closing block.
_END_RE = re.compile(r"^#|^\*\*|^www\.csacentre|^Key messages from research", re.I)


def source_reference_list(path: Path) -> str:
    """The lines under a source's "References" heading, as an editor would copy them; empty
    when the source prints no reference list."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if _HEADING_RE.match(line.strip())), None)
    if start is None:
        return ""
    out = []
    for line in lines[start + 1 :]:
        if _END_RE.match(line.strip()):
            break
        out.append(line)
    return "\n".join(out)


def curated_references(source_name: str) -> list[dict]:
    """The curated entries of the document made from ``source_name``."""
    for path in sorted(BRIEFINGS.glob("*.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        if meta.get("source") == source_name:
            return meta.get("references") or []
    return []


def curated_match(parsed, curated: list[dict]) -> dict | None:
    """The curated entry for the same work: same year and first author's surname, closest
    title."""
    surname = parsed.authors.split(",")[0].split(" (")[0].strip().lower()
    candidates = [
        entry
        for entry in curated
        if str(entry["year"]) == parsed.year
        and entry["authors"].split(",")[0].strip().lower() == surname
    ]
    if not candidates:
        return None
    return max(
        candidates,
        key=lambda e: difflib.SequenceMatcher(None, e["title"], parsed.title).ratio(),
    )


def fields_differing(parsed, entry: dict) -> list[str]:
    return [name for name in FIELDS if (getattr(parsed, name) or "") != str(entry.get(name) or "")]
