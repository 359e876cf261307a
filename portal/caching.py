"""Serve public pages from a cache that any content edit invalidates at once.

- Only anonymous reads are cached: GET or HEAD, no session cookie, no Authorization header, and
  not under PAGE_CACHE_SKIP_PREFIXES (admin, packs, previews, health). A response is stored only
  when it is a plain 200 that sets no cookie and does not declare itself private, uncacheable or
  varying on anything but the cookie, so a view opts out with ``never_cache`` or ``private``.
- The key is the scheme, host and path, the *canonical query* (portal/query.py: only the
  parameters the page declares it reads, normalised and in a fixed order, so ``?role=`` gives
  its own page and ``?utm_source=`` does not), and the *content version*, a random token
  replaced whenever a content model is saved, deleted or has its many-to-many links changed.
  Content models are declared by the app that owns them (``declare_content``, called from its
  ``AppConfig.ready``), never inferred: a model no one declared (users, sessions, trainers'
  packs, the admin's log) changes without touching the cache. A declared model's many-to-many
  links are content only if their through model is declared too. Nothing is scanned or deleted
  on an edit: the next request simply looks under a new key, and the old entries age out.
- Memory is bounded by the backend: the local-memory cache by its number of entries
  (``CACHE_MAX_ENTRIES``), Redis by ``maxmemory`` with an LRU eviction policy
  (deploy/redis/portal.conf). Any entry may vanish at any time, the content version included: a
  missing page is rendered again, a missing version starts a new one.
- The version is replaced when the edit happens (so the editing connection sees it at once) and
  again after the transaction commits: a reader that rendered the old rows between the two cannot
  leave them cached under the current version.
- ``publish_from`` is applied at read time, so the version also records the next scheduled
  publication and is renewed by the first request after it.
- Every cached page carries an ETag and Last-Modified, and conditional requests get a 304.
- A cache that is down (Redis stopped, unreachable, out of memory) costs speed, never a page: the
  process logs one warning and renders without the cache for PAGE_CACHE_RETRY_SECONDS, then tries
  again (``CacheOutage``).

The version must be seen by every process that serves pages. With a process-local cache (local
memory: one per gunicorn worker) it is kept in a small file under var/; with a shared cache
(Redis) it is kept in the cache itself, so several machines agree on it.

Code that changes content without model signals (``QuerySet.update()``, ``bulk_create()``, raw
SQL) must call ``bump_content_version()`` itself.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe
from redis.exceptions import RedisError

from . import page_encoding
from .query import cache_query
from .request_log import CACHE_STATUS_HEADER

logger = logging.getLogger(__name__)

# The labels ("app_label.modelname") of the content models; see declare_content().
_content_models: set[str] = set()
# Fields that make content appear or disappear at a time rather than on a save: a document's
# publication date, and a change note's date (a note dated ahead is shown from then on;
# ChangeNoteQuerySet.shown). Where "created" is only ever set to the moment of saving, none is
# ahead and it schedules nothing.
SCHEDULE_FIELDS = ("publish_from", "created")
VERSION_CACHE_KEY = "portal:content-version"
_UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache")
# The response headers the cache reads and writes, each named once.
ETAG, LAST_MODIFIED, CACHE_CONTROL, VARY = "ETag", "Last-Modified", "Cache-Control", "Vary"
_ALLOWED_VARY = {"cookie", "accept-encoding"}
# What a cache that is down raises: the version file's file system, or the Redis client.
CACHE_ERRORS = (OSError, RedisError)


@dataclass(frozen=True)
class ContentVersion:
    token: str
    changed_at: float  # when content last changed (Unix time): the pages' Last-Modified
    next_change: float | None  # the next scheduled publication, if any

    @classmethod
    def new(cls, next_change: float | None) -> ContentVersion:
        """A version with a token no page was stored under, changed now."""
        return cls(secrets.token_hex(8), time.time(), next_change)

    def due(self, now: float) -> bool:
        return self.next_change is not None and now >= self.next_change

    def dumps(self) -> str:
        return json.dumps([self.token, self.changed_at, self.next_change])

    @classmethod
    def loads(cls, raw) -> ContentVersion | None:
        try:
            token, changed_at, next_change = json.loads(raw)
            return cls(
                str(token), float(changed_at), None if next_change is None else float(next_change)
            )
        except (TypeError, ValueError):
            return None


class FileVersionStore:
    """The version in a file, shared by the processes of one machine.

    Written to a temporary name and renamed over the old one, so a reader sees either the old or
    the new version, never half a file.
    """

    def __init__(self, path):
        self.path = Path(path)

    def read(self) -> ContentVersion | None:
        try:
            return ContentVersion.loads(self.path.read_bytes())
        except FileNotFoundError:
            return None

    def create(self, version: ContentVersion) -> ContentVersion:
        self.write(version)
        return version

    def write(self, version: ContentVersion) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(
            f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp"
        )
        temporary.write_bytes(version.dumps().encode())
        os.replace(temporary, self.path)


class CacheVersionStore:
    """The version in a shared cache (Redis), seen by every machine that uses that cache.

    If the cache evicts it, the next read starts a new version: every page is rendered afresh,
    which is safe.
    """

    def __init__(self, cache):
        self.cache = cache

    def read(self) -> ContentVersion | None:
        return ContentVersion.loads(self.cache.get(VERSION_CACHE_KEY))

    def write(self, version: ContentVersion) -> None:
        self.cache.set(VERSION_CACHE_KEY, version.dumps(), timeout=None)

    def create(self, version: ContentVersion) -> ContentVersion:
        """Store a first version unless another process just did; return the one stored, so
        processes that all found the version evicted agree on its successor."""
        if self.cache.add(VERSION_CACHE_KEY, version.dumps(), timeout=None):
            return version
        return self.read() or version


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def version_store():
    cache = page_cache()
    kind = settings.PAGE_CACHE_VERSION_STORE
    local = isinstance(cache, (LocMemCache, DummyCache))
    if kind == "file" or (kind == "auto" and local):
        return FileVersionStore(settings.PAGE_CACHE_VERSION_FILE)
    return CacheVersionStore(cache)


def declare_content(*content_models):
    """Declare models whose rows public pages show: saving, deleting or re-linking one of them
    starts a new content version. Called by each content app from its ``AppConfig.ready``."""
    for model in content_models:
        _content_models.add(model._meta.label_lower)


def declared_content():
    """The declared content models, by label."""
    return [apps.get_model(label) for label in sorted(_content_models)]


def next_scheduled_change():
    """The earliest future time at which content is scheduled to appear, as Unix time."""
    now = timezone.now()
    upcoming = []
    for model in declared_content():
        for field in model._meta.concrete_fields:
            if field.name in SCHEDULE_FIELDS and isinstance(field, models.DateTimeField):
                upcoming.append(
                    model._default_manager.filter(**{f"{field.name}__gt": now}).aggregate(
                        first=models.Min(field.name)
                    )["first"]
                )
    upcoming = [moment.timestamp() for moment in upcoming if moment is not None]
    return min(upcoming, default=None)


def bump_content_version(*, reschedule=True) -> ContentVersion:
    """Start a new content version: every cached page is stale from now on."""
    store = version_store()
    if reschedule:
        next_change = next_scheduled_change()
    else:
        previous = store.read()
        next_change = previous.next_change if previous else None
    version = ContentVersion.new(next_change)
    store.write(version)
    return version


def current_version() -> ContentVersion:
    store = version_store()
    version = store.read()
    if version is None:
        # Never written, or evicted from a full cache: every page is rendered afresh.
        version = store.create(ContentVersion.new(next_scheduled_change()))
    elif version.due(time.time()):
        version = bump_content_version()
    return version


# The version the page cache is answering the current request under, for content_memo().
_request_version: ContextVar[ContentVersion | None] = ContextVar("page_version", default=None)
_memo: dict[str, tuple[str, object]] = {}


def answering_version() -> ContentVersion | None:
    """The content version the page cache is answering this request under; None when the
    request is not one the cache may answer (a signed-in reader's, or while the cache is down)."""
    return _request_version.get()


def content_memo(name: str, compute):
    """A small value derived from content (the roles' slugs), computed once per content version
    in each process: the page cache's key needs it on every request, hits included."""
    try:
        version = _request_version.get() or current_version()
    except CACHE_ERRORS:
        return compute()
    token, value = _memo.get(name, (None, None))
    if token != version.token:
        value = compute()
        _memo[name] = (version.token, value)
    return value


# --- invalidation -------------------------------------------------------------------------------


def _is_content(sender) -> bool:
    # The sender of a model signal is always a model class. Migrations send signals from
    # historical models (module "__fake__"), whose schema may be older than the models this
    # module queries.
    return sender._meta.label_lower in _content_models and sender.__module__ != "__fake__"


def _after_commit():
    try:
        bump_content_version()
    except CACHE_ERRORS as error:
        logger.warning(
            "Could not start a new content version (%s: %s); this server will start one as "
            "soon as the cache answers again",
            type(error).__name__,
            error,
        )
        OUTAGE.begin(error, edit_pending=True)


def content_changed(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    if not _is_content(sender):
        return
    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return  # m2m_changed: act once, after the links changed
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        _after_commit()
        return
    try:
        bump_content_version(reschedule=False)
    except CACHE_ERRORS as error:
        # An editor's save must not fail because the cache is down; the commit tries again.
        logger.warning(
            "Could not start a new content version (%s: %s)", type(error).__name__, error
        )
    already = any(callback is _after_commit for _, callback, _ in connection.run_on_commit)
    if not already:
        transaction.on_commit(_after_commit, using=using)


def schema_changed(sender, **kwargs):
    """After `migrate` (every deployment, and a restored backup): nothing cached before is kept."""
    if any(label.startswith(f"{sender.label}.") for label in _content_models):
        bump_content_version()


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(content_changed, dispatch_uid=f"portal.caching.{signal!r}")
    post_migrate.connect(schema_changed, dispatch_uid="portal.caching.post_migrate")


# --- the middleware -----------------------------------------------------------------------------


class CacheOutage:
    """A cache that fails is left alone for PAGE_CACHE_RETRY_SECONDS (per process).

    Pages are rendered without it meanwhile: one warning per outage rather than one traceback per
    request, and no request waits on a cache server that does not answer. An edit whose new
    content version could not be written is remembered, and the first request after the outage
    starts a new version, so a cache that kept its entries (a network cut rather than a restart)
    never serves pages from before the edit.
    """

    def __init__(self):
        self.until = 0.0
        self.edit_pending = False

    def active(self) -> bool:
        return time.monotonic() < self.until

    def begin(self, error, *, edit_pending=False):
        self.edit_pending = self.edit_pending or edit_pending
        if self.active():
            return
        seconds = settings.PAGE_CACHE_RETRY_SECONDS
        self.until = time.monotonic() + seconds
        logger.warning(
            "Page cache unavailable (%s: %s); serving pages without it for %s s",
            type(error).__name__,
            error,
            seconds,
        )

    def recover(self) -> ContentVersion | None:
        """After an outage with an edit in it: a new version (raises if the cache is still down)."""
        if not self.edit_pending:
            return None
        version = bump_content_version()
        self.edit_pending = False
        logger.warning("Page cache answers again: started a new content version")
        return version

    def reset(self):
        self.until = 0.0
        self.edit_pending = False


OUTAGE = CacheOutage()


def is_cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path_info.startswith(tuple(settings.PAGE_CACHE_SKIP_PREFIXES))
    )


def is_storable_response(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get(CACHE_CONTROL, "").lower()
    if any(directive in cache_control for directive in _UNCACHEABLE_DIRECTIVES):
        return False
    vary = {v.strip().lower() for v in response.get(VARY, "").split(",") if v.strip()}
    return vary <= _ALLOWED_VARY


_DEFAULT_PORTS = {"http": ":80", "https": ":443"}


def page_key(request, version: ContentVersion) -> str | None:
    """The page's key: see the module docstring. None when the page must not be answered from
    the cache (a query string on a page that does not declare its parameters)."""
    query = cache_query(request)
    if query is None:
        return None
    scheme, host = request.scheme, request.get_host().lower()
    if scheme in _DEFAULT_PORTS:
        host = host.removesuffix(_DEFAULT_PORTS[scheme])
    url = f"{scheme}://{host}{request.path}?{query}"
    # Django decodes the path and query as UTF-8, replacing what is not: the URL is text.
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"portal:page:{version.token}:{digest}"


class PublicPageCacheMiddleware:
    """Answer anonymous reads of public pages from the cache; see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request) or OUTAGE.active():
            return self.get_response(request)
        try:
            version = OUTAGE.recover() or current_version()
        except CACHE_ERRORS as error:
            # A cache that is down (Redis restarting, a full disk) slows pages; it must not
            # break them.
            OUTAGE.begin(error)
            return self.get_response(request)
        token = _request_version.set(version)
        try:
            return self.answer(request, version)
        finally:
            _request_version.reset(token)

    def answer(self, request, version: ContentVersion):
        cache = page_cache()
        key = page_key(request, version)
        if key is None:
            return self.get_response(request)
        try:
            entry = cache.get(key)
        except CACHE_ERRORS as error:
            OUTAGE.begin(error)
            return self.get_response(request)
        if entry is not None:
            response = page_encoding.answer(entry, request)
            response[CACHE_STATUS_HEADER] = "hit"
        else:
            response = self.get_response(request)
            if not is_storable_response(response):
                return response
            self.prepare(response, version)
            entry = page_encoding.pack(response)
            if request.method == "GET":
                try:
                    cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
                except CACHE_ERRORS as error:
                    OUTAGE.begin(error)
            response = page_encoding.answer(entry, request, response)
            response[CACHE_STATUS_HEADER] = "miss"
        answer = get_conditional_response(
            request,
            etag=response[ETAG],
            last_modified=parse_http_date_safe(response[LAST_MODIFIED]),
            response=response,
        )
        answer[CACHE_STATUS_HEADER] = response[CACHE_STATUS_HEADER]
        return answer

    @staticmethod
    def prepare(response, version: ContentVersion):
        if not response.has_header(ETAG):
            set_response_etag(response)
        if not response.has_header(LAST_MODIFIED):
            response[LAST_MODIFIED] = http_date(version.changed_at)
        if not response.has_header(CACHE_CONTROL):
            # Shared and browser caches may keep the page but must ask again each time: the
            # ETag makes that a cheap 304, and an edit is seen on the very next request.
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        # Signed-in readers (editors, trainers) may see a different page at the same URL.
        patch_vary_headers(response, ["Cookie"])
