"""Who may do what with packs: trainers build their own and no one else's; signed-out readers are
sent to sign in; other signed-in users are refused; every form needs its CSRF token."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.support.packs import first_sections, make_pack, make_trainer


@pytest.fixture
def pack(trainer):
    return make_pack(trainer, first_sections("police", 2), notes=["Mine"])


def owner_only_requests(pack):
    item = pack.items.order_by("order").last()
    return [
        ("get", pack.get_edit_url(), {}),
        ("post", pack.get_edit_url(), {"title": "Hijacked", "visibility": "listed"}),
        ("post", f"/packs/{pack.token}/items/", {"action": f"up:{item.pk}"}),
        ("post", f"/packs/{pack.token}/items/", {"action": f"remove:{item.pk}"}),
        ("get", f"/packs/{pack.token}/delete/", {}),
        ("post", f"/packs/{pack.token}/delete/", {}),
    ]


def test_another_trainer_cannot_edit_reorder_or_delete_the_pack(client, pack):
    before = list(pack.items.order_by("order").values_list("pk", "order", "note"))
    client.force_login(make_trainer("other-trainer"))
    for method, url, data in owner_only_requests(pack):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (method, url)
    pack.refresh_from_db()
    assert pack.title == "Session on disruption"
    assert list(pack.items.order_by("order").values_list("pk", "order", "note")) == before
    # They may still read it: it was shared with them by its link.
    assert client.get(pack.get_absolute_url()).status_code == 200


def test_a_signed_out_reader_is_sent_to_the_sign_in_page(client, pack):
    for method, url, data in owner_only_requests(pack):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith("/accounts/login/?next=")
    for url in (
        "/packs/mine/",
        "/packs/new/",
        f"/packs/add/?section={pack.items.first().section_id}",
    ):
        assert client.get(url)["Location"].startswith("/accounts/login/?next=")
    assert pack.items.count() == 2


def test_a_signed_in_user_who_is_not_a_trainer_is_refused(client, pack):
    client.force_login(User.objects.create_user("reader", password="a-long-reader-password"))
    section = pack.items.first().section
    for url in ("/packs/mine/", "/packs/new/", f"/packs/add/?section={section.pk}"):
        assert client.get(url).status_code == 403, url
    assert client.post("/packs/new/", {"title": "X", "visibility": "unlisted"}).status_code == 403
    for method, url, data in owner_only_requests(pack):
        assert getattr(client, method)(url, data).status_code == 403


def test_an_inactive_trainer_is_no_longer_a_trainer(trainer, pack):
    from briefings.packs.permissions import user_is_trainer

    assert user_is_trainer(trainer)
    trainer.is_active = False
    trainer.save()
    assert not user_is_trainer(User.objects.get(pk=trainer.pk))


def test_every_pack_form_is_protected_against_cross_site_requests(trainer, pack):
    client = Client(enforce_csrf_checks=True)
    client.force_login(trainer)
    item = pack.items.order_by("order").last()
    section = first_sections("police", 3)[2]
    for url, data in [
        ("/packs/new/", {"title": "Forged", "visibility": "listed"}),
        (pack.get_edit_url(), {"title": "Forged", "visibility": "listed"}),
        (f"/packs/{pack.token}/items/", {"action": f"remove:{item.pk}"}),
        (f"/packs/{pack.token}/delete/", {}),
        ("/packs/add/", {"section": section.pk, "pack": pack.token}),
    ]:
        assert client.post(url, data).status_code == 403, url
    assert pack.items.count() == 2
    pack.refresh_from_db()
    assert pack.title == "Session on disruption"
