"""A content file brought in through the admin: checked (a dry run) and then imported, by the
same ``Importer`` that ``python manage.py import_briefings`` runs.

Two differences, both about who decides that readers see something: a document the upload
creates is a draft whatever its file says, and a document that exists keeps the status it has
(publishing and returning to draft are the workflow's own steps). The text the editor confirms
is the text that was checked: the check returns a signed digest of it, and the import refuses
any other text (``CheckedText``).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core import signing
from django.utils.text import get_valid_filename
from reversion.models import Revision

from ..models import Briefing, Section, Status
from .data import ContentErrors
from .importer import Importer
from .limits import MAX_FILE_CHARS
from .report import Report

# An uploaded file is at most this many bytes: the content format's own limit on a file's
# characters, as UTF-8 of mostly ASCII text.
MAX_UPLOAD_BYTES = MAX_FILE_CHARS
_SALT = "briefings.content.uploads"


def normalise(text: str) -> str:
    """The text with LF line endings, whatever the browser (a textarea sends CRLF) or the
    editor's system sent, so a file checked and then confirmed is the same text."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def file_name(name: str) -> str:
    """A safe ``.md`` name for an uploaded file (it names the import in the history)."""
    stem = get_valid_filename(Path(name or "upload").stem)[:80] or "upload"
    return f"{stem}.md"


def taken_slugs() -> set[str]:
    """Every document's slug: a new document's generated slug must be none of them."""
    return set(Briefing.objects.values_list("slug", flat=True))


class CheckedText:
    """A signed digest of the text a check showed, carried by the review form.

    ``versions`` (content key → version) are the versions of the documents the check was made
    against, when the confirming form must carry them too."""

    @staticmethod
    def _digest(name: str, text: str, versions: dict[str, int] | None) -> str:
        stamp = json.dumps(versions or {}, sort_keys=True)
        return hashlib.sha256(f"{name}\0{text}\0{stamp}".encode()).hexdigest()

    @classmethod
    def sign(cls, name: str, text: str, versions: dict[str, int] | None = None) -> str:
        return signing.Signer(salt=_SALT).sign(cls._digest(name, text, versions))

    @classmethod
    def matches(
        cls, token: str, name: str, text: str, versions: dict[str, int] | None = None
    ) -> bool:
        try:
            return signing.Signer(salt=_SALT).unsign(token) == cls._digest(name, text, versions)
        except signing.BadSignature:
            return False


@dataclass
class DocumentPlan:
    """What the upload does to one document."""

    slug: str
    title: str
    exists: bool
    status: str
    sections: int
    key_messages: int
    references: int
    section_changes: list[str] = field(default_factory=list)


@dataclass
class UploadCheck:
    name: str
    text: str
    errors: list[str] = field(default_factory=list)  # "line N: message"
    report: Report | None = None
    documents: list[DocumentPlan] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _AdminImporter(Importer):
    """The command's importer, with the status rule of uploads (see the module docstring)."""

    def validate(self):
        super().validate()
        slugs = [data.slug for data in self.briefings]
        current = dict(Briefing.objects.filter(slug__in=slugs).values_list("slug", "status"))
        for data in self.briefings:
            data.status = current.get(data.slug, Status.DRAFT)


def _section_changes(data, briefing) -> list[str]:
    """The sections the file adds, changes or removes, by heading."""
    if briefing is None:
        return []
    stored = {s.key: s for s in Section.objects.filter(briefing=briefing)}
    out = []
    for sec in data.sections:
        old = stored.pop(sec.key, None)
        if old is None:
            out.append(f"New section “{sec.heading}”")
        elif old.heading != sec.heading:
            out.append(f"Section “{old.heading}” renamed “{sec.heading}”")
        elif old.body != sec.body:
            out.append(f"Section “{sec.heading}”: text changed")
    out += [f"Section “{s.heading}” removed" for s in stored.values()]
    return out


def _run(name: str, text: str, dry_run: bool) -> tuple[_AdminImporter, Report]:
    with tempfile.TemporaryDirectory(prefix="briefing-upload-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        importer = _AdminImporter([path])
        return importer, importer.run(dry_run=dry_run)


def check_upload(name: str, text: str) -> UploadCheck:
    """Validate the text and run the import without writing anything: what it would do."""
    name, text = file_name(name), normalise(text)
    check = UploadCheck(name=name, text=text)
    try:
        importer, check.report = _run(name, text, dry_run=True)
    except ContentErrors as exc:
        check.errors = [f"line {error.line}: {error.message}" for error in exc.errors]
        return check
    existing = Briefing.objects.in_bulk([d.slug for d in importer.briefings], field_name="slug")
    for data in importer.briefings:
        briefing = existing.get(data.slug)
        check.documents.append(
            DocumentPlan(
                slug=data.slug,
                title=data.title,
                exists=briefing is not None,
                status=data.status,
                sections=len(data.sections),
                key_messages=len(data.key_messages),
                references=len(data.references),
                section_changes=_section_changes(data, briefing),
            )
        )
    return check


def import_upload(name: str, text: str, user) -> tuple[Briefing, Report]:
    """Import a checked text for real; raises ContentErrors if it is no longer valid (another
    editor changed something it depends on meanwhile). The history names ``user``."""
    name, text = file_name(name), normalise(text)
    last = Revision.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    importer, report = _run(name, text, dry_run=False)
    # The importer records its revisions for the command line, without a user.
    Revision.objects.filter(pk__gt=last, user=None, comment=f"Imported from {name}.").update(
        user=user
    )
    return Briefing.objects.get(slug=importer.briefings[0].slug), report
