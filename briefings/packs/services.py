"""Writing packs: every change to a pack, from the trainer's pages or the admin, goes through here.

A pack holds at most ``MAX_ITEMS`` items. A check that counts the items and then adds one is only
true while no one else adds in between, so every write to a pack's items runs in one transaction
that first locks the pack's row: ``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the
transaction is ``IMMEDIATE`` (``portal/settings/env.py``) and holds the database's write lock from
its first statement. Concurrent adds to one pack therefore queue, and each counts what the one
before it wrote.

A change refused for a reason the trainer can act on raises ``PackError``, whose text is the
message to show them.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from .models import MAX_ITEMS, Pack, PackItem


class PackError(Exception):
    """A change that was refused; ``str(error)`` says why, in words for the trainer."""


class PackFull(PackError):
    def __init__(self):
        super().__init__(f"A pack holds at most {MAX_ITEMS} items.")


class AlreadyInPack(PackError):
    pass


class ItemGone(PackError):
    def __init__(self):
        super().__init__("That item is no longer in the pack.")


def target_label(kind, target):
    """How a message names what is being added: a section by its heading."""
    return target.heading if kind == PackItem.Kind.SECTION else "the key message"


def _locked(pack: Pack) -> Pack:
    """The pack's row, locked until the surrounding transaction ends (see the module docstring)."""
    return Pack.objects.select_for_update().get(pk=pack.pk)


def _touch(pack: Pack):
    pack.save(update_fields=["updated"])


def create_pack(
    owner, *, title, introduction="", visibility=Pack.Visibility.UNLISTED, contact=""
) -> Pack:
    return Pack.objects.create(
        owner=owner, title=title, introduction=introduction, visibility=visibility, contact=contact
    )


def update_details(pack: Pack, *, title, introduction, visibility, contact="") -> Pack:
    pack.title, pack.introduction, pack.visibility = title, introduction, visibility
    pack.contact = contact
    pack.save(update_fields=["title", "introduction", "visibility", "contact", "updated"])
    return pack


def set_trainer_name(user, *, first_name, last_name):
    """The name the trainer's handouts print ("Prepared by …"); blank names no one."""
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])
    return user


def save_pack(pack: Pack) -> Pack:
    """Save every field of a pack as given (the admin's form, which may also change the owner)."""
    pack.save()
    return pack


def delete_pack(pack: Pack):
    pack.delete()


def _check_room(count, *, adding, removing=0):
    total = count - removing + adding
    # A pack already over the limit (one filled before the limit held) may still shrink.
    if total > MAX_ITEMS and total > count:
        raise PackFull()


def ensure_room(pack: Pack, *, adding, removing=0):
    """Refuse a change that would leave the pack with more than MAX_ITEMS items.

    Locks the pack first: call it inside the transaction that then writes the items (the admin's
    save does), so that no other add can slip in between this count and that write.
    """
    with transaction.atomic():
        count = _locked(pack).items.count() if pack.pk else 0
        _check_room(count, adding=adding, removing=removing)


def add_item(pack: Pack, kind, target) -> PackItem:
    """Add a published section or key message at the end of the pack."""
    with transaction.atomic():
        pack = _locked(pack)
        if pack.items.filter(**{kind: target}).exists():
            raise AlreadyInPack(f"“{pack.title}” already has {target_label(kind, target)}.")
        _check_room(pack.items.count(), adding=1)
        next_order = (pack.items.aggregate(n=Max("order"))["n"] or 0) + 1
        item = PackItem.objects.create(pack=pack, kind=kind, order=next_order, **{kind: target})
        _touch(pack)
    return item


def add_item_to_new_pack(owner, title, kind, target) -> PackItem:
    with transaction.atomic():
        return add_item(create_pack(owner, title=title), kind, target)


def update_notes(pack: Pack, notes: dict) -> int:
    """Save the notes given by item id (items no longer in the pack are passed over)."""
    with transaction.atomic():
        pack = _locked(pack)
        changed = []
        for item in pack.items.filter(pk__in=notes):
            if item.note != notes[item.pk]:
                item.note = notes[item.pk]
                changed.append(item)
        PackItem.objects.bulk_update(changed, ["note"])
        _touch(pack)
    return len(changed)


def _renumber(items):
    for order, each in enumerate(items):
        each.order = order
    PackItem.objects.bulk_update(items, ["order"])


def _item_in(items, item_pk):
    for item in items:
        if item.pk == item_pk:
            return item
    raise ItemGone()


def positions_after_move(items, item, direction):
    """The items in their new order after moving one up or down."""
    ordered = list(items)
    index = ordered.index(item)
    swap = index - 1 if direction == "up" else index + 1
    if 0 <= swap < len(ordered):
        ordered[index], ordered[swap] = ordered[swap], ordered[index]
    return ordered


def move_item(pack: Pack, item_pk, direction) -> list[PackItem]:
    """Move one item up or down; the items in their new order."""
    with transaction.atomic():
        pack = _locked(pack)
        items = list(pack.items.order_by("order", "id"))
        ordered = positions_after_move(items, _item_in(items, item_pk), direction)
        _renumber(ordered)
        _touch(pack)
    return ordered


def remove_item(pack: Pack, item_pk) -> tuple[int, list[PackItem]]:
    """Remove one item; where it was, and the items left in order."""
    with transaction.atomic():
        pack = _locked(pack)
        items = list(pack.items.order_by("order", "id"))
        item = _item_in(items, item_pk)
        index = items.index(item)
        item.delete()
        items.remove(item)
        _renumber(items)
        _touch(pack)
    return index, items
