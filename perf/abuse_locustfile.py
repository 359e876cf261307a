"""Clients for `make abuse-test`: ordinary readers, and strangers who make the portal work.

Every client has its own address, sent as the last ``X-Forwarded-For`` entry, as a proxy in
front of nginx would send it (nginx appends its own; the servers run with
``AXES_PROXY_COUNT=2``):

- ``OrdinaryReader``: the readers of `make load` (perf/locustfile.py), pages and searches with a
  short pause between them;
- ``JunkClient``: real pages with a unique junk query string on every request (tracking tags,
  random parameters, invented roles), to make the server render and store each one;
- ``UniqueSearcher``: a search never made before on every request, a misspelt word in each, so
  the spelling suggestion runs too.

The abusers send at a fixed rate (``ABUSE_JUNK_RATE``, 5, and ``ABUSE_SEARCH_RATE``, 2, requests
per second each; a searching address has ``ABUSE_SEARCH_CONNECTIONS``, 3, of them) and stop after
``ABUSE_MAX_REQUESTS`` requests each. Every response's kind, status, latency and cache state
(``X-Page-Cache``, or nginx's ``X-Search-Cache``) is written, as JSON lines, to ``ABUSE_RECORD``.
"""

import itertools
import json
import os
import random
import secrets

from locust import FastHttpUser, between, constant_throughput, events, task
from locust.exception import StopUser

from perf.locustfile import PROXY_HEADERS, ROLES, URLS, Reader

JUNK_RATE = float(os.environ.get("ABUSE_JUNK_RATE", 5))
SEARCH_RATE = float(os.environ.get("ABUSE_SEARCH_RATE", 2))
# Each searching address keeps several connections busy, as a script does, so that its rate is
# not bounded by how long each search takes.
SEARCH_CONNECTIONS = int(os.environ.get("ABUSE_SEARCH_CONNECTIONS", 3))
MAX_REQUESTS = int(os.environ.get("ABUSE_MAX_REQUESTS", 1000))
WORDS = [
    "young", "people", "police", "risk", "trust", "grooming", "health", "school", "missing",
    "online", "consent", "parents", "boys", "gangs", "support", "evidence", "abuse", "services",
]  # fmt: skip
_addresses = {kind: itertools.count(1) for kind in ("reader", "junk", "search")}
_record = open(os.environ["ABUSE_RECORD"], "a", encoding="utf-8")  # noqa: SIM115 - whole run


@events.request.add_listener
def record(request_type, name, response_time, response, exception, **kwargs):
    kind = name.split(" ", 1)[0]
    status = getattr(response, "status_code", 0) or 0
    cache = "-"
    if status:
        # A search answered from nginx's cache of the pool's answers carries the pool's own
        # X-Page-Cache ("miss", when it ran it) and nginx's X-Search-Cache: HIT.
        nginx_hit = response.headers.get("X-Search-Cache") == "HIT"
        cache = "hit" if nginx_hit else response.headers.get("X-Page-Cache", "-")
    _record.write(json.dumps([kind, status, round(response_time, 2), cache]) + "\n")


@events.quitting.add_listener
def close_record(**kwargs):
    _record.flush()


def address(kind, per_address=1):
    """Readers in 10.1.0.0/16, junk clients in 10.2.0.0/16, searchers in 10.3.0.0/16."""
    number = (next(_addresses[kind]) - 1) // per_address + 1
    prefix = {"reader": 1, "junk": 2, "search": 3}[kind]
    return f"10.{prefix}.{number // 256}.{number % 256}"


class OrdinaryReader(Reader):
    fixed_count = int(os.environ.get("ABUSE_READERS", 20))
    wait_time = between(0.1, 0.5)

    def on_start(self):
        self.headers = {**PROXY_HEADERS, "X-Forwarded-For": address("reader")}

    def page(self, url, name, params=None):
        params = dict(params or {})
        if random.random() < 0.5:  # noqa: S311 - load mix, not security
            params["role"] = random.choice(ROLES)  # noqa: S311
        self.client.get(url, params=params, name=f"reader {name}", headers=self.headers)


class Abuser(FastHttpUser):
    abstract = True
    kind = ""
    per_address = 1

    def on_start(self):
        self.headers = {**PROXY_HEADERS, "X-Forwarded-For": address(self.kind, self.per_address)}
        self.sent = 0

    def send(self, url, params):
        if self.sent >= MAX_REQUESTS:
            raise StopUser()
        self.sent += 1
        with self.client.get(
            url, params=params, name=f"{self.kind} {url}", headers=self.headers, catch_response=True
        ) as response:
            response.success()  # a 429 is the expected answer; statuses are counted apart


class JunkClient(Abuser):
    fixed_count = int(os.environ.get("ABUSE_JUNK_CLIENTS", 10))
    wait_time = constant_throughput(JUNK_RATE)
    kind = "junk"

    @task
    def junk(self):
        url = random.choice(  # noqa: S311
            ["/", "/documents/", "/themes/", *URLS["documents"], *URLS["sections"][:10]]
        )
        token = secrets.token_hex(6)
        params = random.choice(  # noqa: S311
            [
                {"utm_source": token, "utm_medium": "email"},
                {f"x{token}": token},
                {"role": f"invented-{token}"},
                {"role": random.choice(ROLES), "fbclid": token},  # noqa: S311
            ]
        )
        self.send(url, params)


class UniqueSearcher(Abuser):
    fixed_count = int(os.environ.get("ABUSE_SEARCH_CLIENTS", 5)) * SEARCH_CONNECTIONS
    wait_time = constant_throughput(SEARCH_RATE)
    kind = "search"
    per_address = SEARCH_CONNECTIONS

    @task
    def unique_search(self):
        words = random.sample(WORDS, 2)
        misspelt = random.choice(WORDS)[:-1] + secrets.choice("aeiou")  # noqa: S311
        self.send("/search/", {"q": " ".join([*words, misspelt, secrets.token_hex(3)])})
