"""The rate limiter (portal/ratelimit.py): a sliding window per client, counted atomically in the
cache, open when the cache is not there."""

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from portal import gunicorn_conf, ratelimit
from portal.ratelimit import (
    Gate,
    client_bucket,
    gate,
    hit,
    rate_limited,
    seconds_until_allowed,
)

READER = "198.51.100.20"
START = 1_800_000_000.0  # the start of a window for every period used below


@pytest.fixture
def limit(settings):
    """Set the "search" limit for one test: limit(count, seconds)."""

    def set_limit(count, seconds):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (count, seconds)}

    return set_limit


def allowed(times, client=READER, now=START):
    return [hit("search", client, now=now).allowed for _ in range(times)]


def test_count_requests_are_allowed_and_the_next_is_refused_with_a_time_to_wait(limit):
    limit(5, 60)
    assert allowed(5) == [True] * 5
    refused = hit("search", READER, now=START + 10)
    assert not refused.allowed
    assert 0 < refused.retry_after <= 2 * 60


def test_clients_are_counted_apart(limit):
    limit(2, 60)
    allowed(3)
    assert allowed(1, client="203.0.113.5") == [True]


def test_an_ipv6_client_is_its_slash_64(limit):
    limit(2, 60)
    assert allowed(2, client="2001:db8:1:2::1") == [True, True]
    assert allowed(1, client="2001:db8:1:2:ffff::9") == [False]
    assert allowed(1, client="2001:db8:1:3::1") == [True]
    assert client_bucket("::ffff:192.0.2.1") != client_bucket("192.0.2.2")
    assert client_bucket(None) == client_bucket("not an address") == "unknown"


def test_the_window_slides_rather_than_resetting_at_its_edge(limit):
    limit(10, 60)
    assert allowed(10, now=START + 59) == [True] * 10
    # Just into the next window nearly all of the last one still counts...
    assert allowed(1, now=START + 61) == [False]
    # ...and by its middle about half does.
    assert allowed(6, now=START + 90) == [True] * 5 + [False]


def test_waiting_as_long_as_the_refusal_says_is_enough(limit):
    limit(3, 60)
    allowed(3, now=START + 20)
    refused = hit("search", READER, now=START + 21)
    assert not refused.allowed
    assert hit("search", READER, now=START + 21 + refused.retry_after - 1).allowed is False
    assert hit("search", READER, now=START + 21 + refused.retry_after).allowed is True


def test_refused_requests_are_not_counted(limit):
    """A client that keeps asking still gets its share as the window slides."""
    limit(10, 60)
    assert allowed(10, now=START + 30) == [True] * 10
    assert allowed(50, now=START + 31) == [False] * 50
    # Halfway through the next window half of the ten have slid out.
    assert allowed(7, now=START + 90) == [True] * 5 + [False] * 2


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    count=st.integers(1, 50),
    previous=st.integers(0, 120),
    current=st.integers(0, 120),
    elapsed=st.floats(0, 59.999),
)
def test_the_wait_is_exactly_when_one_more_request_fits(count, previous, current, elapsed):
    period = 60

    def fits(moment):  # moment: seconds from the start of the current window
        if moment < period:
            return previous * (1 - moment / period) + current + 1 <= count + 1e-9
        return current * (1 - (moment - period) / period) + 1 <= count + 1e-9

    wait = seconds_until_allowed(count, previous, current, period, elapsed)
    assert 0 <= wait <= 2 * period
    assert fits(elapsed + wait)
    if wait > 0.01:
        assert not fits(elapsed + wait - 0.01)


