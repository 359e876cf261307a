"""The content version's finer rules: what counts as content (never a migration's historical
model), what a version written inside a transaction keeps (the next scheduled publication), how
long a shared cache keeps it (until evicted, never a timeout), and what an outage writes to the
log and remembers (an edit, and nothing else)."""

import logging
from datetime import timedelta

import pytest
from django.apps import apps
from django.db.migrations.state import ProjectState
from django.utils import timezone

from briefings.models import Briefing
from portal import caching

pytestmark = pytest.mark.django_db


@pytest.fixture
def version_file(settings, tmp_path):
    settings.PAGE_CACHE_VERSION_STORE = "file"
    settings.PAGE_CACHE_VERSION_FILE = tmp_path / "content-version"
    return settings.PAGE_CACHE_VERSION_FILE


class Down(ConnectionRefusedError):
    pass


def test_a_migrations_historical_model_is_not_content_though_its_label_is():
    historical = ProjectState.from_apps(apps).apps.get_model("briefings", "Briefing")
    assert historical._meta.label_lower == Briefing._meta.label_lower
    before = caching.current_version().token

    caching.content_changed(sender=historical, instance=None)
    assert caching.current_version().token == before

    caching.content_changed(sender=Briefing, instance=None)
    assert caching.current_version().token != before


def test_an_edit_inside_a_transaction_keeps_the_next_scheduled_publication():
    store = caching.version_store()
    store.write(caching.ContentVersion("before", 1.0, next_change=4_000_000_000.0))

    caching.content_changed(sender=Briefing, instance=None)  # the test runs in a transaction

    version = store.read()
    assert version.token != "before"
    assert version.next_change == 4_000_000_000.0


def test_an_edit_inside_a_transaction_with_no_version_stored_starts_one(version_file):
    version_file.unlink(missing_ok=True)  # never written, or evicted

    caching.content_changed(sender=Briefing, instance=None)

    assert caching.version_store().read().next_change is None


def test_a_shared_cache_keeps_the_version_until_it_is_evicted(redis_cache, settings):
    settings.PAGE_CACHE_VERSION_STORE = "cache"
    key = caching.page_cache().make_key(caching.VERSION_CACHE_KEY)
    version = caching.bump_content_version()

    assert caching.version_store().read() == version
    assert redis_cache.ttl(key) == -1  # no expiry; only maxmemory's LRU removes it

    redis_cache.delete(key)  # evicted: the next read stores a new one, also without expiry
    assert caching.current_version().token != version.token
    assert redis_cache.ttl(key) == -1


def test_only_the_end_of_a_change_of_links_is_a_change_of_content():
    through = Briefing.audiences.through
    before = caching.current_version().token
    for action in ("pre_add", "pre_remove", "pre_clear"):
        caching.content_changed(sender=through, instance=None, action=action)
    assert caching.current_version().token == before

    caching.content_changed(sender=through, instance=None, action="post_add")
    assert caching.current_version().token != before


def test_an_outage_remembers_an_edit_only_when_one_was_lost(settings, caplog):
    settings.PAGE_CACHE_RETRY_SECONDS = 0
    outage = caching.CacheOutage()
    outage.begin(Down("cache server unreachable"))
    assert outage.recover() is None  # nothing to renew: pages from before are still current

    outage.begin(Down("cache server unreachable"), edit_pending=True)
    before = caching.current_version().token
    with caplog.at_level(logging.WARNING, logger="portal.caching"):
        assert outage.recover().token != before
    assert caplog.messages[-1] == "Page cache answers again: started a new content version"
    assert outage.recover() is None


def test_an_outage_is_logged_with_its_error_and_retry_time(settings, caplog):
    settings.PAGE_CACHE_RETRY_SECONDS = 30
    with caplog.at_level(logging.WARNING, logger="portal.caching"):
        caching.CacheOutage().begin(Down("cache server unreachable"))
    assert caplog.messages == [
        "Page cache unavailable (Down: cache server unreachable); serving pages without it for 30 s"
    ]


@pytest.fixture
def unwritable_version(monkeypatch):
    """The version store's server is unreachable when a new version is written."""

    def unreachable(self, version):
        raise Down("cache server unreachable")

    monkeypatch.setattr(caching.FileVersionStore, "write", unreachable)


@pytest.mark.usefixtures("unwritable_version")
def test_an_edit_whose_version_cannot_be_written_is_logged_and_retried_at_commit(caplog):
    with caplog.at_level(logging.WARNING, logger="portal.caching"):
        caching.content_changed(sender=Briefing, instance=None)  # inside the test's transaction
    assert caplog.messages == [
        "Could not start a new content version (Down: cache server unreachable)"
    ]


@pytest.mark.usefixtures("unwritable_version")
def test_a_version_lost_after_commit_is_logged_and_started_when_the_cache_answers(caplog):
    with caplog.at_level(logging.WARNING, logger="portal.caching"):
        caching._after_commit()
    assert caplog.messages[0] == (
        "Could not start a new content version (Down: cache server unreachable); this server "
        "will start one as soon as the cache answers again"
    )
    assert caching.OUTAGE.edit_pending
    assert "(Down: cache server unreachable)" in caplog.messages[1]


def test_a_content_memo_is_computed_once_per_content_version():
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    name = "test-only-memo"
    caching._memo.pop(name, None)
    assert caching.content_memo(name, compute) == 1
    assert caching.content_memo(name, compute) == 1
    caching.bump_content_version()
    assert caching.content_memo(name, compute) == 2
    caching._memo.pop(name, None)


def test_a_pages_own_etag_last_modified_and_cache_control_are_kept_when_it_is_stored():
    from django.http import HttpResponse

    response = HttpResponse("page")
    response["ETag"] = '"the-views-own"'
    response["Last-Modified"] = "Mon, 02 Mar 2026 12:00:00 GMT"
    response["Cache-Control"] = "public, max-age=60"
    caching.PublicPageCacheMiddleware.prepare(response, caching.current_version())
    assert response["ETag"] == '"the-views-own"'
    assert response["Last-Modified"] == "Mon, 02 Mar 2026 12:00:00 GMT"
    assert response["Cache-Control"] == "public, max-age=60"


def test_a_version_started_after_an_eviction_records_the_next_scheduled_publication(version_file):
    publish_from = timezone.now() + timedelta(days=3)
    Briefing.objects.filter(slug="police").update(publish_from=publish_from)
    version_file.unlink(missing_ok=True)  # evicted, or never written

    assert caching.current_version().next_change == pytest.approx(publish_from.timestamp())


def test_the_version_file_is_written_into_folders_that_do_not_exist_yet(settings, tmp_path):
    settings.PAGE_CACHE_VERSION_STORE = "file"
    settings.PAGE_CACHE_VERSION_FILE = tmp_path / "var" / "cache" / "content-version"

    version = caching.bump_content_version()

    assert caching.version_store().read() == version


def test_a_reset_outage_is_over_and_has_no_edit_pending(settings):
    settings.PAGE_CACHE_RETRY_SECONDS = 600
    outage = caching.CacheOutage()
    outage.begin(Down("cache server unreachable"), edit_pending=True)
    assert outage.active()

    outage.reset()

    assert not outage.active()
    assert outage.recover() is None  # no new version: no edit was lost
