"""One spelling for the same Markdown text, so that only real changes count as changes.

A browser sends a textarea's lines ending in CRLF, an editor's file may end them in CR, and
trailing spaces come and go unseen. None of that changes what readers see, but compared as stored
text it would make every save of a form "change" every text. So every Markdown text is normalised
the same way wherever it enters: the admin's forms, the model's save, the importer, and a data
migration for the rows stored before.

Trailing whitespace is removed, except a Markdown hard line break (two or more spaces at the end
of a line that another line of the same paragraph follows), which is kept as exactly two spaces:
the rendering is unchanged in every case.
"""

from __future__ import annotations

import re

_LINE_END = re.compile(r"\r\n?")
_TRAILING = re.compile(r"[ \t]+$")
_HARD_BREAK = re.compile(r" {2,}$")


def normalise_text(text: str | None) -> str:
    """``text`` with LF line ends, no trailing whitespace (hard breaks kept) and no blank lines
    at either end."""
    if not text:
        return text or ""
    lines = _LINE_END.sub("\n", text).split("\n")
    kept = []
    for index, line in enumerate(lines):
        stripped = _TRAILING.sub("", line)
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if stripped and _HARD_BREAK.search(line) and following.strip():
            stripped += "  "
        kept.append(stripped)
    return "\n".join(kept).strip("\n")
