"""The pack editor: a trainer reorders items (plain POST buttons, no JavaScript needed), writes
notes and removes items, on their own packs only."""

import re

import pytest

from briefings.packs.forms import PackItemsForm
from briefings.packs.models import NOTE_MAX_LENGTH, Pack
from tests.support.packs import first_sections, key_messages, make_pack


@pytest.fixture
def pack(trainer):
    return make_pack(
        trainer,
        first_sections("police", 2) + key_messages("social-workers", 1),
        notes=["First note", "", ""],
    )


def order_of(pack):
    return [i.section_id or i.key_message_id for i in pack.items.order_by("order")]


def items_post(pack, action, **notes):
    data = {"action": action}
    for item in pack.items.all():
        data[PackItemsForm.note_name(item)] = notes.get(f"n{item.pk}", item.note)
    return data


def test_a_trainer_creates_a_pack_and_lands_in_its_editor(trainer_client, trainer):
    response = trainer_client.post(
        "/packs/new/",
        {
            "title": "Week 2: disruption",
            "introduction": "Read before Tuesday.",
            "visibility": "listed",
        },
    )
    pack = Pack.objects.get(owner=trainer)
    assert response.status_code == 302
    assert response["Location"] == pack.get_edit_url()
    assert (pack.title, pack.introduction, pack.is_listed) == (
        "Week 2: disruption",
        "Read before Tuesday.",
        True,
    )
    page = trainer_client.get(pack.get_edit_url())
    assert "Created “Week 2: disruption”." in page.content.decode()


def test_the_editor_shows_every_item_with_labelled_notes_and_move_buttons(trainer_client, pack):
    html = trainer_client.get(pack.get_edit_url()).content.decode()
    items = list(pack.items.order_by("order"))
    for item in items:
        assert f'<label for="note-{item.pk}">' in html
        assert f'id="note-{item.pk}"' in html
        assert f'id="remove-{item.pk}"' in html
    # The first item cannot move up and the last cannot move down.
    assert f'id="up-{items[0].pk}"' not in html
    assert f'id="down-{items[0].pk}"' in html
    assert f'id="up-{items[2].pk}"' in html
    assert f'id="down-{items[2].pk}"' not in html
    # The items' form and the details' form (the header's "Sign out" is a form of its own).
    main = html.split('<main id="main"')[1]
    assert main.count('name="csrfmiddlewaretoken"') == 2


def test_moving_an_item_up_reorders_the_pack_and_keeps_focus_on_it(trainer_client, pack):
    items = list(pack.items.order_by("order"))
    last = items[2]
    response = trainer_client.post(f"/packs/{pack.token}/items/", items_post(pack, f"up:{last.pk}"))
    assert response.status_code == 302
    assert response["Location"] == f"{pack.get_edit_url()}?focus=up-{last.pk}"
    assert order_of(pack) == [items[0].section_id, last.key_message_id, items[1].section_id]
    page = trainer_client.get(response["Location"]).content.decode()
    assert re.search(rf'id="up-{last.pk}"[^>]*autofocus', page)
    assert "to position 2 of 3." in page

    # At the top it can no longer move up: focus falls to its "Move down" button.
    response = trainer_client.post(f"/packs/{pack.token}/items/", items_post(pack, f"up:{last.pk}"))
    assert response["Location"].endswith(f"focus=down-{last.pk}")
    assert order_of(pack)[0] == last.key_message_id


def test_the_confirmation_of_a_move_is_beside_the_moved_item_and_describes_its_button(
    trainer_client, pack
):
    items = list(pack.items.order_by("order"))
    last = items[2]
    response = trainer_client.post(f"/packs/{pack.token}/items/", items_post(pack, f"up:{last.pk}"))
    page = trainer_client.get(response["Location"]).content.decode()
    button = re.search(rf'<button[^>]*id="up-{last.pk}"[^>]*>', page).group(0)
    assert f'aria-describedby="status-{last.pk}"' in button
    row = page[page.index(button) : page.index("</li>", page.index(button))]
    assert re.search(rf'id="status-{last.pk}" role="status"><p>Moved “[^<]+” to position 2', row)
    # Not at the top of the page as well.
    assert page.count("to position 2 of 3.") == 1
    assert 'id="status"' not in page


def test_saving_notes_is_confirmed_beside_the_save_button(trainer_client, pack):
    response = trainer_client.post(f"/packs/{pack.token}/items/", items_post(pack, "save"))
    page = trainer_client.get(response["Location"]).content.decode()
    button = page.index('id="save-notes"')
    status = page.index('id="status-save-notes" role="status"><p>Saved your notes.</p>')
    assert 0 < status - button < 300


