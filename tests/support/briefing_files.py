"""Briefing files in the content format, made at test time for the admin's import pages."""

from __future__ import annotations

THEMES = ("prevention-and-early-intervention", "relationship-based-practice", "going-missing")


def briefing_file(
    slug="youth-workers",
    title="Key messages: Youth workers",
    status="published",
    sections=4,
    audience="police",
):
    """A valid briefing: four sections, three key messages and ten references by default."""
    references = "".join(
        f"""  - key: author{n}-{2000 + n}
    authors: Author{n}, A.
    year: "{2000 + n}"
    title: "Title of work {n}"
    publisher: "London: Publisher"
    text: "Author{n}, A. ({2000 + n}) *Title of work {n}* London: Publisher"
"""
        for n in range(10)
    )
    messages = "\n".join(
        f"- Key message {n} about listening to young people. {{key=message-{n} themes={THEMES[0]}}}"
        for n in range(1, 4)
    )
    body = "\n\n".join(
        f"## Section {n} heading {{key=section-{n} themes={THEMES[n % 3]}}}\n\n"
        f"Text of section {n}, citing work {n} "
        f"([Author{n}, {2000 + n}](cite:author{n}-{2000 + n}))."
        for n in range(1, sections + 1)
    )
    return f"""---
title: "{title}"
slug: {slug}
kind: research-briefing
publisher: Centre of expertise on child sexual abuse
authors: A. Author
published: 2024-05
audiences: [{audience}]
status: {status}
source: {slug}.docx
reference_list: true
references:
{references}---

This briefing is for youth workers.

## Key messages

{messages}

{body}
"""
