"""Trainer packs on the public site: the listed index, a pack's page and handout (anyone with the
link), and the trainer's own pages for building packs.

Every view here is ``never_cache``: a pack's page is found only by its secret link and changes
whenever its trainer edits it, so no shared cache may keep a copy. Every view declares the GET
parameters it reads with ``@query_parameters`` (portal/query.py), as the reading pages do: it sees
only those, each valid, so a tracking tag or garbage in the address changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.query import NoParameters, query_parameters

from . import services
from .forms import (
    AddToPackForm,
    EditorQuery,
    NextQuery,
    PackForm,
    PackItemsForm,
    PageQuery,
    TargetForm,
    TargetQuery,
    TrainerNameForm,
)
from .permissions import request_is_trainer, trainer_required
from .qr import qr_svg
from .selectors import (
    PackEntry,
    handout_cited_works,
    listed_packs,
    pack_by_token,
    pack_entries,
    packs_of,
)
from .templatetags.packs import JUST_ADDED

LISTED_PER_PAGE = 25


def get_pack(token):
    pack = pack_by_token(token)
    if pack is None:
        raise Http404("No such pack")
    return pack


def get_own_pack(request, token):
    pack = get_pack(token)
    if pack.owner_id != request.user.pk:
        raise PermissionDenied("This pack belongs to another trainer.")
    return pack


def _with_robots(response, pack):
    if not pack.is_listed:
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_safe
@query_parameters(PageQuery)
def pack_index(request):
    query = PageQuery(request.GET)
    number = query.cleaned_data["page"] if query.is_valid() else None
    page = Paginator(listed_packs(), LISTED_PER_PAGE).get_page(number)
    return render(
        request,
        "packs/index.html",
        {"page": page, "is_trainer": request_is_trainer(request)},
    )


@never_cache
@require_safe
@query_parameters(NoParameters)
def pack_detail(request, token):
    pack = get_pack(token)
    can_edit = request_is_trainer(request) and request.user.pk == pack.owner_id
    response = render(
        request,
        "packs/pack.html",
        {
            "pack": pack,
            "entries": pack_entries(pack),
            "now": timezone.now(),
            "can_edit": can_edit,
            "pack_url": request.build_absolute_uri(pack.get_absolute_url()),
        },
    )
    return _with_robots(response, pack)


@never_cache
@require_safe
@query_parameters(NoParameters)
def pack_handout(request, token):
    pack = get_pack(token)
    pack_url = request.build_absolute_uri(pack.get_absolute_url())
    entries = pack_entries(pack, abbreviate=False)
    for entry in entries:
        if entry.available:
            entry.short_url = request.build_absolute_uri(entry.target.get_permalink())
            entry.qr = qr_svg(entry.short_url, f"QR code for item {entry.position}")
    response = render(
        request,
        "packs/handout.html",
        {
            "pack": pack,
            "entries": entries,
            "now": timezone.now(),
            "pack_url": pack_url,
            "pack_qr": qr_svg(pack_url, "QR code for the live pack"),
            "cited_works": handout_cited_works(entries),
        },
    )
    return _with_robots(response, pack)


@never_cache
@require_safe
@query_parameters(NoParameters)
@trainer_required
def my_packs(request):
    return render(request, "packs/mine.html", {"packs": packs_of(request.user)})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@query_parameters(NextQuery)
@trainer_required
def trainer_name(request):
    """The trainer's name as their handouts print it; back to where they came from (the editor,
    say), else to their packs."""
    back = NextQuery(request.POST if request.method == "POST" else request.GET)
    back = back.cleaned_data["next"] if back.is_valid() else ""
    user = request.user
    form = TrainerNameForm(
        request.POST or None, initial={"first_name": user.first_name, "last_name": user.last_name}
    )
    if request.method == "POST" and form.is_valid():
        name = services.set_trainer_name(user, **form.cleaned_data).get_full_name()
        if name:
            messages.success(request, f"Saved your name: handouts now say “Prepared by {name}”.")
        else:
            messages.success(request, "Saved: your handouts name no one.")
        return redirect(back or "packs:mine")
    return render(request, "packs/name.html", {"form": form, "back": back})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@query_parameters(NoParameters)
@trainer_required
def pack_create(request):
    form = PackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pack = services.create_pack(request.user, **form.cleaned_data)
        messages.success(request, f"Created “{pack.title}”. Add sections and key messages to it.")
        return redirect(pack.get_edit_url())
    return render(request, "packs/form.html", {"form": form})


@dataclass
class EditorRow:
    entry: PackEntry
    note: object  # the note's BoundField
    first: bool
    last: bool
    focus: str = ""  # which of this row's controls takes focus: "note", "up", "down"

    @property
    def pk(self):
        return self.entry.item.pk

    @property
    def label(self):
        return f"item {self.entry.position}, “{self.entry.heading}”"


def _editor(request, pack, *, details_form=None, items_form=None):
    entries = pack_entries(pack, abbreviate=False)
    items = [entry.item for entry in entries]
    if items_form is None:
        initial = {PackItemsForm.note_name(item): item.note for item in items}
        items_form = PackItemsForm(initial=initial, items=items)
    rows = [
        EditorRow(
            entry,
            items_form[PackItemsForm.note_name(entry.item)],
            index == 0,
            index == len(entries) - 1,
        )
        for index, entry in enumerate(entries)
    ]
    query = EditorQuery(request.GET)
    focus = query.cleaned_data["focus"] if query.is_valid() else ""
    control, _, focus_pk = focus.partition("-")
    for row in rows:
        if str(row.pk) == focus_pk:
            row.focus = control
    # A confirmation is shown beside the control that has focus (a moved item's button, a save
    # button), where the page has scrolled to; at the top when focus is there or nowhere.
    in_row = any(row.focus for row in rows)
    here = in_row or focus in ("save-notes", "save-details")
    return render(
        request,
        "packs/edit.html",
        {
            "pack": pack,
            "rows": rows,
            "details_form": details_form or PackForm(instance=pack),
            "items_form": items_form,
            "pack_url": request.build_absolute_uri(pack.get_absolute_url()),
            "focus": focus,
            "message_place": "here" if here else "top",
        },
    )


def _back_to_editor(pack, focus):
    return redirect(f"{pack.get_edit_url()}?{urlencode({'focus': focus})}")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@query_parameters(EditorQuery)
@trainer_required
def pack_edit(request, token):
    pack = get_own_pack(request, token)
    if request.method != "POST":
        return _editor(request, pack)
    form = PackForm(request.POST, instance=pack)
    if not form.is_valid():
        # The form has written its invalid values onto `pack`: show the saved ones beside it.
        return _editor(request, get_pack(token), details_form=form)
    services.update_details(pack, **form.cleaned_data)
    messages.success(request, "Saved the title, introduction, contact line and visibility.")
    return _back_to_editor(pack, "save-details")


@never_cache
@require_POST
@query_parameters(NoParameters)
@trainer_required
def pack_edit_items(request, token):
    """Save every note, then do what the pressed button says: save, move or remove."""
    pack = get_own_pack(request, token)
    entries = pack_entries(pack, abbreviate=False)
    form = PackItemsForm(request.POST, items=[entry.item for entry in entries])
    if not form.is_valid():
        if "action" in form.errors:
            return HttpResponseBadRequest("Unknown action.")
        return _editor(request, pack, items_form=form)
    # An item added since this editor was loaded (say, in another tab) has no note field in the
    # form: keep its note rather than blank it.
    notes = {
        pk: form.cleaned_data[form.note_name(item)]
        for pk, item in form.items.items()
        if form.note_name(item) in request.POST
    }
    services.update_notes(pack, notes)
    action, _, raw_pk = form.cleaned_data["action"].partition(":")
    if action == "save":
        messages.success(request, "Saved your notes.")
        return _back_to_editor(pack, "save-notes")
    heading = next(entry.heading for entry in entries if entry.item.pk == int(raw_pk))
    try:
        if action == "remove":
            focus = _remove(request, pack, int(raw_pk), heading)
        else:
            focus = _move(request, pack, int(raw_pk), action, heading)
    except services.PackError as error:
        messages.error(request, str(error))
        focus = "status"
    return _back_to_editor(pack, focus)


def _remove(request, pack, item_pk, heading):
    index, items = services.remove_item(pack, item_pk)
    messages.success(request, f"Removed “{heading}” from the pack.")
    neighbour = items[min(index, len(items) - 1)] if items else None
    return f"note-{neighbour.pk}" if neighbour else "status"


def _move(request, pack, item_pk, direction, heading):
    """Move an item; the control that keeps focus (the same one, unless it has just vanished)."""
    ordered = services.move_item(pack, item_pk, direction)
    position = [item.pk for item in ordered].index(item_pk)
    messages.success(request, f"Moved “{heading}” to position {position + 1} of {len(ordered)}.")
    at_top, at_bottom = position == 0, position == len(ordered) - 1
    if at_top and at_bottom:
        return f"note-{item_pk}"
    if direction == "up":
        return f"down-{item_pk}" if at_top else f"up-{item_pk}"
    return f"up-{item_pk}" if at_bottom else f"down-{item_pk}"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@query_parameters(NoParameters)
@trainer_required
def pack_delete(request, token):
    pack = get_own_pack(request, token)
    if request.method == "POST":
        title = pack.title
        services.delete_pack(pack)
        messages.success(request, f"Deleted “{title}”.")
        return redirect("packs:mine")
    return render(request, "packs/delete.html", {"pack": pack})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@query_parameters(TargetQuery)
@trainer_required
def pack_add(request):
    """The "Add to pack" control lands here: choose one of your packs, or start a new one."""
    target_form = TargetForm(request.POST if request.method == "POST" else request.GET)
    if not target_form.is_valid():
        raise Http404("No such published section or key message")
    kind, target = target_form.kind, target_form.target
    packs = list(packs_of(request.user))
    form = AddToPackForm(request.POST or None, packs=packs)
    back = target_form.cleaned_data["next"]
    if request.method == "POST" and form.is_valid():
        # Returning to the reading page, the confirmation is shown there, beside the item.
        item = _add_item(request, form, kind, target, announce=not back)
        if item is not None and back:
            # Back to the reading place, where the control shows the confirmation.
            request.session[JUST_ADDED] = {
                "kind": kind,
                "pk": target.pk,
                "title": item.pack.title,
                "edit": item.pack.get_edit_url(),
            }
            return redirect(f"{back}#pack-added")
        if item is not None:
            return _back_to_editor(item.pack, f"note-{item.pk}")
    return render(
        request,
        "packs/add.html",
        {
            "form": form,
            "target_form": target_form,
            "kind": kind,
            "target": target,
            "back": back or target.get_absolute_url(),
            "label": target.heading if kind == "section" else "this key message",
        },
    )


def _add_item(request, form, kind, target, *, announce):
    label = services.target_label(kind, target)
    try:
        if form.pack is None:
            item = services.add_item_to_new_pack(
                request.user, form.cleaned_data["new_title"], kind, target
            )
        else:
            item = services.add_item(form.pack, kind, target)
    except services.PackError as error:
        form.add_error("pack", str(error))
        return None
    if announce:
        messages.success(request, f"Added {label} to “{item.pack.title}”.")
    return item
