"""Per-client rate limits for the requests whose work a stranger could repeat without bound.

Each limit (``settings.RATE_LIMITS``) allows COUNT requests per PERIOD seconds from one client
(``portal.client.client_address``; an IPv6 client is its /64 network, which one household or
server usually holds whole). The count is a sliding window: this period's requests plus the last
period's, weighted by how much of it still lies inside the window. That smooths the burst a fixed
window allows at its edge, and needs only two counters per client.

The counters live in the cache (``RATE_LIMIT_CACHE_ALIAS``), incremented atomically, so every
process that shares the cache shares the count: with Redis, every process on every machine; with
the local-memory cache, each process counts on its own (a client may then reach the limit once
per process). A cache that is down, or that evicted a counter, lets the request through: the
limits protect the server, and must never be the reason a reader cannot read.

Each limit may also bound how many such requests one process works on at once
(``settings.CONCURRENCY_LIMITS``), whoever sends them: a crowd of clients, each within its own
limit, still cannot take every thread.

A refused request gets a 429 page that says when to try again, with ``Retry-After``.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import math
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from redis.exceptions import RedisError

from .client import client_address

logger = logging.getLogger(__name__)

KEY_PREFIX = "portal:rate"
# What each limit counts, for the 429 page ("You have made a lot of ... in a short time").
WHAT = {"search": "searches", "sign-in": "sign-in attempts", "preview": "previews"}
CACHE_ERRORS = (OSError, RedisError)
# How long a request may wait for its turn behind others like it, and what one refused because
# the server is busy with them is told to wait.
BUSY_WAIT_SECONDS = 2
BUSY_RETRY_SECONDS = 5


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int  # whole seconds until a request would be allowed again (0 when allowed)
    count: float  # the sliding-window count, this request included
    counted_under: str | None = None  # the counter this request was added to, if it was


def client_bucket(address: str | None) -> str:
    """The client a limit counts: its address, or its /64 network for IPv6."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def seconds_until_allowed(count, previous, current, period, elapsed) -> float:
    """How long until one more request fits, if none are made meanwhile.

    ``previous`` and ``current`` are the two windows' counts, ``elapsed`` how far into the current
    window we are; a request is allowed while previous * (1 - t / period) + current + 1 <= count.
    """
    room = count - 1
    if current <= room:
        if previous <= 0:
            return 0.0
        # Later in this window, when enough of the previous one has slid out.
        moment = period * (1 - (room - current) / previous)
        if moment < period:
            return max(0.0, moment - elapsed)
    # In the next window, where this window's count is the one sliding out.
    return (period - elapsed) + (period * max(0.0, 1 - room / current) if current else 0.0)


def _uncount_generic(cache, key):
    with contextlib.suppress(ValueError):  # already gone
        cache.decr(key)


def _uncount_redis(cache, key):
    key = cache.make_and_validate_key(key)
    cache._cache.get_client(key, write=True).decr(key)


def _count_generic(cache, key, previous_key, timeout):
    cache.add(key, 0, timeout)
    try:
        current = cache.incr(key)
    except ValueError:  # expired or evicted between add() and incr()
        cache.add(key, 1, timeout)
        current = 1
    return current, cache.get(previous_key) or 0


def _count_redis(cache, key, previous_key, timeout):
    """INCR and EXPIRE in one MULTI transaction, so a counter can never be left without a
    lifetime, and the previous window read in the same round trip."""
    key = cache.make_and_validate_key(key)
    previous_key = cache.make_and_validate_key(previous_key)
    client = cache._cache.get_client(key, write=True)
    current, _, previous = (
        client.pipeline(transaction=True).incr(key).expire(key, timeout).get(previous_key).execute()
    )
    return current, int(previous or 0)


def hit(name: str, client: str | None, *, now: float | None = None) -> Decision:
    """Count one request by ``client`` against the limit ``name`` and say whether it may go on."""
    rate = settings.RATE_LIMITS.get(name)
    if rate is None:
        return Decision(True, 0, 0.0)
    count, period = rate
    now = time.time() if now is None else now
    window, elapsed = divmod(now, period)
    bucket = client_bucket(client)
    key = f"{KEY_PREFIX}:{name}:{bucket}:{int(window)}"
    previous_key = f"{KEY_PREFIX}:{name}:{bucket}:{int(window) - 1}"
    cache = caches[settings.RATE_LIMIT_CACHE_ALIAS]
    redis = isinstance(cache, RedisCache)
    try:
        # Counted first, atomically, so concurrent requests each see their own place in line.
        count_one = _count_redis if redis else _count_generic
        current, previous = count_one(cache, key, previous_key, 2 * period)
        estimate = previous * (1 - elapsed / period) + current
        if estimate <= count:
            return Decision(True, 0, estimate, counted_under=key)
        # A refused request is not counted: a client that keeps asking still gets COUNT
        # requests per PERIOD, and a reader who reloads the 429 page does not push back the time
        # it gave them.
        _uncount(cache, key)
    except CACHE_ERRORS:
        logger.exception("Rate limit %s not applied: the cache is unavailable", name)
        return Decision(True, 0, 0.0)
    wait = seconds_until_allowed(count, previous, current - 1, period, elapsed)
    return Decision(False, max(1, math.ceil(wait)), estimate)


def _uncount(cache, key):
    (_uncount_redis if isinstance(cache, RedisCache) else _uncount_generic)(cache, key)


