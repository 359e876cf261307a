"""A sign-in always lands on a real page: the address it is asked to return to when that address
is on this site, and otherwise (no address, or one it refuses because it leads elsewhere) the
signed-in person's own starting page, never a 404 (issue 14)."""

import pytest

from tests.support.packs import PASSWORD

EDITOR_PASSWORD = "a-long-editor-password"  # the editor fixture's

# Addresses Django refuses to return to: other sites, however they are spelled, and scripts.
REFUSED = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "/\t/evil.example/",
    " //evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    "http://testserver.evil.example/",
]


def _lands_on(client, response):
    """Follow the sign-in's redirect and return where it ends, which must be a real page."""
    assert response.status_code == 302, response.content[:300]
    location = response["Location"]
    page = client.get(location)
    assert page.status_code == 200, location
    return location


@pytest.mark.parametrize("next_url", ["", *REFUSED])
def test_an_editor_signing_in_to_the_admin_lands_on_the_admins_home(client, editor, next_url):
    response = client.post(
        f"/admin/login/?next={next_url}" if next_url else "/admin/login/",
        {"username": "editor", "password": EDITOR_PASSWORD, "next": next_url},
    )
    assert _lands_on(client, response) == "/admin/"


def test_an_editor_signing_in_to_the_admin_returns_to_an_admin_page_on_this_site(client, editor):
    response = client.post(
        "/admin/login/?next=/admin/briefings/section/",
        {"username": "editor", "password": EDITOR_PASSWORD, "next": "/admin/briefings/section/"},
    )
    assert _lands_on(client, response) == "/admin/briefings/section/"


@pytest.mark.parametrize("next_url", REFUSED)
def test_a_trainer_given_a_refused_address_lands_on_their_packs(client, trainer, next_url):
    response = client.post(
        "/accounts/login/", {"username": "trainer", "password": PASSWORD, "next": next_url}
    )
    assert _lands_on(client, response) == "/packs/mine/"


@pytest.mark.parametrize("next_url", REFUSED)
def test_an_editor_given_a_refused_address_on_the_public_form_lands_in_the_admin(
    client, editor, next_url
):
    response = client.post(
        "/accounts/login/", {"username": "editor", "password": EDITOR_PASSWORD, "next": next_url}
    )
    assert _lands_on(client, response) == "/admin/"