def test_moving_an_item_down_and_saving_notes_in_the_same_submission(trainer_client, pack):
    first, second, third = pack.items.order_by("order")
    data = items_post(pack, f"down:{first.pk}", **{f"n{third.pk}": "Typed, not yet saved"})
    trainer_client.post(f"/packs/{pack.token}/items/", data)
    assert order_of(pack) == [second.section_id, first.section_id, third.key_message_id]
    third.refresh_from_db()
    assert third.note == "Typed, not yet saved"
    assert list(pack.items.order_by("order").values_list("order", flat=True)) == [0, 1, 2]


def test_saving_notes_stores_plain_text(trainer_client, pack):
    _, second, _ = pack.items.order_by("order")
    note = "Ask the group:\n<b>what would you do?</b>"
    response = trainer_client.post(
        f"/packs/{pack.token}/items/", items_post(pack, "save", **{f"n{second.pk}": note})
    )
    assert response["Location"].endswith("focus=save-notes")
    second.refresh_from_db()
    assert second.note == note
    html = trainer_client.get(pack.get_absolute_url()).content.decode()
    assert "<p>Ask the group:<br>&lt;b&gt;what would you do?&lt;/b&gt;</p>" in html


def test_a_note_too_long_is_refused_and_nothing_changes(trainer_client, pack):
    first, second, third = pack.items.order_by("order")
    data = items_post(pack, f"up:{third.pk}", **{f"n{second.pk}": "x" * (NOTE_MAX_LENGTH + 1)})
    response = trainer_client.post(f"/packs/{pack.token}/items/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ensure this value has at most 1000 characters" in html
    assert f'aria-describedby="note-{second.pk}-error"' in html
    assert order_of(pack) == [first.section_id, second.section_id, third.key_message_id]
    second.refresh_from_db()
    assert second.note == ""


def test_removing_an_item_renumbers_the_rest_and_focuses_the_next(trainer_client, pack):
    first, second, third = pack.items.order_by("order")
    response = trainer_client.post(
        f"/packs/{pack.token}/items/", items_post(pack, f"remove:{first.pk}")
    )
    assert response["Location"].endswith(f"focus=note-{second.pk}")
    assert order_of(pack) == [second.section_id, third.key_message_id]
    assert list(pack.items.order_by("order").values_list("order", flat=True)) == [0, 1]
    page = trainer_client.get(response["Location"]).content.decode()
    assert f"Removed “{first.section.heading}” from the pack." in page


def test_an_action_on_an_item_of_another_pack_is_a_bad_request(trainer_client, trainer, pack):
    other = make_pack(trainer, first_sections("social-workers", 1), title="Other")
    stranger = other.items.get()
    response = trainer_client.post(
        f"/packs/{pack.token}/items/", items_post(pack, f"remove:{stranger.pk}")
    )
    assert response.status_code == 400
    assert other.items.count() == 1


def test_a_trainer_edits_title_introduction_and_visibility(trainer_client, pack):
    response = trainer_client.post(
        pack.get_edit_url(),
        {"title": "Renamed", "introduction": "New intro", "visibility": "listed"},
    )
    assert response.status_code == 302
    pack.refresh_from_db()
    assert (pack.title, pack.introduction, pack.visibility) == ("Renamed", "New intro", "listed")
    response = trainer_client.post(
        pack.get_edit_url(), {"title": "", "introduction": "", "visibility": "listed"}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    pack.refresh_from_db()
    assert pack.title == "Renamed"


def test_a_trainer_deletes_a_pack_after_confirming(trainer_client, pack):
    delete_url = f"/packs/{pack.token}/delete/"
    assert trainer_client.get(delete_url).status_code == 200
    assert Pack.objects.filter(pk=pack.pk).exists()
    response = trainer_client.post(delete_url)
    assert response.status_code == 302
    assert response["Location"] == "/packs/mine/"
    assert not Pack.objects.filter(pk=pack.pk).exists()
    assert trainer_client.get(pack.get_absolute_url()).status_code == 404


def test_my_packs_lists_only_the_trainers_own_packs(trainer_client, pack):
    from tests.support.packs import make_trainer

    theirs = make_pack(make_trainer("other"), [], title="Someone else’s session")
    response = trainer_client.get("/packs/mine/")
    html = response.content.decode()
    assert pack.title in html
    assert theirs.title not in html
    assert "private" in response["Cache-Control"]


def test_an_item_added_in_another_tab_keeps_its_note_when_an_older_editor_submits(
    trainer_client, pack
):
    stale_form = items_post(pack, "save")
    newer = pack.items.create(
        kind="section", section=first_sections("social-workers", 1)[0], order=9, note="Keep me"
    )
    trainer_client.post(f"/packs/{pack.token}/items/", stale_form)
    newer.refresh_from_db()
    assert newer.note == "Keep me"
