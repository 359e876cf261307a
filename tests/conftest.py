"""Shared fixtures. The real curated content is imported once into the test database, so tests
read the same documents practitioners do; each test still runs in its own rolled-back transaction.
"""

import os
import shutil

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("import_briefings", verbosity=0)


@pytest.fixture
def editor(db):
    user = User.objects.create_user(
        "editor", "editor@example.org", "a-long-editor-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def browser_path():
    """Chromium for browser tests: required in CI, optional on a developer machine."""
    path = (
        os.environ.get("PORTAL_BROWSER")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if not path:
        if os.environ.get("CI"):
            pytest.fail("CI must provide Chromium for the browser tests (PORTAL_BROWSER).")
        pytest.skip("Chromium is not installed; CI runs these tests.")
    return path
