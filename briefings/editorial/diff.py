"""A readable comparison of two states of a document, for editors.

Not a dump of stored data: the document's details are listed field by field with their labels,
and each section, key message and citation is matched across the two states by identity (so a
renamed or moved section is one section that changed, not one removed and one added). Text is
compared word by word, and the words added and removed are marked with <ins> and <del>.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..models import Briefing, Reference, Role, Series, Theme
from ..normalise import normalise_text
from .revisions import DocumentState

TOKEN_RE = re.compile(r"\S+\s*")
# Unchanged runs longer than this many words either side of a change are shortened with "…".
CONTEXT_WORDS = 30
# Common runs of this many words or fewer between two changes are shown as part of the change.
SHORT_COMMON_RUN = 2

BRIEFING_TEXTS = [("intro", "Introduction"), ("source_note", "About this document")]
# Left out: the texts (compared word by word below) and the glossary list only an import sets
# (editors change glossary terms on their own admin page).
NOT_COMPARED = {"glossary", *(name for name, _ in BRIEFING_TEXTS)}
# Every detail an editor or an import sets, in the model's order: a field added to the model is
# in the history without anyone remembering to list it here.
BRIEFING_FIELDS = [
    f.name
    for f in Briefing._meta.get_fields()
    if f.concrete and f.editable and not f.auto_created and f.name not in NOT_COMPARED
]
# A citation's fields shown when they change; the work's are as this document gives them.
CITATION_FIELDS = [
    ("local_key", "Key"),
    ("label", "Label"),
    ("authors", "Authors"),
    ("year", "Year"),
    ("title", "Title"),
    ("publisher", "Publisher"),
    ("journal", "Journal"),
    ("url", "Web address"),
]


# ---- word diff ---------------------------------------------------------------------------------


def _tokens(text):
    return TOKEN_RE.findall(text or "")


def _run(tokens, tag=None):
    """Escaped text of tokens, wrapped in <ins>/<del>; the trailing space stays outside."""
    text = "".join(tokens)
    words = text.rstrip()
    space = text[len(words) :]
    if not words:
        return escape(space)
    body = escape(words)
    return f"<{tag}>{body}</{tag}>{escape(space)}" if tag else body + escape(space)


def _elide(tokens, keep_start, keep_end, context):
    """Shorten a long unchanged run, keeping the words next to the changes around it."""
    head = context if keep_start else 0
    tail = context if keep_end else 0
    if len(tokens) <= head + tail + context:
        return _run(tokens)
    kept_head = _run(tokens[:head]) if head else ""
    kept_tail = _run(tokens[-tail:]) if tail else ""
    return f'{kept_head}<span class="diff-elided">…</span> {kept_tail}'


def _segments(a, b):
    """Diff segments (op, old tokens, new tokens), with short common words between two changes
    folded into them, so "Call the duty team" → "Speak to the young person" reads as one change
    rather than a patchwork around "the"."""
    matcher = difflib.SequenceMatcher(
        None, [t.strip() for t in a], [t.strip() for t in b], autojunk=False
    )
    segments = [(op, a[i1:i2], b[j1:j2]) for op, i1, i2, j1, j2 in matcher.get_opcodes()]
    last = len(segments) - 1
    for index, (op, old, new) in enumerate(segments):
        if op == "equal" and 0 < index < last and len(new) <= SHORT_COMMON_RUN:
            segments[index] = ("replace", old, new)
    merged = []
    for op, old, new in segments:
        if op != "equal" and merged and merged[-1][0] != "equal":
            _, old_before, new_before = merged.pop()
            op, old, new = "replace", old_before + old, new_before + new
        merged.append((op, old, new))
    return merged


def word_diff(old: str, new: str, context: int | None = None) -> SafeString:
    """HTML of ``new`` with the words added marked <ins> and the words removed marked <del>.

    Words are compared without their spacing, so re-wrapping a paragraph is not a change. With
    ``context``, long unchanged stretches are cut down to that many words around each change.
    """
    segments = _segments(_tokens(old), _tokens(new))
    parts = []
    for index, (op, removed, added) in enumerate(segments):
        if op == "equal":
            if context is None:
                parts.append(_run(added))
            else:
                parts.append(_elide(added, index > 0, index < len(segments) - 1, context))
            continue
        if removed:
            parts.append(_run(removed, "del"))
            if added and not parts[-1].endswith((" ", "\n")):
                parts.append(" ")
        if added:
            parts.append(_run(added, "ins"))
    return mark_safe("".join(parts))  # noqa: S308 - every token was escaped above


def whole(text: str, tag: str) -> SafeString:
    """All of a text as added or removed."""
    return mark_safe(_run(_tokens(text), tag))  # noqa: S308 - escaped in _run


# ---- labels and values -------------------------------------------------------------------------


class Names:
    """Display names for the ids stored in revisions, fetched once per comparison."""

    def __init__(self):
        self.roles = dict(Role.objects.values_list("pk", "name"))
        self.themes = dict(Theme.objects.values_list("pk", "name"))
        self.series = dict(Series.objects.values_list("pk", "name"))
        self._references = None

    def reference(self, pk):
        if self._references is None:
            self._references = {r.pk: str(r) for r in Reference.objects.all()}
        return self._references.get(pk, f"reference #{pk} (deleted)")


def _display(value, model_field=None):
    if value is None or value == "" or value == []:
        return "(none)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


@dataclass
class Change:
    label: str
    before: str = ""
    after: str = ""
    diff: SafeString | None = None


@dataclass
class ItemDiff:
    status: str  # added, removed, changed
    title: str
    title_diff: SafeString | None = None
    level: int = 2
    changes: list[Change] = field(default_factory=list)
    text: SafeString | None = None


@dataclass
class DocumentDiff:
    details: list[Change]
    texts: list[Change]
    sections: list[ItemDiff]
    unchanged_sections: list[str]
    key_messages: list[ItemDiff]
    unchanged_key_messages: int
    citations: list[ItemDiff]
    unchanged_citations: int

    @property
    def has_changes(self):
        return bool(
            self.details or self.texts or self.sections or self.key_messages or self.citations
        )


# ---- comparison --------------------------------------------------------------------------------


def _details(old: DocumentState, new: DocumentState, names: Names) -> list[Change]:
    changes = []
    a, b = old.briefing.instance, new.briefing.instance
    for name in BRIEFING_FIELDS:
        model_field = Briefing._meta.get_field(name)
        label = str(model_field.verbose_name).capitalize()
        if name == "audiences":
            before = sorted(names.roles.get(pk, "?") for pk in old.briefing.m2m.get(name, []))
            after = sorted(names.roles.get(pk, "?") for pk in new.briefing.m2m.get(name, []))
            if before != after:
                changes.append(Change(label, _display(before), _display(after)))
            continue
        if name == "series":
            before, after = names.series.get(a.series_id), names.series.get(b.series_id)
        else:
            before, after = getattr(a, name), getattr(b, name)
        if before != after:
            change = Change(label, _display(before, model_field), _display(after, model_field))
            if name == "title":
                change.diff = word_diff(before, after)
            changes.append(change)
    return changes


def _texts(old: DocumentState, new: DocumentState) -> list[Change]:
    changes = []
    for name, label in BRIEFING_TEXTS:
        before = getattr(old.briefing.instance, name)
        after = getattr(new.briefing.instance, name)
        if _differs(before, after):
            changes.append(Change(label, diff=word_diff(before, after, CONTEXT_WORDS)))
    return changes


def _differs(before: str, after: str) -> bool:
    """Whether two texts differ as readers see them: revisions stored before texts were
    normalised may differ only in line ends or trailing spaces."""
    return normalise_text(before) != normalise_text(after)


def _interleave(old_order, new_order):
    """New order, with each removed item placed after the item that preceded it before."""
    new_set = set(new_order)
    after = {}
    for index, pk in enumerate(old_order):
        if pk in new_set:
            continue
        anchor = next((p for p in reversed(old_order[:index]) if p in new_set), None)
        after.setdefault(anchor, []).append(pk)
    merged = list(after.get(None, []))
    for pk in new_order:
        merged.append(pk)
        merged.extend(after.get(pk, []))
    return merged


def _moved(old_order, new_order):
    """Items whose place among the items kept changed (not explained by insertions/removals)."""
    common_old = [pk for pk in old_order if pk in set(new_order)]
    common_new = [pk for pk in new_order if pk in set(old_order)]
    matcher = difflib.SequenceMatcher(None, common_old, common_new, autojunk=False)
    stayed = set()
    for block in matcher.get_matching_blocks():
        stayed.update(common_new[block.b : block.b + block.size])
    return set(common_new) - stayed


def _theme_change(names, before_ids, after_ids):
    before = {names.themes.get(t, "?") for t in before_ids}
    after = {names.themes.get(t, "?") for t in after_ids}
    if before == after:
        return None
    return Change("Themes", _display(sorted(before)), _display(sorted(after)))


def _sections(old: DocumentState, new: DocumentState, names: Names):
    def order(state):
        return [pk for pk, _ in sorted(state.sections.items(), key=lambda kv: kv[1].instance.order)]

    old_order, new_order = order(old), order(new)
    moved = _moved(old_order, new_order)
    diffs, unchanged = [], []

    def heading(state, pk):
        item = state.sections.get(pk)
        return item.instance.heading if item else None

    for pk in _interleave(old_order, new_order):
        a, b = old.sections.get(pk), new.sections.get(pk)
        if a is None:
            s = b.instance
            diffs.append(
                ItemDiff(
                    "added",
                    s.heading,
                    level=3 if s.parent_id else 2,
                    changes=[Change("Status", after=s.get_status_display())],
                    text=whole(s.body, "ins"),
                )
            )
            continue
        if b is None:
            s = a.instance
            diffs.append(
                ItemDiff(
                    "removed", s.heading, level=3 if s.parent_id else 2, text=whole(s.body, "del")
                )
            )
            continue
        sa, sb = a.instance, b.instance
        item = ItemDiff("changed", sb.heading, level=3 if sb.parent_id else 2)
        if sa.heading != sb.heading:
            item.title_diff = word_diff(sa.heading, sb.heading)
            item.changes.append(Change("Heading", sa.heading, sb.heading))
        if sa.status != sb.status:
            item.changes.append(Change("Status", sa.get_status_display(), sb.get_status_display()))
        if sa.parent_id != sb.parent_id:
            item.changes.append(
                Change(
                    "Sub-section of",
                    heading(old, sa.parent_id) or "(top level)",
                    heading(new, sb.parent_id) or "(top level)",
                )
            )
        for name, label in (("key", "Key"), ("slug", "Anchor (slug)")):
            if getattr(sa, name) != getattr(sb, name):
                item.changes.append(Change(label, getattr(sa, name), getattr(sb, name)))
        item.changes += _placement(
            pk, (old_order, new_order), moved, names, (old.section_themes, new.section_themes)
        )
        if _differs(sa.body, sb.body):
            item.text = word_diff(sa.body, sb.body, CONTEXT_WORDS)
        if item.changes or item.text is not None:
            diffs.append(item)
        else:
            unchanged.append(sb.heading)
    return diffs, unchanged


def _placement(pk, orders, moved, names: Names, themes) -> list[Change]:
    """A section's or key message's move within its document and its change of themes."""
    old_order, new_order = orders
    changes = []
    if pk in moved:
        changes.append(
            Change(
                "Position",
                f"{old_order.index(pk) + 1} of {len(old_order)}",
                f"{new_order.index(pk) + 1} of {len(new_order)}",
            )
        )
    theme_change = _theme_change(names, themes[0].get(pk, []), themes[1].get(pk, []))
    if theme_change:
        changes.append(theme_change)
    return changes


def _key_messages(old: DocumentState, new: DocumentState, names: Names):
    def order(state):
        return [
            pk for pk, _ in sorted(state.key_messages.items(), key=lambda kv: kv[1].instance.order)
        ]

    old_order, new_order = order(old), order(new)
    moved = _moved(old_order, new_order)
    diffs, unchanged = [], 0
    for pk in _interleave(old_order, new_order):
        a, b = old.key_messages.get(pk), new.key_messages.get(pk)
        if a is None:
            diffs.append(ItemDiff("added", str(b.instance), text=whole(b.instance.text, "ins")))
            continue
        if b is None:
            diffs.append(ItemDiff("removed", str(a.instance), text=whole(a.instance.text, "del")))
            continue
        ka, kb = a.instance, b.instance
        item = ItemDiff("changed", str(kb))
        if _differs(ka.text, kb.text):
            item.text = word_diff(ka.text, kb.text)
        if ka.key != kb.key:
            item.changes.append(Change("Key", ka.key, kb.key))
        item.changes += _placement(
            pk,
            (old_order, new_order),
            moved,
            names,
            (old.key_message_themes, new.key_message_themes),
        )
        if item.changes or item.text is not None:
            diffs.append(item)
        else:
            unchanged += 1
    return diffs, unchanged


def _citations(old: DocumentState, new: DocumentState, names: Names):
    def order(state):
        return [
            pk for pk, _ in sorted(state.citations.items(), key=lambda kv: kv[1].instance.order)
        ]

    diffs, unchanged = [], 0
    for pk in _interleave(order(old), order(new)):
        a, b = old.citations.get(pk), new.citations.get(pk)
        if a is None:
            diffs.append(
                ItemDiff("added", b.instance.local_key, text=whole(b.instance.entry, "ins"))
            )
            continue
        if b is None:
            diffs.append(
                ItemDiff("removed", a.instance.local_key, text=whole(a.instance.entry, "del"))
            )
            continue
        ca, cb = a.instance, b.instance
        item = ItemDiff("changed", cb.local_key)
        for name, label in CITATION_FIELDS:
            if getattr(ca, name) != getattr(cb, name):
                item.changes.append(Change(label, getattr(ca, name), getattr(cb, name)))
        if ca.listed != cb.listed:
            item.changes.append(
                Change("In the printed list", _display(ca.listed), _display(cb.listed))
            )
        if ca.reference_id != cb.reference_id:
            item.changes.append(
                Change(
                    "Work cited",
                    names.reference(ca.reference_id),
                    names.reference(cb.reference_id),
                )
            )
        if _differs(ca.entry, cb.entry):
            item.text = word_diff(ca.entry, cb.entry)
        if item.changes or item.text is not None:
            diffs.append(item)
        else:
            unchanged += 1
    return diffs, unchanged


def compare(old: DocumentState, new: DocumentState) -> DocumentDiff:
    names = Names()
    sections, unchanged_sections = _sections(old, new, names)
    key_messages, unchanged_messages = _key_messages(old, new, names)
    citations, unchanged_citations = _citations(old, new, names)
    return DocumentDiff(
        details=_details(old, new, names),
        texts=_texts(old, new),
        sections=sections,
        unchanged_sections=unchanged_sections,
        key_messages=key_messages,
        unchanged_key_messages=unchanged_messages,
        citations=citations,
        unchanged_citations=unchanged_citations,
    )


def compare_versions(briefing, old_version, new_version=None):
    """Two of the document's versions, older first, and what changed between them.

    ``new_version`` None stands for the document as it is now.
    """
    if new_version is None:
        new_state = DocumentState.from_database(briefing)
    else:
        if new_version.revision.date_created < old_version.revision.date_created:
            old_version, new_version = new_version, old_version
        new_state = DocumentState.from_revision(new_version.revision, briefing.pk)
    old_state = DocumentState.from_revision(old_version.revision, briefing.pk)
    return old_version, new_version, compare(old_state, new_state)


def changes_on_revert(briefing, version) -> DocumentDiff:
    """What reverting the document to ``version`` would change."""
    state = DocumentState.from_revision(version.revision, briefing.pk)
    return compare(DocumentState.from_database(briefing), state)
