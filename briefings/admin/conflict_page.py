"""The conflict page: what an editor posted that was not saved, field by field against the
content as it is now, with "keep mine", "keep theirs" and (for text) an editable merge.

The page is a plain form (no script needed). It carries everything else the editor posted as
hidden inputs, with the version they have now seen, and posts back to the same admin URL; there
``apply_choices`` puts the chosen values back in place of each field, and the admin's own save
runs as for any form, with the version check. "Theirs" is what the page showed: if the content
moved on again meanwhile, the check refuses that save too, and the page is shown afresh.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import FieldDoesNotExist
from django.http import QueryDict
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

# The word diff of the revision compare, laid out as two columns here.
from ..editorial.diff import BRIEFING_TEXTS, _run, _segments, _tokens

VERSION_FIELD = "_edit_version"
CONFLICTS = "_conflict"  # the html names of the fields in conflict
KEYS, MINE, THEIRS, CHOICE, MERGE = "_keys:", "_mine:", "_theirs:", "_choice:", "_merge:"
HELPER_PREFIXES = (KEYS, MINE, THEIRS, CHOICE, MERGE)
NOT_CARRIED = {"csrfmiddlewaretoken", VERSION_FIELD, CONFLICTS}
# Formset bookkeeping, never a conflict of its own.
SKIPPED = {"id", "DELETE", "ORDER"}
CHOICES = ("mine", "theirs", "merge")


@dataclass
class FieldConflict:
    label: str
    name: str  # the field's html name; its POST keys are ``keys`` (a split widget has several)
    keys: list[str]
    mine: dict[str, list[str]]
    theirs: dict[str, list[str]]
    text: bool
    mine_shown: str = ""  # as shown: text with its own words marked, else a description
    theirs_shown: str = ""
    choice: str = ""
    merge: str = ""

    @property
    def hidden(self):
        """(name, value) pairs that carry both versions through the page."""
        pairs = [(KEYS + self.name, key) for key in self.keys]
        for key in self.keys:
            pairs += [(MINE + key, value) for value in self.mine[key]]
            pairs += [(THEIRS + key, value) for value in self.theirs[key]]
        return pairs


@dataclass
class Conflicts:
    fields: list[FieldConflict]
    carried: list[tuple[str, str]]  # the rest of what was posted, as it was posted
    notes: list[str] = field(default_factory=list)


# ---- the values a widget posts ------------------------------------------------------------------


def _widget(bound):
    widget = bound.field.widget
    return getattr(widget, "widget", widget)  # the admin's related-object wrapper


def field_keys(bound) -> list[str]:
    widget = _widget(bound)
    names = getattr(widget, "widgets_names", None)
    if names:
        return [f"{bound.html_name}{suffix}" for suffix in names]
    return [bound.html_name]


def posted_values(bound, value) -> dict[str, list[str]]:
    """What a browser posts for ``value`` in this field's widget, by POST key."""
    widget = _widget(bound)
    keys = field_keys(bound)
    value = bound.field.prepare_value(value)
    if len(keys) > 1:
        parts = widget.decompress(value)
        return {
            key: [_formatted(sub, part)]
            for key, sub, part in zip(keys, widget.widgets, parts, strict=True)
        }
    if isinstance(widget, forms.CheckboxInput):
        return {keys[0]: ["on"] if widget.check_test(value) else []}
    if getattr(widget, "allow_multiple_selected", False):
        return {keys[0]: [str(v) for v in value or []]}
    return {keys[0]: [_formatted(widget, value)]}


def _formatted(widget, value) -> str:
    formatted = widget.format_value(value)
    if isinstance(formatted, list | tuple):  # a select's chosen value
        formatted = formatted[0] if formatted else ""
    return "" if formatted is None else str(formatted)


def _is_text(bound) -> bool:
    widget = _widget(bound)
    return (
        isinstance(bound.field, forms.CharField)
        and isinstance(widget, forms.Textarea | forms.TextInput)
        and len(field_keys(bound)) == 1
    )


def _shown(bound, values: dict[str, list[str]]) -> str:
    """A value as an editor reads it: choice labels, object names, yes or no."""
    flat = [v for key in field_keys(bound) for v in values.get(key, [])]
    formfield = bound.field
    if isinstance(_widget(bound), forms.CheckboxInput):
        return "Yes" if flat else "No"
    if isinstance(formfield, forms.ModelChoiceField):
        chosen = [v for v in flat if v]
        try:
            names = [str(obj) for obj in formfield.queryset.filter(pk__in=chosen)]
        except (ValueError, TypeError):
            names = chosen
        return ", ".join(names) or "(none)"
    if isinstance(formfield, forms.ChoiceField):
        labels = {}
        for value, label in formfield.choices:
            if isinstance(label, list | tuple):
                labels.update({str(v): str(lab) for v, lab in label})
            else:
                labels[str(value)] = str(label)
        return ", ".join(labels.get(v, v) for v in flat) or "(none)"
    return " ".join(flat)


