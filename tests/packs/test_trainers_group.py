"""The Trainers group (created by migration briefings 0005, its content types moved to the packs
app by packs 0001): permissions on packs and nothing else; editors may only look at packs."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from briefings.packs.models import Pack, PackItem
from briefings.packs.permissions import seed_groups

PACK_PERMISSIONS = {
    f"{action}_{model}"
    for action in ("add", "change", "delete", "view")
    for model in ("pack", "packitem")
}


def group_permissions(name):
    return set(
        Group.objects.get(name=name).permissions.values_list(
            "content_type__app_label", "content_type__model", "codename"
        )
    )


def test_trainers_hold_the_pack_permissions_and_nothing_else(db):
    trainers = Group.objects.get(name="Trainers")
    assert set(trainers.permissions.values_list("codename", flat=True)) == PACK_PERMISSIONS
    assert set(trainers.permissions.values_list("content_type__app_label", flat=True)) == {"packs"}


def test_editors_may_view_packs_but_not_change_them(db):
    editors = Group.objects.get(name="Editors")
    codenames = set(editors.permissions.values_list("codename", flat=True))
    assert codenames & PACK_PERMISSIONS == {"view_pack", "view_packitem"}


def test_each_pack_model_has_one_content_type_with_its_four_permissions(db):
    for model in (Pack, PackItem):
        name = model._meta.model_name
        content_types = ContentType.objects.filter(model=name)
        assert list(content_types.values_list("app_label", flat=True)) == ["packs"]
        assert ContentType.objects.get_for_model(model) == content_types.get()
        assert Permission.objects.filter(codename__endswith=f"_{name}").count() == 4


def test_seeding_the_groups_again_gives_what_the_migrations_gave(db):
    trainers, editors = group_permissions("Trainers"), group_permissions("Editors")
    Group.objects.filter(name="Trainers").delete()
    Group.objects.get(name="Editors").permissions.clear()
    seed_groups()
    assert group_permissions("Trainers") == trainers
    assert group_permissions("Editors") == {p for p in editors if p[0] == "packs"}
