"""The trainer's name on handouts (issue 17, item 8): the name the trainer sets on "Your name"
(their account's first and last name), never their username; without one a handout names no
one, and the trainer's own pages say so with a link to add it."""

import pytest

from tests.support.packs import first_sections, make_pack, make_trainer, text_of


@pytest.fixture
def pack(trainer):
    return make_pack(trainer, first_sections("police", 2), contact="ada@example.org")


def trainer_line(html):
    start = html.find('<p class="handout-trainer">')
    return text_of(html[start : html.find("</p>", start)]) if start >= 0 else None


def test_without_a_name_the_handout_names_no_one_and_never_the_username(client, db):
    pack = make_pack(
        make_trainer("kestrel-77"), first_sections("police", 1), contact="ada@example.org"
    )
    html = client.get(pack.get_handout_url()).content.decode()
    assert trainer_line(html) == "ada@example.org"
    assert "Prepared by" not in html
    assert pack.owner.username not in text_of(html)
    pack.contact = ""
    pack.save()
    html = client.get(pack.get_handout_url()).content.decode()
    assert trainer_line(html) is None
    assert "Prepared by" not in html


def test_the_trainer_is_told_their_handouts_do_not_name_them_and_adds_a_name(trainer_client, pack):
    mine = trainer_client.get("/packs/mine/").content.decode()
    assert "Your handouts do not name you yet." in mine
    assert '<a href="/packs/name/">Add your name' in mine
    editor = trainer_client.get(pack.get_edit_url()).content.decode()
    back = f"/packs/name/?next={pack.get_edit_url()}"
    assert f'<a href="{back}">Add your name' in editor

    page = trainer_client.get(back)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<label for="id_first_name">First name</label>' in html
    assert f'<input type="hidden" name="next" value="{pack.get_edit_url()}">' in html

    response = trainer_client.post(
        "/packs/name/",
        {"first_name": " Ada ", "last_name": "Byrne", "next": pack.get_edit_url()},
        follow=True,
    )
    assert response.redirect_chain == [(pack.get_edit_url(), 302)]
    html = response.content.decode()
    assert "Saved your name: handouts now say “Prepared by Ada Byrne”." in html
    assert "Your handouts say “Prepared by <strong>Ada Byrne</strong>”." in html
    pack.owner.refresh_from_db()
    assert (pack.owner.first_name, pack.owner.last_name) == ("Ada", "Byrne")

    handout = trainer_client.get(pack.get_handout_url()).content.decode()
    assert (
        '<p class="handout-trainer">Prepared by Ada Byrne<br>'
        '<span class="handout-contact">ada@example.org</span></p>'
    ) in handout
    header = trainer_client.get("/").content.decode().split("</header>")[0]
    assert "Signed in as <strong>Ada Byrne</strong>" in header


def test_a_name_can_be_taken_off_again(trainer_client, trainer, pack):
    trainer.first_name, trainer.last_name = "Ada", "Byrne"
    trainer.save()
    response = trainer_client.post("/packs/name/", {"first_name": "", "last_name": ""})
    assert response["Location"] == "/packs/mine/"
    trainer.refresh_from_db()
    assert trainer.get_full_name() == ""
    assert "Prepared by" not in trainer_client.get(pack.get_handout_url()).content.decode()


def test_a_name_too_long_is_refused_and_nothing_changes(trainer_client, trainer):
    response = trainer_client.post("/packs/name/", {"first_name": "A" * 151, "last_name": "B"})
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters" in response.content.decode()
    trainer.refresh_from_db()
    assert (trainer.first_name, trainer.last_name) == ("", "")
    # The header still shows who is signed in, not the refused name.
    assert "Signed in as <strong>trainer</strong>" in response.content.decode()


def test_the_name_is_plain_text(trainer_client, trainer, pack):
    trainer_client.post("/packs/name/", {"first_name": "<b>Ada</b>", "last_name": "&amp;"})
    html = trainer_client.get(pack.get_handout_url()).content.decode()
    assert "Prepared by &lt;b&gt;Ada&lt;/b&gt; &amp;amp;" in html


def test_only_a_path_on_this_site_is_returned_to(trainer_client):
    for target in ("https://evil.example/", "//evil.example/x", "javascript:x"):
        response = trainer_client.post(
            "/packs/name/", {"first_name": "Ada", "last_name": "", "next": target}
        )
        assert response["Location"] == "/packs/mine/", target


def test_only_trainers_set_a_name_here(client, db):
    response = client.get("/packs/name/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/packs/name/")
