"""What an import did (or, in a dry run, would have done), in plain words."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# What the importer counts, singular and plural.
KINDS = {
    "briefings": ("document", "documents"),
    "briefing audiences": ("document's audiences", "documents' audiences"),
    "citations": ("citation", "citations"),
    "references": ("shared reference", "shared references"),
    "glossary terms": ("glossary term", "glossary terms"),
    "themes": ("theme", "themes"),
    "series": ("series", "series"),
    "sections": ("section", "sections"),
    "sections (re-rendered)": ("section re-rendered", "sections re-rendered"),
    "section themes": ("section's themes", "sections' themes"),
    "key messages": ("key message", "key messages"),
    "key messages (re-rendered)": ("key message re-rendered", "key messages re-rendered"),
    "key message themes": ("key message's themes", "key messages' themes"),
    "introductions (re-rendered)": ("introduction re-rendered", "introductions re-rendered"),
}


def counted(count: int, kind: str) -> str:
    singular, plural = KINDS.get(kind, (kind, kind))
    return f"{count} {singular if count == 1 else plural}"


@dataclass
class Report:
    files: int = 0
    dry_run: bool = False
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    revisions: int = 0  # documents changed, each recorded as a revision to undo in the admin

    @property
    def changed(self):
        # A counter may hold kinds counted zero times: those are no change.
        return any(any(c.values()) for c in (self.created, self.updated, self.deleted))

    def changes(self) -> list[str]:
        """One line per kind of change: 'created 5 documents'."""
        out = []
        for verb, counter in (
            ("created", self.created),
            ("updated", self.updated),
            ("deleted", self.deleted),
        ):
            for kind, count in sorted(counter.items()):
                if count:
                    out.append(f"{verb} {counted(count, kind)}")
        if self.revisions:
            out.append(
                f"recorded a revision of {counted(self.revisions, 'briefings')} in their history"
            )
        return out

    def lines(self) -> list[str]:
        files = f"{self.files} file" + ("" if self.files == 1 else "s")
        changes = self.changes()
        if not changes:
            suffix = " (dry run, nothing written)" if self.dry_run else ""
            return [f"Checked {files}; no changes{suffix}."]
        if self.dry_run:
            return [
                f"Checked {files}.",
                *(f"Dry run, nothing written: would have {c}" for c in changes),
            ]
        return [f"Checked {files}.", *changes]
