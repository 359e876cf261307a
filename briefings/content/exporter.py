"""Write a briefing back in the content format, so that export then import changes nothing.

Everything written is the document's own: its citations' entries and fields, its glossary, its
series list. Nothing shared with other documents is written as if it were this one's.
"""

from __future__ import annotations

import yaml

from briefings.models import Briefing

from .limits import section_slug


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper, data):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_presenter)


def _attrs(key, themes, slug=None):
    parts = [f"key={key}"]
    if slug:
        parts.append(f"slug={slug}")
    parts.append("themes=" + ",".join(themes))
    return "{" + " ".join(parts) + "}"


def _reference(citation) -> dict:
    """The work as this document gives it; the shared reference's key names the work."""
    entry = {
        "key": citation.local_key,
        "label": citation.label,
        "authors": citation.authors,
        "year": citation.year,
        "title": citation.title,
    }
    for name in ("publisher", "journal", "url"):
        if getattr(citation, name):
            entry[name] = getattr(citation, name)
    entry["work"] = citation.reference.key
    entry["text"] = citation.entry
    return entry


def export_briefing(briefing: Briefing) -> str:
    published = ""
    if briefing.published_year:
        published = str(briefing.published_year)
        if briefing.published_month:
            published += f"-{briefing.published_month:02d}"
    meta = {"title": briefing.title}
    if briefing.short_title:
        meta["short_title"] = briefing.short_title
    meta |= {"slug": briefing.slug, "kind": briefing.kind}
    if briefing.series_id:
        meta["series"] = briefing.series.name
        meta["series_title"] = briefing.series_title
    meta.update(
        {
            "publisher": briefing.publisher,
            "authors": briefing.authors,
            "published": published,
            "audiences": [r.slug for r in briefing.audiences.order_by("order")],
            "status": briefing.status,
            "source": briefing.source_file,
            "reference_list": briefing.has_reference_list,
            "source_note": briefing.source_note,
        }
    )
    if briefing.also_available:
        meta["also_available"] = list(briefing.also_available)
    if briefing.glossary:
        meta["glossary"] = [
            {
                "term": entry["term"],
                "expansion": entry["expansion"],
                **({"note": entry["note"]} if entry.get("note") else {}),
            }
            for entry in briefing.glossary
        ]
    meta["references"] = [
        _reference(citation)
        for citation in briefing.citations.filter(listed=True).select_related("reference")
    ]

    out = [
        "---",
        yaml.dump(meta, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100).rstrip(),
        "---",
        "",
    ]
    if briefing.intro:
        out += [briefing.intro, ""]
    messages = list(briefing.key_messages.order_by("order").prefetch_related("themes"))
    if messages:
        out += ["## Key messages", ""]
        for message in messages:
            lines = message.text.splitlines()
            themes = sorted(t.slug for t in message.themes.all())
            lines[-1] = f"{lines[-1]} {_attrs(message.key, themes)}"
            out.append("- " + "\n  ".join(lines))
        out.append("")
    for section in briefing.sections.order_by("order").prefetch_related("themes"):
        marks = "###" if section.parent_id else "##"
        slug = (
            section.slug if section.slug != section_slug("", section.heading, section.key) else None
        )
        themes = sorted(t.slug for t in section.themes.all())
        out += [f"{marks} {section.heading} {_attrs(section.key, themes, slug)}", ""]
        if section.body:
            out += [section.body, ""]
    return "\n".join(out).rstrip() + "\n"
