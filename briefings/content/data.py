"""What a content file holds once parsed: plain data with the line each part came from."""

from __future__ import annotations

from dataclasses import dataclass, field


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


@dataclass
class ThemeData:
    slug: str
    name: str
    description: str
    line: int
