"""The public page cache (portal/caching.py): hits, invalidation by edits, conditional GET."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.cache import never_cache

from briefings.models import Briefing, ChangeNote, KeyMessage, Role, Section, Status, Theme
from portal import caching

pytestmark = pytest.mark.django_db

DOCUMENT = "/documents/police/"
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


def cached_view(request):
    return HttpResponse("plain")


@never_cache
def uncacheable_view(request):
    return HttpResponse("private")


def cookie_view(request):
    response = HttpResponse("with a cookie")
    response.set_cookie("tracking", "1")
    return response


def varying_view(request):
    response = HttpResponse("by language")
    response["Vary"] = "Accept-Language"
    return response


urlpatterns = [
    path("t/plain/", cached_view),
    path("t/never/", uncacheable_view),
    path("t/cookie/", cookie_view),
    path("t/vary/", varying_view),
    path("", include("portal.urls")),
]


@pytest.fixture
def version_file(settings, tmp_path):
    settings.PAGE_CACHE_VERSION_STORE = "file"
    settings.PAGE_CACHE_VERSION_FILE = tmp_path / "content-version"
    return settings.PAGE_CACHE_VERSION_FILE


def test_a_second_anonymous_request_is_answered_from_the_cache_without_queries(
    client, django_assert_num_queries
):
    first = client.get(DOCUMENT)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(DOCUMENT)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_each_role_is_its_own_page(client):
    everyone = client.get(DOCUMENT)
    police = client.get(DOCUMENT, {"role": "police"})
    assert police["X-Page-Cache"] == "miss"
    assert b"Viewing as: <strong>Police</strong>" in police.content
    assert b"Viewing as: <strong>Police</strong>" not in everyone.content
    assert client.get(DOCUMENT, {"role": "police"})["X-Page-Cache"] == "hit"


def test_a_section_edit_is_visible_on_the_very_next_request(client):
    section = Section.objects.get(briefing__slug="police", slug="investigating-cse")
    client.get(DOCUMENT)
    section.body += "\n\nA sentence added by an editor."
    section.save()
    response = client.get(DOCUMENT)
    assert response["X-Page-Cache"] == "miss"
    assert b"A sentence added by an editor." in response.content


def test_a_deleted_key_message_disappears_on_the_next_request(client):
    message = KeyMessage.objects.filter(briefing__slug="police").first()
    anchor = f'id="{message.anchor}"'.encode()
    assert anchor in client.get(DOCUMENT).content
    message.delete()
    assert anchor not in client.get(DOCUMENT).content


def test_a_theme_added_to_a_section_shows_on_the_theme_page_next_request(client):
    theme = Theme.objects.create(name="Testing the cache", slug="testing-the-cache")
    section = Section.objects.get(briefing__slug="police", slug="investigating-cse")
    url = theme.get_absolute_url()
    assert section.heading.encode() not in client.get(url).content
    section.themes.add(theme)  # a change to the taggit through model only
    assert section.heading.encode() in client.get(url).content


def test_an_audience_change_shows_on_the_role_page_next_request(client):
    briefing = Briefing.objects.get(slug="cse-factsheet")
    role = Role.objects.get(slug="schools")
    client.get(role.get_absolute_url())
    before = client.get(role.get_absolute_url())
    assert before["X-Page-Cache"] == "hit"
    briefing.audiences.add(role)
    after = client.get(role.get_absolute_url())
    assert after["X-Page-Cache"] == "miss"
    assert after.content != before.content


def test_unpublishing_a_document_removes_it_from_the_cached_list(client):
    briefing = Briefing.objects.get(slug="police")
    assert briefing.title.encode() in client.get("/documents/").content
    briefing.status = Status.DRAFT
    briefing.save()
    assert briefing.title.encode() not in client.get("/documents/").content
    assert client.get(DOCUMENT).status_code == 404


def test_the_version_is_renewed_again_after_the_edit_commits(django_capture_on_commit_callbacks):
    """A reader that rendered the old rows between the edit and its commit cached them under the
    version the edit started; the commit starts another, so that copy is never served."""
    section = Section.objects.get(briefing__slug="police", slug="investigating-cse")
    before = caching.current_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        section.body += "\n\nEdited."
        section.save()
        during = caching.current_version()
        section.save()  # a second save in the same transaction
    after = caching.current_version()
    # One renewal for the transaction, however many saves (other code may add its own callbacks).
    assert callbacks.count(caching._after_commit) == 1
    assert len({before.token, during.token, after.token}) == 3


def test_an_etag_answers_a_conditional_get_with_304_until_the_page_changes(client):
    first = client.get(DOCUMENT)
    etag = first["ETag"]
    not_modified = client.get(DOCUMENT, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    section = Section.objects.get(briefing__slug="police", slug="investigating-cse")
    section.body += "\n\nChanged."
    section.save()
    changed = client.get(DOCUMENT, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_if_modified_since_answers_304_and_a_later_edit_moves_last_modified(client):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = client.get(DOCUMENT)
        assert (
            client.get(DOCUMENT, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
        )
        clock.shift(timedelta(seconds=2))  # HTTP dates have one-second resolution
        Section.objects.get(briefing__slug="police", slug="investigating-cse").save()
    again = client.get(DOCUMENT, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200
    assert again["Last-Modified"] != first["Last-Modified"]


def test_public_pages_may_be_stored_but_must_be_revalidated_and_vary_on_the_cookie(client):
    response = client.get(DOCUMENT)
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=0", "must-revalidate"}
    assert response["Vary"] == "Cookie, Accept-Encoding"
    assert not response.cookies


def test_head_is_answered_from_the_cache(client):
    client.get(DOCUMENT)
    response = client.head(DOCUMENT)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"


def test_a_signed_in_reader_is_never_served_or_stored_by_the_cache(editor_client):
    response = editor_client.get(DOCUMENT)
    assert "X-Page-Cache" not in response
    assert "ETag" not in response
    assert editor_client.get(DOCUMENT).get("X-Page-Cache") is None
    editor_client.logout()
    assert editor_client.get(DOCUMENT)["X-Page-Cache"] == "miss"


@pytest.mark.parametrize("url", ["/admin/login/", "/healthz"])
def test_admin_and_health_are_never_cached(client, url):
    client.get(url)
    assert "X-Page-Cache" not in client.get(url)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("url", "stored"),
    [("/t/plain/", True), ("/t/never/", False), ("/t/cookie/", False), ("/t/vary/", False)],
)
def test_only_plain_public_responses_are_stored(client, url, stored):
    client.get(url)
    assert (client.get(url).get("X-Page-Cache") == "hit") is stored


def test_a_404_is_not_stored(client):
    client.get("/documents/no-such-document/")
    response = client.get("/documents/no-such-document/")
    assert response.status_code == 404
    assert "X-Page-Cache" not in response


def test_the_key_covers_host_and_query_string(rf):
    version = caching.ContentVersion("t", 0.0, None)
    keys = {
        caching.page_key(rf.get(DOCUMENT), version),
        caching.page_key(rf.get(DOCUMENT, {"role": "police"}), version),
        caching.page_key(rf.get(DOCUMENT, HTTP_HOST="localhost"), version),
        caching.page_key(rf.get(DOCUMENT), caching.ContentVersion("u", 0.0, None)),
    }
    assert len(keys) == 4


def test_a_scheduled_publication_is_recorded_and_renews_the_version_when_due(
    client, django_capture_on_commit_callbacks
):
    # A frozen clock: however slow the machine, the first page is read before the publication
    # time and the second after it.
    briefing = Briefing.objects.get(slug="police")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        briefing.publish_from = timezone.now() + timedelta(hours=1)
        with django_capture_on_commit_callbacks(execute=True):
            briefing.save()
        version = caching.current_version()
        assert version.next_change == pytest.approx(briefing.publish_from.timestamp())
        clock.shift(timedelta(hours=1) - timedelta(seconds=1))
        assert briefing.title.encode() not in client.get("/documents/").content
        clock.shift(timedelta(seconds=2))
        response = client.get("/documents/")
        assert response["X-Page-Cache"] == "miss"
        assert briefing.title.encode() in response.content
        assert caching.current_version().next_change is None


def test_a_change_note_dated_ahead_is_scheduled_and_shown_when_its_time_comes(
    client, django_capture_on_commit_callbacks
):
    briefing = Briefing.objects.get(slug="police")
    text = "A corrected figure in the section on trust, dated ahead."
    with time_machine.travel(timezone.now(), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            note = ChangeNote.objects.create(
                briefing=briefing, note=text, created=timezone.now() + timedelta(hours=2)
            )
        assert caching.current_version().next_change == pytest.approx(note.created.timestamp())
        assert text.encode() not in client.get(DOCUMENT).content
        clock.shift(timedelta(hours=2, seconds=1))
        response = client.get(DOCUMENT)
        assert response["X-Page-Cache"] == "miss"
        assert text.encode() in response.content


def test_a_missing_or_damaged_version_file_starts_a_new_version(version_file):
    first = caching.current_version()
    version_file.write_text("not json")
    second = caching.current_version()
    version_file.unlink()
    third = caching.current_version()
    assert len({first.token, second.token, third.token}) == 3


def test_a_missing_or_damaged_version_in_a_shared_cache_starts_a_new_version(settings):
    settings.PAGE_CACHE_VERSION_STORE = "cache"
    first = caching.current_version()
    caches["default"].set(caching.VERSION_CACHE_KEY, "not json", timeout=None)
    second = caching.current_version()
    caches["default"].delete(caching.VERSION_CACHE_KEY)  # evicted
    third = caching.current_version()
    assert len({first.token, second.token, third.token}) == 3


def test_a_shared_cache_keeps_the_version_in_the_cache(settings, client, tmp_path):
    settings.PAGE_CACHE_VERSION_STORE = "cache"
    settings.PAGE_CACHE_VERSION_FILE = tmp_path / "unused"
    client.get(DOCUMENT)
    assert caches["default"].get(caching.VERSION_CACHE_KEY)
    assert client.get(DOCUMENT)["X-Page-Cache"] == "hit"
    Section.objects.get(briefing__slug="police", slug="investigating-cse").save()
    assert client.get(DOCUMENT)["X-Page-Cache"] == "miss"
    assert not settings.PAGE_CACHE_VERSION_FILE.exists()


def test_a_redis_cache_url_gives_a_redis_backend_with_its_version_in_redis(settings):
    from portal.settings.env import env_cache

    settings.CACHES = {
        **settings.CACHES,
        "redis": env_cache("CACHE_URL", default="redis://127.0.0.1:6399/0"),
    }
    settings.PAGE_CACHE_ALIAS = "redis"
    store = caching.version_store()
    assert type(store) is caching.CacheVersionStore
    assert type(store.cache).__name__ == "PortalRedisCache"
    # The client library is installed, so the backend can be built (no server is contacted).
    assert store.cache._cache._client.__module__.startswith("redis")


def test_a_local_memory_cache_keeps_the_version_in_a_file(settings):
    settings.CACHES = {**settings.CACHES, "local": {"BACKEND": LOCMEM}}
    settings.PAGE_CACHE_ALIAS = "local"
    assert type(caching.version_store()) is caching.FileVersionStore
    assert settings.PAGE_CACHE_SECONDS > 0


def test_migrate_starts_a_new_version():
    from django.core.management import call_command

    before = caching.current_version()
    call_command("migrate", verbosity=0)
    assert caching.current_version().token != before.token


def test_a_cache_that_is_down_slows_pages_but_does_not_break_them(client, monkeypatch, caplog):
    def down(*args, **kwargs):
        raise ConnectionRefusedError("cache server unreachable")

    monkeypatch.setattr(caches["default"], "get", down)
    monkeypatch.setattr(caches["default"], "set", down)
    response = client.get(DOCUMENT)
    assert response.status_code == 200
    assert "Page cache unavailable" in caplog.text


def test_a_cache_outage_is_logged_once_and_the_cache_left_alone_until_the_retry_time(
    client, monkeypatch, caplog, settings
):
    settings.PAGE_CACHE_RETRY_SECONDS = 0.5
    # The outage's clock stands still while the three requests are made, however slow the
    # machine, and then moves past the retry time.
    clock = [1_000.0]
    monkeypatch.setattr(caching.time, "monotonic", lambda: clock[0])
    attempts = []

    def down(*args, **kwargs):
        attempts.append(args)
        raise ConnectionRefusedError("cache server unreachable")

    with monkeypatch.context() as patched:
        patched.setattr(caches["default"], "get", down)
        patched.setattr(caches["default"], "set", down)
        statuses = [client.get(DOCUMENT).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    assert len(attempts) == 1  # the next two did not wait on a cache that is down
    assert caplog.text.count("Page cache unavailable") == 1
    assert "serving pages without it for 0.5 s" in caplog.text
    clock[0] += 0.4
    assert "X-Page-Cache" not in client.get(DOCUMENT)  # still inside the outage: not cached
    clock[0] += 0.2
    assert client.get(DOCUMENT)["X-Page-Cache"] == "miss"
    assert client.get(DOCUMENT)["X-Page-Cache"] == "hit"


def fail_version_writes(monkeypatch):
    def unreachable(self, version):
        raise ConnectionRefusedError("cache server unreachable")

    for store in (caching.FileVersionStore, caching.CacheVersionStore):
        monkeypatch.setattr(store, "write", unreachable)


def test_an_edit_made_while_the_cache_is_down_starts_a_new_version_when_it_answers(
    client, monkeypatch, settings, django_capture_on_commit_callbacks
):
    """A cache cut off rather than restarted still holds the pages from before the edit: the
    server that saved the edit starts a new version as soon as the cache answers again."""
    settings.PAGE_CACHE_RETRY_SECONDS = 0
    client.get(DOCUMENT)
    assert client.get(DOCUMENT)["X-Page-Cache"] == "hit"
    section = Section.objects.get(briefing__slug="police", slug="investigating-cse")
    with monkeypatch.context() as patched:
        fail_version_writes(patched)
        with django_capture_on_commit_callbacks(execute=True):
            section.body += "\n\nAn edit saved while the cache was cut off."
            section.save()
    response = client.get(DOCUMENT)
    assert response["X-Page-Cache"] == "miss"
    assert b"An edit saved while the cache was cut off." in response.content


def test_an_edit_still_saves_when_the_version_cannot_be_written(monkeypatch, caplog):
    fail_version_writes(monkeypatch)
    section = Section.objects.get(briefing__slug="police", slug="investigating-cse")
    section.body += "\n\nSaved anyway."
    section.save()
    assert "Saved anyway." in Section.objects.get(pk=section.pk).body
    assert "Could not start a new content version" in caplog.text
