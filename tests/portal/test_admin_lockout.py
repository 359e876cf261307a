"""Admin sign-in throttling (django-axes): five wrong passwords lock a username from one address."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "the-right-admin-password"


@pytest.fixture
def admin_user():
    return User.objects.create_superuser("admin", "admin@example.org", PASSWORD)


def sign_in(client, password, username="admin", ip="192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def fail(client, times, **kwargs):
    for _ in range(times):
        response = sign_in(client, "wrong-password", **kwargs)
        assert not signed_in(response)


def test_the_limit_is_five_failures():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_four_wrong_passwords_then_the_right_one_signs_in(client, admin_user):
    fail(client, 4)
    assert signed_in(sign_in(client, PASSWORD))


def test_after_five_wrong_passwords_the_right_one_is_refused(client, admin_user):
    fail(client, 5)
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content
    assert b"Please try again in 15 minutes." in response.content
    assert "_auth_user_id" not in client.session


def test_the_lock_is_for_the_username_and_address_together(client, admin_user):
    fail(client, 5)
    assert signed_in(sign_in(client, PASSWORD, ip="198.51.100.7"))
    client.logout()
    other = User.objects.create_superuser("other", "other@example.org", PASSWORD)
    assert signed_in(sign_in(client, PASSWORD, username=other.username))


def test_the_lock_lifts_after_the_cool_off(client, admin_user):
    fail(client, 5)
    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    assert cool_off == timedelta(minutes=15)

    # Move the failures back in time rather than wait: first to just inside the cool-off...
    attempt = AccessAttempt.objects.get(username="admin")
    first_failure = attempt.attempt_time
    AccessAttempt.objects.update(attempt_time=first_failure - cool_off + timedelta(seconds=30))
    assert sign_in(client, PASSWORD).status_code == 429

    # ...then to just past it.
    AccessAttempt.objects.update(attempt_time=first_failure - cool_off - timedelta(seconds=1))
    assert signed_in(sign_in(client, PASSWORD))


# Behind the documented proxy (AXES_PROXY_COUNT=1): every request arrives from the proxy's
# address, and the reader's is the last X-Forwarded-For entry, the one the proxy appended.
PROXY = "127.0.0.1"
ATTACKER = "203.0.113.9"
VICTIM = "198.51.100.7"
FORMS = {"admin": (LOGIN, "/admin/"), "public": ("/accounts/login/", "/admin/")}


def through_proxy(client, url, password, reader, forged=""):
    """A sign-in through nginx: whatever the reader sent as X-Forwarded-For, then their address."""
    return client.post(
        url,
        {"username": "admin", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{forged}{reader}",
    )


@pytest.mark.parametrize("form", FORMS)
def test_behind_the_proxy_an_attackers_failures_lock_out_the_attacker_not_the_user(
    client, settings, admin_user, form
):
    settings.CLIENT_PROXY_COUNT = 1
    url, landing = FORMS[form]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # Each attempt forges a different "client" in front, as if to spread the failures.
        forged = f"192.0.2.{attempt + 1}, {VICTIM}, "
        response = through_proxy(client, url, "wrong-password", ATTACKER, forged)
        # The form again after each failure but the last, which answers with the lock.
        last = attempt == settings.AXES_FAILURE_LIMIT - 1
        assert response.status_code == (429 if last else 200), attempt

    locked = through_proxy(client, url, PASSWORD, ATTACKER)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}

    # The same username, from the user's own address through the same proxy, still signs in.
    response = through_proxy(client, url, PASSWORD, VICTIM)
    assert (response.status_code, response["Location"]) == (302, landing)