def side_by_side(theirs: str, mine: str) -> tuple[SafeString, SafeString]:
    """Both texts, each with the words only it has marked, compared word by word."""
    theirs_parts, mine_parts = [], []
    for op, old, new in _segments(_tokens(theirs), _tokens(mine)):
        if op == "equal":
            theirs_parts.append(_run(old))
            mine_parts.append(_run(new))
            continue
        if old:
            theirs_parts.append(_run(old, "mark"))
        if new:
            mine_parts.append(_run(new, "mark"))
    # Every token was escaped by _run.
    return mark_safe("".join(theirs_parts)), mark_safe("".join(mine_parts))  # noqa: S308


# ---- finding the conflicts ----------------------------------------------------------------------


def _is_model_field(form, name) -> bool:
    try:
        form._meta.model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return name not in SKIPPED


def _form_conflicts(form, label: str | None) -> list[FieldConflict]:
    found = []
    for name in form.changed_data:
        if not _is_model_field(form, name):
            continue
        bound = form[name]
        # The document's texts by the names the revision compare gives them.
        field_label = dict(BRIEFING_TEXTS).get(name, bound.label) if label is None else bound.label
        keys = field_keys(bound)
        mine = {key: form.data.getlist(key) for key in keys}
        theirs = posted_values(bound, bound.initial)
        text = _is_text(bound)
        if text and _same_text(mine[keys[0]], theirs[keys[0]]):
            continue
        item = FieldConflict(
            label=f"{label}: {field_label}" if label else str(field_label),
            name=bound.html_name,
            keys=keys,
            mine=mine,
            theirs=theirs,
            text=text,
            merge=mine[keys[0]][0] if text and mine[keys[0]] else "",
        )
        if text:
            item.theirs_shown, item.mine_shown = side_by_side(theirs[keys[0]][0], item.merge)
        else:
            item.theirs_shown, item.mine_shown = _shown(bound, theirs), _shown(bound, mine)
        found.append(item)
    return found


def _same_text(mine: list[str], theirs: list[str]) -> bool:
    """A browser posts a textarea's lines ending CRLF, and the field strips its ends: not a
    difference an editor made."""

    def plain(values):
        return [v.replace("\r\n", "\n").strip() for v in values]

    return plain(mine) == plain(theirs)


def _inline_label(form) -> str:
    return f"{capfirst(form._meta.model._meta.verbose_name)} “{form.instance}”"


def find_conflicts(model_admin, request, obj) -> Conflicts:
    """The posted form (``request.POST``) against ``obj`` as it is now: each field whose posted
    value differs from the stored one, and the rest of the post to carry through unchanged."""
    change = obj is not None
    fieldsets = model_admin.get_fieldsets(request, obj)
    form_class = model_admin.get_form(
        request, obj, change=change, fields=flatten_fieldsets(fieldsets)
    )
    form = form_class(request.POST, request.FILES, instance=obj)
    formsets, _inlines = model_admin._create_formsets(request, form.instance, change=change)
    fields = _form_conflicts(form, None)
    notes = []
    for formset in formsets:
        for inline_form in formset.forms:
            posted_id = inline_form.data.get(inline_form.add_prefix("id"))
            if inline_form.instance.pk is None:
                if posted_id:
                    notes.append(
                        f"A {formset.model._meta.verbose_name} you had open was deleted since "
                        "you opened the page; recover it from the document's history first."
                    )
                continue  # a row you added is saved as you wrote it
            fields += _form_conflicts(inline_form, _inline_label(inline_form))
    taken = {key for item in fields for key in item.keys}
    carried = [
        (key, value)
        for key, values in request.POST.lists()
        if key not in NOT_CARRIED and key not in taken and not key.startswith(HELPER_PREFIXES)
        for value in values
    ]
    return Conflicts(fields, carried, notes)


# ---- the editor's choices -----------------------------------------------------------------------


def apply_choices(post: QueryDict) -> tuple[QueryDict, dict[str, tuple[str, str]], list[str]]:
    """The post as the editor resolved it on the conflict page: each field's chosen value in its
    place, and the page's own inputs gone. Also the choices made (name → (choice, merge text)),
    and the fields left without a choice: if there are any, every field is put back as the
    editor first wrote it, so nothing is saved half-decided."""
    resolved = post.copy()
    made, missing = {}, []
    names = post.getlist(CONFLICTS)
    for name in names:
        choice = post.get(CHOICE + name, "")
        made[name] = (choice, post.get(MERGE + name, ""))
        if choice not in CHOICES or (choice == "merge" and MERGE + name not in post):
            missing.append(name)
    for name in names:
        choice = "mine" if missing else made[name][0]
        keys = post.getlist(KEYS + name)
        if choice == "merge":
            resolved.setlist(name, [made[name][1]])
            continue
        source = THEIRS if choice == "theirs" else MINE
        for key in keys:
            resolved.setlist(key, post.getlist(source + key))
    for key in list(resolved):
        if key == CONFLICTS or key.startswith(HELPER_PREFIXES):
            del resolved[key]
    return resolved, made, missing


def with_post(request, post: QueryDict):
    """A copy of ``request`` whose form data is ``post`` (the request itself is left as it came)."""
    resolved = copy.copy(request)
    resolved.POST = post
    return resolved
