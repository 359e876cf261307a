"""The Trainers group (created by migration 0005): permissions on packs and nothing else; editors
may only look at packs."""

from django.contrib.auth.models import Group

PACK_PERMISSIONS = {
    f"{action}_{model}"
    for action in ("add", "change", "delete", "view")
    for model in ("pack", "packitem")
}


def test_trainers_hold_the_pack_permissions_and_nothing_else(db):
    trainers = Group.objects.get(name="Trainers")
    assert set(trainers.permissions.values_list("codename", flat=True)) == PACK_PERMISSIONS
    assert set(trainers.permissions.values_list("content_type__app_label", flat=True)) == {
        "briefings"
    }


def test_editors_may_view_packs_but_not_change_them(db):
    editors = Group.objects.get(name="Editors")
    codenames = set(editors.permissions.values_list("codename", flat=True))
    assert codenames & PACK_PERMISSIONS == {"view_pack", "view_packitem"}
