"""The pack services (briefings/packs/services.py): every write to a pack, its 60-item limit, and
what a refused change says."""

import pytest

from briefings.models import KeyMessage
from briefings.packs import services
from briefings.packs.models import MAX_ITEMS, Pack
from tests.support.packs import (
    first_sections,
    key_messages,
    make_pack,
    make_trainer,
    published_targets,
)


def targets(n):
    """n published sections and key messages, each with its kind."""
    return [
        ("key_message" if isinstance(target, KeyMessage) else "section", target)
        for target in published_targets(n)
    ]


def full_pack(owner, n=MAX_ITEMS):
    return make_pack(owner, [target for _, target in targets(n)])


def test_an_item_is_added_at_the_end_and_the_pack_is_marked_changed(trainer):
    police = first_sections("police", 3)
    pack = make_pack(trainer, police[:2])
    before = pack.updated
    item = services.add_item(pack, "section", police[2])
    pack.refresh_from_db()
    assert [i.pk for i in pack.items.order_by("order")][-1] == item.pk
    assert pack.updated > before


def test_the_same_target_twice_is_refused_with_its_name(trainer):
    section = first_sections("police", 1)[0]
    pack = make_pack(trainer, [section])
    with pytest.raises(services.AlreadyInPack) as refused:
        services.add_item(pack, "section", section)
    assert str(refused.value) == f"“{pack.title}” already has {section.heading}."
    message = key_messages("police", 1)[0]
    services.add_item(pack, "key_message", message)
    with pytest.raises(services.AlreadyInPack, match="already has the key message"):
        services.add_item(pack, "key_message", message)


def test_a_full_pack_refuses_one_more_item(trainer):
    pack = full_pack(trainer)
    kind, extra = targets(MAX_ITEMS + 1)[-1]
    with pytest.raises(services.PackFull) as refused:
        services.add_item(pack, kind, extra)
    assert str(refused.value) == f"A pack holds at most {MAX_ITEMS} items."
    assert pack.items.count() == MAX_ITEMS


def test_a_pack_one_short_of_the_limit_takes_exactly_one_more(trainer):
    pack = full_pack(trainer, MAX_ITEMS - 1)
    (kind, last), (other_kind, extra) = targets(MAX_ITEMS + 1)[-2:]
    services.add_item(pack, kind, last)
    with pytest.raises(services.PackFull):
        services.add_item(pack, other_kind, extra)
    assert pack.items.count() == MAX_ITEMS


def test_a_pack_over_the_limit_may_shrink_but_not_grow(trainer):
    """A pack filled past the limit before it held (the old race) can still be edited down."""
    pack = full_pack(trainer, MAX_ITEMS + 2)
    with pytest.raises(services.PackFull):
        services.ensure_room(pack, adding=1)
    with pytest.raises(services.PackFull):
        services.ensure_room(pack, adding=2, removing=1)
    services.ensure_room(pack, adding=1, removing=1)
    services.ensure_room(pack, adding=0, removing=3)
    index, left = services.remove_item(pack, pack.items.order_by("order").first().pk)
    assert (index, len(left)) == (0, MAX_ITEMS + 1)


def test_a_new_pack_is_created_with_its_first_item(trainer):
    message = key_messages("police", 1)[0]
    item = services.add_item_to_new_pack(trainer, "Induction", "key_message", message)
    assert (item.pack.owner, item.pack.title, item.pack.visibility) == (
        trainer,
        "Induction",
        Pack.Visibility.UNLISTED,
    )
    assert list(item.pack.items.values_list("key_message", flat=True)) == [message.pk]


def test_moving_and_removing_renumber_the_items(trainer):
    sections = first_sections("police", 3)
    pack = make_pack(trainer, sections)
    first, second, third = pack.items.order_by("order")
    ordered = services.move_item(pack, third.pk, "up")
    assert [i.pk for i in ordered] == [first.pk, third.pk, second.pk]
    assert list(pack.items.order_by("order").values_list("pk", "order")) == [
        (first.pk, 0),
        (third.pk, 1),
        (second.pk, 2),
    ]
    # The top item moved up stays at the top.
    assert services.move_item(pack, first.pk, "up")[0].pk == first.pk
    index, left = services.remove_item(pack, third.pk)
    assert (index, [i.pk for i in left]) == (1, [first.pk, second.pk])
    assert list(pack.items.order_by("order").values_list("pk", "order")) == [
        (first.pk, 0),
        (second.pk, 1),
    ]


def test_an_item_gone_from_the_pack_cannot_be_moved_or_removed(trainer):
    pack = make_pack(trainer, first_sections("police", 2))
    item = pack.items.first()
    item.delete()
    for change in (
        lambda: services.move_item(pack, item.pk, "down"),
        lambda: services.remove_item(pack, item.pk),
    ):
        with pytest.raises(services.ItemGone, match="no longer in the pack"):
            change()
    assert pack.items.count() == 1


def test_notes_are_saved_only_on_the_packs_own_items(trainer):
    pack = make_pack(trainer, first_sections("police", 2), notes=["Keep", "Old"])
    theirs = make_pack(make_trainer("other"), first_sections("police", 1), notes=["Theirs"])
    mine = list(pack.items.order_by("order"))
    other_item = theirs.items.get()
    changed = services.update_notes(
        pack, {mine[0].pk: "Keep", mine[1].pk: "New", other_item.pk: "Overwritten"}
    )
    assert changed == 1
    assert list(pack.items.order_by("order").values_list("note", flat=True)) == ["Keep", "New"]
    other_item.refresh_from_db()
    assert other_item.note == "Theirs"


def test_details_are_updated_and_a_pack_deleted_with_its_items(trainer):
    pack = make_pack(trainer, first_sections("police", 2))
    services.update_details(pack, title="Renamed", introduction="Hello", visibility="listed")
    pack.refresh_from_db()
    assert (pack.title, pack.introduction, pack.is_listed) == ("Renamed", "Hello", True)
    services.delete_pack(pack)
    assert not Pack.objects.filter(pk=pack.pk).exists()
    assert not trainer.packs.exists()
