"""The document admin page says who else has it open (also to the page's refresh script), and
an editor locks it for a stated time with a reason; only the holder (or an administrator)
unlocks it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from briefings.editorial import presence
from briefings.models import Briefing, DocumentLock

pytestmark = pytest.mark.django_db


@pytest.fixture
def police():
    return Briefing.objects.get(slug="police")


@pytest.fixture
def other_client():
    user = User.objects.create_user("olu", password="x" * 20, is_staff=True, first_name="Olu")
    user.groups.add(Group.objects.get(name="Editors"))
    other = Client()
    other.force_login(user)
    return other


def _url(name, police):
    return reverse(f"admin:briefings_briefing_{name}", args=[police.pk])


def test_the_page_and_its_refresh_name_the_other_editor_with_it_open(
    editor_client, other_client, police
):
    other_client.get(_url("change", police))

    page = editor_client.get(_url("change", police)).content.decode()
    refreshed = editor_client.post(_url("presence", police)).json()

    assert "Also open: Olu has this document open now." in page
    assert refreshed["others"] == ["Olu"]
    assert "js/admin-presence.js" in page
    own = other_client.post(_url("presence", police)).json()
    assert own["others"] == ["editor"]


def test_a_lock_needs_a_reason(editor_client, police):
    response = editor_client.post(
        _url("lock", police), {"minutes": "60", "reason": ""}, follow=True
    )
    assert "Not locked" in response.content.decode()
    assert not DocumentLock.objects.exists()


def test_a_lock_shows_on_the_page_and_only_its_holder_unlocks_it(
    editor_client, other_client, police
):
    editor_client.post(_url("lock", police), {"minutes": "30", "reason": "Checking citations"})
    assert presence.active_lock(police).reason == "Checking citations"

    page = other_client.get(_url("change", police)).content.decode()
    assert "Locked by editor until" in page
    listing = other_client.get(reverse("admin:briefings_briefing_changelist")).content.decode()
    assert "Locked by editor until" in listing

    refused = other_client.post(_url("lock", police), {"unlock": "1"}, follow=True)
    assert "Only editor can unlock it." in refused.content.decode()
    assert presence.active_lock(police) is not None
    taken = other_client.post(
        _url("lock", police), {"minutes": "15", "reason": "Mine now"}, follow=True
    )
    assert "already locked by editor" in taken.content.decode()

    editor_client.post(_url("lock", police), {"unlock": "1"})
    assert presence.active_lock(police) is None
