"""Shared fixtures. The real curated content is imported once into the test database, so tests
read the same documents practitioners do; each test still runs in its own rolled-back transaction.
"""

import os
import secrets
import shutil
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

# A SQLite file already migrated and holding the content (perf/mutation.py builds one): each test
# session then starts from a copy of its own instead of migrating and importing (about 9 s), which
# mutation testing, one short session per mutant, cannot afford.
TEST_DATABASE_TEMPLATE = os.environ.get("PORTAL_TEST_DATABASE_TEMPLATE")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    if not TEST_DATABASE_TEMPLATE:
        yield
        return
    import tempfile

    from django.conf import settings

    with tempfile.TemporaryDirectory(prefix="portal-test-db-") as folder:
        copy = Path(folder) / "test.sqlite3"
        shutil.copyfile(TEST_DATABASE_TEMPLATE, copy)
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(copy)
        yield


@pytest.fixture(scope="session")
def django_db_keepdb(request):
    """Keep the copy of the template (its migrations are applied already), else as asked."""
    return bool(TEST_DATABASE_TEMPLATE) or request.config.getvalue("reuse_db")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from briefings.models import Briefing

    with django_db_blocker.unblock():
        if not (TEST_DATABASE_TEMPLATE and Briefing.objects.exists()):
            call_command("import_briefings", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_gates():
    """Each test starts with its process's concurrency gates new: a gate's CPU credit spent in
    one test must not make another wait (portal/ratelimit.py, Gate)."""
    from portal import ratelimit

    with ratelimit._gates_lock:
        ratelimit._gates.clear()


@pytest.fixture(scope="session")
def _content_version_file(tmp_path_factory):
    return tmp_path_factory.mktemp("page-cache") / "content-version"


@pytest.fixture(autouse=True)
def _empty_page_cache(settings, _content_version_file):
    """Each test starts with an empty page cache: a page cached inside another test's
    rolled-back transaction must not be served to this one. The content version lives in this
    run's own file, so another run on the same machine cannot invalidate its pages."""
    from django.core.cache import cache

    from portal import caching

    settings.PAGE_CACHE_VERSION_FILE = _content_version_file
    cache.clear()
    caching.OUTAGE.reset()
    # Written here rather than on the first request, which would count a query for scheduled
    # publications (the curated content has none) against that test. In the store the settings
    # choose: a file beside the local-memory cache, Redis itself in the Redis run (make test-redis).
    caching.version_store().write(caching.ContentVersion(secrets.token_hex(8), time.time(), None))


@pytest.fixture(scope="session")
def sqlite_content_file(django_db_setup, django_db_blocker, tmp_path_factory):
    """A migrated SQLite file database holding the real content, for tests that need a real file
    (backups, concurrent writers) whatever DATABASE_URL is. Tests copy it rather than change it.

    A copy of the in-memory SQLite test database when there is one (mark the test django_db);
    otherwise (PostgreSQL) it is built from scratch, which takes a few seconds."""
    import sqlite3

    from django.db import connection

    from tests.support.content_database import build_content_database

    path = tmp_path_factory.mktemp("sqlite") / "content.sqlite3"
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        with django_db_blocker.unblock():
            connection.ensure_connection()
            copy = sqlite3.connect(path)
            connection.connection.backup(copy)
            copy.execute("PRAGMA journal_mode=WAL")  # as production runs it
            copy.close()
        return path
    return build_content_database(path)


@pytest.fixture
def sqlite_content_copy(sqlite_content_file, tmp_path):
    """A copy of ``sqlite_content_file`` of this test's own, to write to."""
    import sqlite3
    from contextlib import closing

    path = tmp_path / "content-copy.sqlite3"
    with (
        closing(sqlite3.connect(sqlite_content_file)) as source,
        closing(sqlite3.connect(path)) as copy,
    ):
        source.backup(copy)
    return path


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


@pytest.fixture
def trainer(db):
    from tests.support.packs import make_trainer

    return make_trainer("trainer")


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
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


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by Playwright (no downloaded browser builds).

    One per test module, not per session: pytest (in random order too) runs a module's tests
    together, so other modules' tests never run while this browser is open, and a browser that
    one module broke cannot take the next module's tests with it. Under pytest-xdist a worker may
    start one for a module whose tests it shares with another worker; that costs a second."""
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


@pytest.fixture
def production_rate_limits(settings):
    """The rate limits production runs with (the test settings switch them off)."""
    settings.RATE_LIMITS = dict(settings.PRODUCTION_RATE_LIMITS)
    return settings.RATE_LIMITS


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A Redis server run from the shipped deploy/redis/portal.conf, for this test session."""
    from tests.support.redis_server import running_redis

    with running_redis(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def redis_cache(settings, redis_url):
    """The portal's cache (pages, content version, rate limits) in that Redis, emptied first;
    returns a raw client for looking inside."""
    import redis

    from tests.support.redis_server import redis_cache_settings

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    maxmemory = client.config_get("maxmemory")["maxmemory"]
    settings.CACHES = {"default": redis_cache_settings(redis_url)}
    yield client
    client.config_set("maxmemory", maxmemory)
    client.flushdb()


def pytest_terminal_summary(terminalreporter, config):
    """Name the random order's seed at the end of every run, even under -q (which hides
    pytest-randomly's own header line), so that an order-dependent failure can be replayed."""
    seed = getattr(config.option, "randomly_seed", None)
    if config.pluginmanager.hasplugin("randomly") and isinstance(seed, int):
        terminalreporter.write_line(
            f"Tests ran in random order (pytest-randomly): replay with --randomly-seed={seed}"
        )
