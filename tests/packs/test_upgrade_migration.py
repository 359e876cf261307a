"""Upgrading a database from before packs became their own app: a database at briefings 0008 (packs
were briefings models), holding trainers' packs, is migrated to the latest state and keeps every
pack, item, token, owner and the groups' permissions; its packs open by their token and their
trainers can still edit them.

Runs on SQLite and PostgreSQL. It moves the test database's migrations back and forth, so it is
transactional, and it leaves the database migrated to the latest state.
"""

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from briefings.packs.models import Pack
from briefings.packs.permissions import seed_groups
from tests.conftest import load_portal_content
from tests.support.packs import text_of

LAST_BEFORE_PACKS_MOVED = ("briefings", "0008_search_facet_words")
PACK_MODELS = ("pack", "packitem")
TRAINER_CODENAMES = {f"{a}_{m}" for a in ("add", "change", "delete", "view") for m in PACK_MODELS}


def migrate_to_latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    # What `migrate` does next: create any missing content types and permissions.
    emit_post_migrate_signal(0, False, connection.alias)
    ContentType.objects.clear_cache()


@pytest.fixture
def old_apps():
    """The models as they were at briefings 0008, with the database migrated back to it (which
    takes the packs app's migrations back too, as `migrate briefings 0008` would)."""
    # An earlier transactional test may have emptied the database: the content and groups back.
    load_portal_content()
    seed_groups()
    executor = MigrationExecutor(connection)
    executor.migrate([LAST_BEFORE_PACKS_MOVED])
    try:
        applied = MigrationRecorder(connection).applied_migrations()
        assert LAST_BEFORE_PACKS_MOVED in applied
        assert not {app for app, _ in applied} & {"packs"}
        state = executor.loader.project_state(LAST_BEFORE_PACKS_MOVED).apps
        emit_post_migrate_signal(0, False, connection.alias, apps=state, plan=[])
        yield state
    finally:
        migrate_to_latest()


def group_permissions(groups, name):
    return set(
        groups.objects.get(name=name).permissions.values_list(
            "pk", "content_type__app_label", "codename"
        )
    )


def make_old_packs(old_apps):
    """Two trainers' packs, made with the models of briefings 0008; what they should still hold."""
    user_model = old_apps.get_model("auth", "User")
    old_pack = old_apps.get_model("briefings", "Pack")
    old_item = old_apps.get_model("briefings", "PackItem")
    section = old_apps.get_model("briefings", "Section")
    key_message = old_apps.get_model("briefings", "KeyMessage")
    trainers = old_apps.get_model("auth", "Group").objects.get(name="Trainers")
    sections = list(
        section.objects.filter(briefing__slug="police", parent=None, status="published")
        .order_by("order")
        .values_list("pk", flat=True)[:3]
    )
    message = key_message.objects.filter(briefing__slug="social-workers").order_by("order")[0]
    expected = {}
    for username, token, visibility, targets in (
        ("old-trainer", "Old-pack_token-1", "listed", [*sections, message]),
        ("second-trainer", "Old-pack_token-2", "unlisted", sections[:1]),
    ):
        owner = user_model.objects.create_user(username, f"{username}@example.org", "a-long-pw")
        owner.groups.add(trainers)
        pack = old_pack.objects.create(
            owner=owner, title=f"{username}'s session", visibility=visibility, token=token
        )
        items = []
        for order, target in enumerate(targets):
            kind = "key_message" if target is message else "section"
            note = f"Note {order} of {username}"
            old_item.objects.create(
                pack=pack,
                order=order,
                kind=kind,
                note=note,
                **{f"{kind}_id": getattr(target, "pk", target)},
            )
            items.append((order, kind, getattr(target, "pk", target), note))
        expected[token] = (pack.pk, username, pack.title, visibility, items)
    return expected


@pytest.mark.django_db(transaction=True)
def test_an_old_database_keeps_its_packs_and_permissions_and_they_still_work(old_apps):
    content_types = old_apps.get_model("contenttypes", "ContentType").objects
    old_groups = old_apps.get_model("auth", "Group")
    # Before the move, the pack content types (and so the permissions) were the briefings app's,
    # and the post-migrate step made no others.
    before_types = dict(content_types.filter(model__in=PACK_MODELS).values_list("model", "pk"))
    assert set(content_types.filter(model__in=PACK_MODELS).values_list("app_label", flat=True)) == {
        "briefings"
    }
    trainers_before = group_permissions(old_groups, "Trainers")
    editors_before = group_permissions(old_groups, "Editors")
    assert {codename for _, _, codename in trainers_before} == TRAINER_CODENAMES
    expected = make_old_packs(old_apps)

    migrate_to_latest()

    # One content type per pack model, the same rows, now the packs app's.
    moved = ContentType.objects.filter(model__in=PACK_MODELS)
    assert sorted(moved.values_list("app_label", "model", "pk")) == sorted(
        ("packs", model, pk) for model, pk in before_types.items()
    )
    assert ContentType.objects.get_for_model(Pack).pk == before_types["pack"]
    # The groups hold the same permission rows, under the new app label.
    relabel = {(pk, codename) for pk, _, codename in trainers_before}
    assert group_permissions(Group, "Trainers") == {(pk, "packs", c) for pk, c in relabel}
    editors_after = group_permissions(Group, "Editors")
    assert {(pk, c) for pk, _, c in editors_after} == {(pk, c) for pk, _, c in editors_before}
    assert {(a, c) for _, a, c in editors_after if c.endswith(PACK_MODELS)} == {
        ("packs", "view_pack"),
        ("packs", "view_packitem"),
    }

    for token, (pk, username, title, visibility, items) in expected.items():
        pack = Pack.objects.select_related("owner").get(token=token)
        assert (pack.pk, pack.owner.username, pack.title, pack.visibility) == (
            pk,
            username,
            title,
            visibility,
        )
        stored = pack.items.order_by("order").values_list(
            "order", "kind", "section_id", "key_message_id", "note"
        )
        assert [(o, k, s or m, n) for o, k, s, m, n in stored] == items
        owner = User.objects.get(username=username)
        assert owner.has_perm("packs.change_pack")
        assert owner.has_perm("packs.add_packitem")
        assert not owner.has_perm("briefings.change_pack")

    # The pack page opens by its token, for anyone with the link.
    token = "Old-pack_token-1"
    page = Client().get(f"/packs/{token}/")
    assert page.status_code == 200
    assert "Note 0 of old-trainer" in text_of(page.content.decode())
    assert "/packs/" in Client().get("/packs/").content.decode()

    # Its trainer can still edit it: move the last item to the top, one step at a time.
    trainer = Client()
    trainer.force_login(User.objects.get(username="old-trainer"))
    pack = Pack.objects.get(token=token)
    assert trainer.get(pack.get_edit_url()).status_code == 200
    last = pack.items.order_by("order").last()
    for _ in range(3):
        notes = {f"note-{item.pk}": item.note for item in pack.items.all()}
        response = trainer.post(f"/packs/{token}/items/", {**notes, "action": f"up:{last.pk}"})
        assert response.status_code == 302
    assert pack.items.order_by("order").first() == last
    other = Pack.objects.get(token="Old-pack_token-2")
    assert trainer.get(other.get_edit_url()).status_code == 403
