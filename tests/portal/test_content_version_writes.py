"""Which writes start a new content version of the page cache (portal/caching.py): every edit of
the guidance does; a trainer's pack edits, on their pages or in the admin, never do, so cached
public pages stay warm while trainers prepare their sessions."""

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client

from briefings.models import (
    Briefing,
    ChangeNote,
    GlossaryTerm,
    KeyMessage,
    Quote,
    Reference,
    Role,
    Section,
    Theme,
)
from briefings.models.editing import EDITING_STATE
from briefings.packs.models import Pack, PackItem
from portal import caching
from tests.support.packs import first_sections, key_messages, make_pack

pytestmark = pytest.mark.django_db

DOCUMENT = "/documents/police/"


def version():
    return caching.version_store().read().token


def police_section():
    return Section.objects.get(briefing__slug="police", slug="investigating-cse")


def save_section():
    section = police_section()
    section.body += "\n\nA sentence added by an editor."
    section.save()


def save_key_message():
    message = KeyMessage.objects.filter(briefing__slug="police").first()
    message.text += " Added."
    message.save()


def add_theme_to_section():
    theme = Theme.objects.create(name="Testing the version", slug="testing-the-version")
    police_section().themes.add(theme)


def remove_themes_from_key_message():
    message = KeyMessage.objects.filter(themes__isnull=False).first()
    message.themes.clear()


def add_audience():
    Briefing.objects.get(slug="cse-factsheet").audiences.add(Role.objects.get(slug="schools"))


def cite_a_reference():
    police_section().cited_references.add(Reference.objects.first())


def delete_quote():
    Quote.objects.first().delete()


def save_glossary_term():
    term = GlossaryTerm.objects.first()
    term.note = "A note added by an editor."
    term.save()


def add_change_note():
    ChangeNote.objects.create(briefing=Briefing.objects.get(slug="police"), note="Updated.")


def rename_role():
    role = Role.objects.get(slug="police")
    role.description += " Renamed."
    role.save()


CONTENT_EDITS = [
    save_section,
    save_key_message,
    add_theme_to_section,
    remove_themes_from_key_message,
    add_audience,
    cite_a_reference,
    delete_quote,
    save_glossary_term,
    add_change_note,
    rename_role,
]


@pytest.mark.parametrize("edit", CONTENT_EDITS, ids=lambda edit: edit.__name__)
def test_a_content_edit_starts_a_new_version(edit):
    before = version()
    edit()
    assert version() != before


def test_a_content_edit_is_served_fresh_to_the_next_reader(client):
    client.get(DOCUMENT)
    save_section()
    response = client.get(DOCUMENT)
    assert response["X-Page-Cache"] == "miss"
    assert b"A sentence added by an editor." in response.content


def pack_edits(trainer_client, trainer):
    """Everything a trainer does to packs on their pages, one request at a time."""
    sections = first_sections("police", 3)
    message = key_messages("police", 1)[0]
    yield (
        "create",
        trainer_client.post(
            "/packs/new/", {"title": "Session", "introduction": "", "visibility": "unlisted"}
        ),
    )
    pack = Pack.objects.get(owner=trainer, title="Session")
    for section in sections:
        yield (
            "add",
            trainer_client.post(
                "/packs/add/", {"section": section.pk, "pack": pack.token, "new_title": ""}
            ),
        )
    yield (
        "add to a new pack",
        trainer_client.post(
            "/packs/add/", {"key_message": message.pk, "pack": "new", "new_title": "Another"}
        ),
    )
    items = list(pack.items.order_by("order"))
    notes = {f"note-{item.pk}": f"Note {n}" for n, item in enumerate(items)}
    edit_items = f"/packs/{pack.token}/items/"
    yield "note", trainer_client.post(edit_items, {**notes, "action": "save"})
    yield "move up", trainer_client.post(edit_items, {**notes, "action": f"up:{items[2].pk}"})
    yield "move down", trainer_client.post(edit_items, {**notes, "action": f"down:{items[0].pk}"})
    yield "remove", trainer_client.post(edit_items, {**notes, "action": f"remove:{items[1].pk}"})
    yield (
        "details",
        trainer_client.post(
            pack.get_edit_url(), {"title": "Renamed", "introduction": "Hi", "visibility": "listed"}
        ),
    )
    yield "delete", trainer_client.post(f"/packs/{pack.token}/delete/")


def test_no_pack_edit_on_the_trainers_pages_starts_a_new_version(trainer_client, trainer):
    reader = Client()
    assert reader.get(DOCUMENT)["X-Page-Cache"] == "miss"
    before = version()
    done = []
    for name, response in pack_edits(trainer_client, trainer):
        assert response.status_code == 302, name
        assert version() == before, f"{name} started a new content version"
        done.append(name)
    assert len(done) == 11
    assert not Pack.objects.filter(title="Renamed").exists()
    assert Pack.objects.filter(owner=trainer, title="Another").exists()
    # The reader's page is still the cached one.
    assert reader.get(DOCUMENT)["X-Page-Cache"] == "hit"


def test_no_pack_edit_in_the_admin_starts_a_new_version(client, trainer):
    admin = User.objects.create_superuser("root", "root@example.org", "a-long-root-password")
    client.force_login(admin)
    pack = make_pack(trainer, first_sections("police", 2), notes=["First", "Second"])
    items = list(pack.items.order_by("order"))
    before = version()
    data = {
        "title": "Changed in the admin",
        "introduction": "",
        "owner": trainer.pk,
        "visibility": "unlisted",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "2",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for n, item in enumerate(items):
        data |= {
            f"items-{n}-id": item.pk,
            f"items-{n}-pack": pack.pk,
            f"items-{n}-order": item.order,
            f"items-{n}-kind": item.kind,
            f"items-{n}-section": item.section_id,
            f"items-{n}-key_message": "",
            f"items-{n}-note": "Changed" if n == 0 else item.note,
            f"items-{n}-DELETE": "on" if n == 1 else "",
        }
    response = client.post(f"/admin/packs/pack/{pack.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    pack.refresh_from_db()
    assert pack.title == "Changed in the admin"
    assert list(pack.items.values_list("note", flat=True)) == ["Changed"]
    response = client.post(f"/admin/packs/pack/{pack.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Pack.objects.filter(pk=pack.pk).exists()
    assert version() == before


def test_a_deleted_section_that_a_pack_points_at_still_starts_a_new_version(trainer):
    """The pack item it leaves behind changes too (its link set to NULL); the section's own delete
    is what counts."""
    section = police_section()
    pack = make_pack(trainer, [section])
    before = version()
    section.delete()
    assert version() != before
    assert pack.items.get().section_id is None


def test_every_model_of_the_guidance_is_declared_content_and_no_pack_model_is():
    declared = {model._meta.label_lower for model in caching.declared_content()}
    guidance = {
        model._meta.label_lower
        for model in apps.get_app_config("briefings").get_models(include_auto_created=True)
    }
    # The editing bookkeeping (versions, who saved, who is editing, locks) shows on no public
    # page, and presence is refreshed every 30 s: it must not renew the content version.
    editing = {model._meta.label_lower for model in EDITING_STATE}
    assert guidance - editing <= declared
    assert not editing & declared
    assert Pack._meta.label_lower not in declared
    assert PackItem._meta.label_lower not in declared
    assert {label.split(".")[0] for label in declared} == {"briefings"}