def give_back(decision: Decision) -> None:
    """Take back a request that was counted but not served (refused because the server was
    busy), so that it does not use up its client's allowance."""
    if decision.counted_under is None:
        return
    with contextlib.suppress(*CACHE_ERRORS):
        _uncount(caches[settings.RATE_LIMIT_CACHE_ALIAS], decision.counted_under)


def too_many_requests(request, name: str, retry_after: int, *, busy=False, as_json=False):
    """The 429 answer: when to try again, in words and in ``Retry-After``. ``busy``: refused
    because the server is doing as many of these at once as it allows, not because of this
    client."""
    again = timezone.localtime() + timedelta(seconds=retry_after)
    minutes = math.ceil(retry_after / 60)
    wait = (
        f"{retry_after} second{'s' if retry_after != 1 else ''}"
        if retry_after < 120
        else f"{minutes} minutes"
    )
    what = WHAT.get(name, "requests")
    if as_json:
        cause = "at the moment" if busy else "in a short time"
        message = f"Too many {what} {cause}: please try again in {wait}."
        response = JsonResponse({"error": message, "retry_after": retry_after}, status=429)
    else:
        context = {
            "what": what,
            "wait": wait,
            "again": again,
            "show_clock": retry_after >= 120,
            "busy": busy,
        }
        response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    response.rate_limit = name  # for the request log
    return response


class Gate:
    """At most ``size`` requests at work in this process, and ``queue`` more waiting (up to
    ``BUSY_WAIT_SECONDS``) for their turn; one more is refused at once. Readers who search at
    the same moment wait a little for each other; a crowd cannot take more than ``size + queue``
    threads from the pages the cache answers.

    With a ``share``, the work also takes at most that share of the process's CPU time over
    any stretch longer than ``burst`` seconds of it: each request's CPU time is spent from a
    credit that refills at ``share`` seconds a second, up to ``burst``, and a request waits
    (within its queue place) while the credit is spent. A bound on how many run at once does
    not bound the time they take: with a client always waiting, one is always running, and
    every page the process answers meanwhile waits for it to let go of the interpreter (the
    GIL)."""

    def __init__(self, size, queue, share=None, burst=1.0, clock=time.monotonic, wait=None):
        self.size = size
        self.queue = queue
        self.share = share
        self.burst = burst
        self.clock = clock
        self.credit = burst
        self.refilled = clock()
        self.working = 0
        self.waiting = 0
        self.turn = threading.Condition()
        # How a request waits for its turn (the tests' clock advances instead).
        self.wait = wait or self.turn.wait

    def _refill(self) -> None:
        now = self.clock()
        if self.share is not None:
            self.credit = min(self.burst, self.credit + (now - self.refilled) * self.share)
        self.refilled = now

    def _until_allowed(self) -> float:
        """Seconds until one more may start: 0 now, math.inf until one at work finishes."""
        if self.working >= self.size:
            return math.inf
        if self.share is None:
            return 0.0
        self._refill()
        return 0.0 if self.credit > 0 else -self.credit / self.share

    def acquire(self) -> bool:
        with self.turn:
            if self.working + self.waiting >= self.size + self.queue:
                return False
            self.waiting += 1
            try:
                deadline = self.clock() + BUSY_WAIT_SECONDS
                while (wait := self._until_allowed()) > 0:
                    left = deadline - self.clock()
                    if left <= 0:
                        return False
                    self.wait(min(wait, left))
            finally:
                self.waiting -= 1
            self.working += 1
            return True

    def release(self, cpu_seconds: float = 0.0) -> None:
        with self.turn:
            self.working -= 1
            if self.share is not None:
                self._refill()
                self.credit -= cpu_seconds
            self.turn.notify()

    def in_use(self) -> int:
        with self.turn:
            return self.working + self.waiting


_gates: dict[tuple, Gate] = {}
_gates_lock = threading.Lock()


def gate(name: str) -> Gate | None:
    """This process's gate for ``name`` (``settings.CONCURRENCY_LIMITS``, with its share of
    ``settings.CPU_SHARES``), or None."""
    size = settings.CONCURRENCY_LIMITS.get(name)
    if not size:
        return None
    queue = settings.CONCURRENCY_QUEUE
    share = settings.CPU_SHARES.get(name)
    burst = settings.CPU_SHARE_BURST
    with _gates_lock:
        return _gates.setdefault((name, size, queue, share, burst), Gate(size, queue, share, burst))


def rate_limited(name: str, *, methods=None, when=None, as_json=False):
    """Count each call of the view against the limit ``name``: only for ``methods`` if given,
    and only requests for which ``when(request)`` is true if given.

    On a page the cache serves, only the calls the cache could not answer reach the view, so
    only those are counted.

    ``CONCURRENCY_LIMITS[name]`` also bounds how many such requests each process works on at
    once (``Gate``): beyond its queue, one more is refused as "busy" (and not counted against its
    client), so however many clients share the work, threads stay free for the pages the cache
    answers.
    """

    def decorate(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            counted = methods is None or request.method in methods
            if not counted or (when is not None and not when(request)):
                return view(request, *args, **kwargs)
            # The client's own limit first: a client over it never takes a place in the queue.
            decision = hit(name, client_address(request))
            if not decision.allowed:
                return too_many_requests(request, name, decision.retry_after, as_json=as_json)
            turn = gate(name)
            if turn is not None and not turn.acquire():
                give_back(decision)
                return too_many_requests(
                    request, name, BUSY_RETRY_SECONDS, busy=True, as_json=as_json
                )
            started = time.thread_time()
            try:
                return view(request, *args, **kwargs)
            finally:
                if turn is not None:
                    turn.release(time.thread_time() - started)

        return limited

    return decorate
