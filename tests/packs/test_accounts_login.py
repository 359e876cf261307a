"""Signing in on the public site: trainers are not staff, so they use /accounts/login/; django-axes
guards this form as it guards the admin's."""

import pytest
from django.conf import settings

from tests.support.packs import PASSWORD, make_trainer


def test_a_trainer_who_is_not_staff_signs_in_and_lands_on_their_packs(client, trainer):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html
    response = client.post("/accounts/login/", {"username": "trainer", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/packs/mine/"
    assert client.get("/packs/mine/").status_code == 200


def test_signing_in_returns_the_trainer_to_where_they_were(client, trainer):
    response = client.get("/packs/new/")
    assert response["Location"] == "/accounts/login/?next=/packs/new/"
    response = client.post(
        "/accounts/login/?next=/packs/new/",
        {"username": "trainer", "password": PASSWORD, "next": "/packs/new/"},
    )
    assert response["Location"] == "/packs/new/"


def test_an_editor_signing_in_here_lands_in_the_admin(client, editor):
    response = client.post(
        "/accounts/login/", {"username": "editor", "password": "a-long-editor-password"}
    )
    assert response["Location"] == "/admin/"


def test_a_wrong_password_is_refused_with_a_message(client, trainer):
    response = client.post("/accounts/login/", {"username": "trainer", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_repeated_failures_lock_the_form_even_for_the_right_password(client):
    make_trainer("locked")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "locked", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "locked", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_signing_out_needs_a_post(client, trainer):
    client.force_login(trainer)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/packs/mine/").status_code == 302
