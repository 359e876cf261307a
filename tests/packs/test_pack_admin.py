"""Packs in the admin: editors see every trainer's packs, read-only."""

from django.urls import reverse

from tests.support.packs import first_sections, make_pack


def test_an_editor_sees_every_pack_but_cannot_change_one(editor_client, trainer):
    pack = make_pack(trainer, first_sections("police", 2), notes=["Trainer's own note"])
    changelist = editor_client.get(reverse("admin:briefings_pack_changelist"))
    assert changelist.status_code == 200
    assert pack.title in changelist.content.decode()
    change_url = reverse("admin:briefings_pack_change", args=[pack.pk])
    page = editor_client.get(change_url)
    assert page.status_code == 200
    assert "Trainer&#x27;s own note" in page.content.decode()
    assert pack.get_absolute_url() in page.content.decode()
    response = editor_client.post(change_url, {"title": "Changed by an editor"})
    assert response.status_code == 403
    pack.refresh_from_db()
    assert pack.title == "Session on disruption"


def test_a_trainer_has_no_way_into_the_admin(trainer_client):
    response = trainer_client.get(reverse("admin:briefings_pack_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
