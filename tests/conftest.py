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


def load_portal_content():
    """Seed roles and groups and import the curated content (after a flush, for live servers)."""
    from importlib import import_module

    from django.apps import apps

    from briefings.models import Briefing

    if not Briefing.objects.exists():
        import_module("briefings.migrations.0002_roles_and_editors_group").seed(apps)
        call_command("import_briefings", verbosity=0)


@pytest.fixture
def live_portal(transactional_db, live_server):
    """A live server with the real content. Transactional tests flush the database afterwards,
    so the content is loaded again for each one (pytest-django runs them after the others)."""
    load_portal_content()
    return live_server


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (no downloaded browser builds)."""
    executable = browser_path()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls that tests make
    # between page actions are still synchronous, so Django's async guard does not apply.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
