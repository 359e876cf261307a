"""Adding to a pack: the "Add to pack" control's page lets a trainer choose one of their packs or
start a new one, for published sections and key messages only."""

import re

from briefings.models import KeyMessage, Status
from briefings.packs.models import Pack
from tests.support.packs import (
    first_sections,
    key_messages,
    make_pack,
    make_trainer,
    published_targets,
)


def test_a_trainer_adds_a_section_to_an_existing_pack_at_the_end(trainer_client, trainer):
    police = first_sections("police", 3)
    pack = make_pack(trainer, police[:2])
    page = trainer_client.get(f"/packs/add/?section={police[2].pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert police[2].heading in html
    # The trainer's most recent pack is chosen already.
    assert re.search(rf'<input type="radio" name="pack" value="{pack.token}"[^>]* checked', html)
    response = trainer_client.post(
        "/packs/add/", {"section": police[2].pk, "pack": pack.token, "new_title": ""}
    )
    item = pack.items.get(section=police[2])
    assert response.status_code == 302
    assert response["Location"] == f"{pack.get_edit_url()}?focus=note-{item.pk}"
    assert [i.section_id for i in pack.items.order_by("order")] == [s.pk for s in police]


def test_a_trainer_adds_a_key_message_to_a_new_pack(trainer_client, trainer):
    message = key_messages("social-workers", 1)[0]
    response = trainer_client.post(
        "/packs/add/", {"key_message": message.pk, "pack": "new", "new_title": "Induction day"}
    )
    pack = Pack.objects.get(owner=trainer, title="Induction day")
    assert response.status_code == 302
    assert list(pack.items.values_list("kind", "key_message_id")) == [("key_message", message.pk)]
    assert pack.visibility == Pack.Visibility.UNLISTED


def test_a_new_pack_needs_a_title(trainer_client, trainer):
    message = key_messages("police", 1)[0]
    response = trainer_client.post(
        "/packs/add/", {"key_message": message.pk, "pack": "new", "new_title": "  "}
    )
    assert response.status_code == 200
    assert "Give the new pack a title." in response.content.decode()
    assert not Pack.objects.filter(owner=trainer).exists()


def test_adding_the_same_section_twice_is_refused_with_a_message(trainer_client, trainer):
    section = first_sections("police", 1)[0]
    pack = make_pack(trainer, [section])
    response = trainer_client.post(
        "/packs/add/", {"section": section.pk, "pack": pack.token, "new_title": ""}
    )
    assert response.status_code == 200
    assert f"“{pack.title}” already has {section.heading}." in response.content.decode()
    assert pack.items.count() == 1


def test_drafts_and_unknown_targets_cannot_be_added(trainer_client, trainer):
    section = first_sections("police", 1)[0]
    section.status = Status.DRAFT
    section.save()
    assert trainer_client.get(f"/packs/add/?section={section.pk}").status_code == 404
    pack = make_pack(trainer, [])
    response = trainer_client.post(
        "/packs/add/", {"section": section.pk, "pack": pack.token, "new_title": ""}
    )
    assert response.status_code == 404
    assert trainer_client.get("/packs/add/?section=999999").status_code == 404
    assert trainer_client.get("/packs/add/").status_code == 404
    message = key_messages("police", 1)[0]
    both = f"/packs/add/?section={first_sections('police', 2)[1].pk}&key_message={message.pk}"
    assert trainer_client.get(both).status_code == 404
    assert pack.items.count() == 0


def test_a_trainer_cannot_add_to_another_trainers_pack(trainer_client, trainer):
    theirs = make_pack(make_trainer("other"), [])
    section = first_sections("police", 1)[0]
    response = trainer_client.post(
        "/packs/add/", {"section": section.pk, "pack": theirs.token, "new_title": ""}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert theirs.items.count() == 0
    assert (
        theirs.token not in trainer_client.get(f"/packs/add/?section={section.pk}").content.decode()
    )


def test_a_full_pack_refuses_another_item_with_a_message(trainer_client, trainer):
    targets = published_targets(61)
    pack = make_pack(trainer, targets[:60])
    extra = targets[60]
    kind = "key_message" if isinstance(extra, KeyMessage) else "section"
    response = trainer_client.post("/packs/add/", {kind: extra.pk, "pack": pack.token})
    assert response.status_code == 200
    assert "A pack holds at most 60 items." in response.content.decode()
    assert pack.items.count() == 60


# ---- back to the reading place, with the confirmation beside the item (issue 17, item 8) -------


def test_adding_returns_to_the_reading_page_with_a_confirmation_beside_the_item(
    trainer_client, trainer
):
    police = first_sections("police", 3)
    pack = make_pack(trainer, police[:1], title="Induction day")
    reading = "/documents/police/?role=police"
    form = trainer_client.get(
        f"/packs/add/?section={police[2].pk}&next=%2Fdocuments%2Fpolice%2F%3Frole%3Dpolice"
    )
    # The page the trainer came from is carried through the form and is where Cancel goes.
    assert f'name="next" value="{reading}"' in form.content.decode()
    assert f'href="{reading}">Cancel' in form.content.decode()
    response = trainer_client.post(
        "/packs/add/", {"section": police[2].pk, "pack": pack.token, "next": reading}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reading}#pack-added"
    assert pack.items.filter(section=police[2]).exists()
    html = trainer_client.get(reading).content.decode()
    # Beside the added section's own control, and only there, once.
    control = f'href="/packs/add/?section={police[2].pk}&amp;'
    confirmation = (
        f'id="pack-added" tabindex="-1">Added<span class="visually-hidden"> {police[2].heading}'
        f'</span> to <a href="{pack.get_edit_url()}">“Induction day”</a>'
    )
    assert html.count('id="pack-added"') == 1
    assert confirmation in html
    assert html.index(control) < html.index(confirmation)
    assert html.index(confirmation) - html.index(control) < 400
    # Shown once: reading the page again does not repeat it.
    assert 'id="pack-added"' not in trainer_client.get(reading).content.decode()
    # No leftover message waits on the pack editor either.
    assert "Added " not in trainer_client.get(pack.get_edit_url()).content.decode()


def test_a_key_message_added_to_a_new_pack_is_confirmed_on_the_document(trainer_client, trainer):
    message = key_messages("social-workers", 1)[0]
    reading = "/documents/social-workers/"
    response = trainer_client.post(
        "/packs/add/",
        {"key_message": message.pk, "pack": "new", "new_title": "Week one", "next": reading},
    )
    assert response["Location"] == f"{reading}#pack-added"
    html = trainer_client.get(reading).content.decode()
    assert 'visually-hidden"> key message 1</span> to <a href=' in html
    assert "“Week one”</a>" in html


def test_only_a_path_on_this_site_is_returned_to(trainer_client, trainer):
    section = first_sections("police", 1)[0]
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"):
        pack = make_pack(trainer, [], title=f"Pack {target}")
        response = trainer_client.post(
            "/packs/add/", {"section": section.pk, "pack": pack.token, "next": target}
        )
        item = pack.items.get(section=section)
        assert response["Location"] == f"{pack.get_edit_url()}?focus=note-{item.pk}", target


def test_the_new_pack_title_is_asked_for_alone_when_there_is_no_pack_to_choose(
    trainer_client, trainer
):
    section = first_sections("police", 1)[0]
    html = trainer_client.get(f"/packs/add/?section={section.pk}").content.decode()
    assert 'type="radio"' not in html
    assert '<input type="hidden" name="pack" value="new">' in html
    assert "Title of the new pack" in html
    make_pack(trainer, [])
    html = trainer_client.get(f"/packs/add/?section={section.pk}").content.decode()
    # With packs to choose from, the title sits in the part shown only for "A new pack".
    assert 'type="radio"' in html
    assert re.search(r'class="field new-pack-title">\s*<label for="id_new_title">', html)
