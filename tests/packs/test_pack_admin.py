"""Packs in the admin: editors see every trainer's packs, read-only."""

from django.urls import reverse

from tests.support.packs import first_sections, make_pack


def test_an_editor_sees_every_pack_but_cannot_change_one(editor_client, trainer):
    pack = make_pack(trainer, first_sections("police", 2), notes=["Trainer's own note"])
    changelist = editor_client.get(reverse("admin:packs_pack_changelist"))
    assert changelist.status_code == 200
    assert pack.title in changelist.content.decode()
    change_url = reverse("admin:packs_pack_change", args=[pack.pk])
    page = editor_client.get(change_url)
    assert page.status_code == 200
    assert "Trainer&#x27;s own note" in page.content.decode()
    assert pack.get_absolute_url() in page.content.decode()
    response = editor_client.post(change_url, {"title": "Changed by an editor"})
    assert response.status_code == 403
    pack.refresh_from_db()
    assert pack.title == "Session on disruption"


def test_a_trainer_has_no_way_into_the_admin(trainer_client):
    response = trainer_client.get(reverse("admin:packs_pack_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_admins_old_addresses_for_packs_lead_to_the_new_ones(editor_client, trainer):
    pack = make_pack(trainer, first_sections("police", 1))
    old = editor_client.get(f"/admin/briefings/pack/{pack.pk}/change/?_changelist_filters=x")
    assert old.status_code == 301
    assert old["Location"] == f"/admin/packs/pack/{pack.pk}/change/?_changelist_filters=x"
    assert editor_client.get(old["Location"]).status_code == 200
    items = editor_client.get("/admin/briefings/packitem/")
    assert items.status_code == 301
    assert items["Location"] == "/admin/packs/packitem/"


def test_the_admin_cannot_fill_a_pack_past_its_limit(client, trainer):
    from django.contrib.auth.models import User

    from briefings.models import KeyMessage
    from tests.support.packs import published_targets

    client.force_login(User.objects.create_superuser("root", "root@example.org", "a-long-pw"))
    targets = published_targets(75)
    extra = next(t for t in reversed(targets) if isinstance(t, KeyMessage))
    pack = make_pack(trainer, [t for t in targets if t != extra][:60])
    data = {
        "title": pack.title,
        "introduction": "",
        "owner": trainer.pk,
        "visibility": "unlisted",
        "items-TOTAL_FORMS": "61",
        "items-INITIAL_FORMS": "60",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for n, item in enumerate(pack.items.order_by("order", "id")):
        data |= {
            f"items-{n}-id": item.pk,
            f"items-{n}-pack": pack.pk,
            f"items-{n}-order": item.order,
            f"items-{n}-kind": item.kind,
            f"items-{n}-section": item.section_id or "",
            f"items-{n}-key_message": item.key_message_id or "",
            f"items-{n}-note": item.note,
        }
    data |= {
        "items-60-pack": pack.pk,
        "items-60-order": 61,
        "items-60-kind": "key_message",
        "items-60-key_message": extra.pk,
        "items-60-note": "",
    }
    url = f"/admin/packs/pack/{pack.pk}/change/"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "A pack holds at most 60 items." in response.content.decode()
    assert pack.items.count() == 60
    # Removing one makes room for the new one in the same save.
    data["items-0-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    assert pack.items.count() == 60
    assert pack.items.filter(key_message=extra).exists()


def test_packs_have_their_own_heading_on_the_admin_index(editor_client):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "Trainer packs" in html
    assert 'href="/admin/packs/pack/"' in html
    assert "/admin/briefings/pack/" not in html