def test_off_means_no_limit(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": None}
    assert all(allowed(500))


def test_a_cache_that_is_down_lets_requests_through(limit, monkeypatch, caplog):
    limit(1, 60)

    def down(*args, **kwargs):
        raise ConnectionRefusedError("cache server unreachable")

    monkeypatch.setattr(caches["default"], "add", down)
    assert allowed(3) == [True] * 3
    assert "Rate limit search not applied" in caplog.text


def test_an_evicted_counter_starts_again_from_zero(limit):
    limit(2, 60)
    allowed(3)
    caches["default"].clear()
    assert allowed(1) == [True]


def test_threads_of_one_process_never_overshoot(limit):
    limit(40, 3600)
    results = []

    def client():
        results.extend(allowed(25, now=START + 5))

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 40


@pytest.mark.usefixtures("redis_cache")
def test_with_redis_counters_expire_on_their_own(limit, redis_cache):
    limit(5, 60)
    allowed(2)
    keys = [key for key in redis_cache.scan_iter() if b"portal:rate" in key]
    assert len(keys) == 1
    assert 0 < redis_cache.ttl(keys[0]) <= 120


COUNT_IN_A_PROCESS = """
import sys, django
from django.conf import settings
settings.CACHES = {"default": {
    "BACKEND": "portal.redis_cache.PortalRedisCache", "LOCATION": sys.argv[1]}}
settings.RATE_LIMITS = {"search": (60, 3600)}
django.setup()
from portal import gunicorn_conf
from portal.ratelimit import hit
print(sum(hit("search", "198.51.100.20", now=float(sys.argv[2])).allowed for _ in range(40)))
"""


def test_with_redis_several_processes_share_one_exact_count(redis_cache, redis_url):
    """Four processes, 40 requests each from one client, a limit of 60: exactly 60 go through."""
    environ = {"DJANGO_SETTINGS_MODULE": "portal.settings.test", "PATH": "/usr/bin:/bin"}
    processes = [
        subprocess.Popen(  # noqa: S603 - this interpreter, a fixed script
            [sys.executable, "-c", COUNT_IN_A_PROCESS, redis_url, str(START + 5)],
            cwd=Path(settings.BASE_DIR),
            env=environ,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    counts = [int(process.communicate(timeout=60)[0]) for process in processes]
    assert sum(counts) == 60
    assert all(process.returncode == 0 for process in processes)


@pytest.mark.parametrize("queue", [1, 2])
def test_a_process_works_on_a_bounded_number_at_once_and_refuses_more_as_busy(settings, rf, queue):
    """Whoever sends them: one search at work and ``queue`` waiting for their turn; one more is
    refused at once as busy (and not counted against its client); the waiting ones go on when
    the first finishes."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (2 + queue, 3600)}
    settings.CONCURRENCY_LIMITS = {**settings.CONCURRENCY_LIMITS, "search": 1}
    settings.CONCURRENCY_QUEUE = queue
    finish = threading.Event()

    @rate_limited("search")
    def slow_search(request):
        finish.wait(timeout=10)
        return HttpResponse("results")

    def request_from(address):
        return rf.get("/search/", {"q": "grooming"}, REMOTE_ADDR=address)

    answers = []
    threads = [
        threading.Thread(target=lambda: answers.append(slow_search(request_from(READER))))
        for _ in range(1 + queue)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while gate("search").in_use() < 1 + queue and time.monotonic() < deadline:
        time.sleep(0.01)

    busy = slow_search(request_from("203.0.113.77"))
    assert busy.status_code == 429
    assert busy["Retry-After"] == "5"
    assert "answering a lot of searches at the moment" in busy.content.decode()

    finish.set()
    for thread in threads:
        thread.join()
    assert [answer.status_code for answer in answers] == [200] * (1 + queue)
    # The busy refusal was not counted: the reader has one search left.
    assert slow_search(request_from(READER)).status_code == 200
    assert slow_search(request_from(READER)).status_code == 429


def test_two_readers_searching_at_the_same_moment_both_get_their_results(settings, rf):
    settings.CONCURRENCY_LIMITS = {**settings.CONCURRENCY_LIMITS, "search": 1}
    both_in = threading.Barrier(2)

    @rate_limited("search")
    def search(request):
        time.sleep(0.05)
        return HttpResponse("results")

    def reader(answers):
        both_in.wait()
        answers.append(search(rf.get("/search/", {"q": "consent"})).status_code)

    answers = []
    threads = [threading.Thread(target=reader, args=(answers,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200, 200]


def test_production_leaves_threads_for_the_pages_the_cache_answers():
    most = max(settings.PRODUCTION_CONCURRENCY_LIMITS.values())
    assert most > 0
    # Working and waiting together, one kind of request never holds every thread.
    assert most + settings.CONCURRENCY_QUEUE < gunicorn_conf.threads


class Clock:
    """The gate's clock, which waiting advances instead of sleeping."""

    def __init__(self):
        self.now = 1000.0
        self.waited = 0.0

    def __call__(self):
        return self.now

    def wait(self, seconds):
        self.now += seconds
        self.waited += seconds


def test_a_gates_share_lets_a_burst_through_then_holds_the_next_until_its_credit_is_back():
    clock = Clock()
    turn = Gate(1, 0, share=0.1, burst=0.5, clock=clock, wait=clock.wait)
    assert turn.acquire()
    turn.release(0.4)
    assert turn.acquire()
    assert clock.waited == 0  # 0.1 s of credit was left: it started at once
    turn.release(0.25)  # 0.15 s over the credit: 1.5 s to earn it back at a tenth
    assert turn.acquire()
    assert clock.waited == pytest.approx(1.5)
    turn.release(0.0)


def test_a_gates_share_refuses_as_busy_rather_than_wait_past_the_busy_wait():
    clock = Clock()
    turn = Gate(1, 0, share=0.1, burst=0.5, clock=clock, wait=clock.wait)
    assert turn.acquire()
    turn.release(1.5)  # a second over: ten seconds to earn back, more than a request may wait
    assert not turn.acquire()
    assert clock.waited == pytest.approx(ratelimit.BUSY_WAIT_SECONDS)
    assert turn.in_use() == 0
    clock.now += 10
    assert turn.acquire()


def test_a_gates_credit_refills_no_further_than_its_burst():
    clock = Clock()
    turn = Gate(1, 0, share=0.1, burst=0.5, clock=clock, wait=clock.wait)
    clock.now += 3600  # an idle hour does not bank an hour of work
    assert turn.acquire()
    turn.release(0.6)
    assert turn.acquire()
    assert clock.waited == pytest.approx(1.0)


def test_without_a_share_a_gate_counts_only_who_is_at_work():
    clock = Clock()
    turn = Gate(1, 0, clock=clock, wait=clock.wait)
    assert turn.acquire()
    turn.release(100.0)
    assert turn.acquire()
    assert clock.waited == 0


def test_the_cpu_time_of_a_limited_view_is_spent_from_its_processs_share(settings, rf, monkeypatch):
    """A search that takes a tenth of a second of CPU, with a share that earns that back in
    100 s: the next search is refused as busy, not queued behind it for minutes."""
    settings.CONCURRENCY_LIMITS = {**settings.CONCURRENCY_LIMITS, "search": 1}
    settings.CONCURRENCY_QUEUE = 0
    settings.CPU_SHARES = {"search": 0.001}
    settings.CPU_SHARE_BURST = 0.05
    monkeypatch.setattr(ratelimit, "BUSY_WAIT_SECONDS", 0.05)

    @rate_limited("search")
    def costly_search(request):
        started = time.thread_time()
        while time.thread_time() - started < 0.1:
            pass
        return HttpResponse("results")

    request = rf.get("/search/", {"q": "grooming"}, REMOTE_ADDR=READER)
    assert costly_search(request).status_code == 200
    refused = costly_search(request)
    assert refused.status_code == 429
    assert "answering a lot of searches at the moment" in refused.content.decode()
