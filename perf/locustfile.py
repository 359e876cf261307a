"""Readers for `make load`: pages by role, documents, sections, themes and searches.

Each simulated reader pauses briefly between pages, as someone skimming guidance does. Requests
are grouped by kind in the statistics (``name=``), so the report shows each kind's latency.
"""

import itertools
import os
import random
import re
import ssl
import urllib.request

from geventhttpclient.connectionpool import ConnectionPool
from locust import FastHttpUser, between, events, task

PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
# Seconds each reader pauses between pages: "0.1,0.5" by default, far faster than anyone reads,
# to load the server hard; `make cluster-test` sets LOAD_PAUSE_SECONDS to reading speed.
PAUSE = tuple(float(s) for s in os.environ.get("LOAD_PAUSE_SECONDS", "0.1,0.5").split(","))
ROLES = ["police", "social-workers", "multi-agency", "health-commissioners"]
# Practitioners' questions and the query language: words, phrases, exclusion, OR, acronyms.
SEARCHES = [
    "what if the young person will not talk to us",
    "grooming",
    "disclosure",
    "missing from home",
    '"child sexual exploitation"',
    "boys and young men",
    "CAMHS",
    "online -gangs",
    "trafficking OR gangs",
    "perpetrators disruption",
    "risk assessment tools",
    "health services",
    "multi-agency",
    "consent",
    "trust",
]
URLS = {"documents": [], "sections": [], "themes": []}


def give_each_reader_an_address(count: int) -> None:
    """Each simulated reader connects from an address of its own (127.0.1.x, …: all of
    127.0.0.0/8 is loopback on Linux), as real readers do. Otherwise the portal sees a single
    client and its per-client limits (portal/ratelimit.py) count the whole crowd as one reader.
    Every reader has its own connection pool, so binding the pool's sockets binds the reader."""
    addresses = itertools.cycle(f"127.0.{1 + n // 250}.{1 + n % 250}" for n in range(count))
    create = ConnectionPool._create_tcp_socket

    def bound(pool, family, socktype, protocol):
        sock = create(pool, family, socktype, protocol)
        if not hasattr(pool, "source_address"):
            pool.source_address = next(addresses)
        sock.bind((pool.source_address, 0))
        return sock

    ConnectionPool._create_tcp_socket = bound


if os.environ.get("LOAD_SOURCE_ADDRESSES"):
    give_each_reader_an_address(int(os.environ["LOAD_SOURCE_ADDRESSES"]))


@events.test_start.add_listener
def load_site_map(environment, **kwargs):
    """Learn the real documents, sections and themes once, from sitemap.xml and /themes/."""
    host = environment.host

    # `make cluster-test` goes through nginx with a throw-away certificate: trust that one.
    ca_file = os.environ.get("LOAD_CA_FILE")
    context = ssl.create_default_context(cafile=ca_file) if ca_file else None

    def fetch(path):
        request = urllib.request.Request(host + path, headers=PROXY_HEADERS)  # noqa: S310
        with urllib.request.urlopen(request, timeout=10, context=context) as response:  # noqa: S310
            return response.read().decode()

    for loc in re.findall(r"<loc>https?://[^/]+(/[^<]*)</loc>", fetch("/sitemap.xml")):
        kind = "sections" if loc.count("/") > 3 else "documents"
        if loc.startswith("/documents/"):
            URLS[kind].append(loc)
    URLS["themes"] = sorted(set(re.findall(r'href="(/themes/[a-z0-9-]+/)', fetch("/themes/"))))
    if not all(URLS.values()):
        raise RuntimeError(f"could not learn the site's pages: {URLS}")


def with_role(params=None):
    params = dict(params or {})
    if random.random() < 0.5:  # noqa: S311 - load mix, not security
        params["role"] = random.choice(ROLES)  # noqa: S311
    return params


class Reader(FastHttpUser):
    wait_time = between(*PAUSE)
    default_headers = PROXY_HEADERS

    def page(self, url, name, params=None):
        self.client.get(url, params=with_role(params), name=name)

    @task(2)
    def home(self):
        self.page("/", "/")

    @task(1)
    def role_page(self):
        self.page(f"/roles/{random.choice(ROLES)}/", "/roles/[role]/")  # noqa: S311

    @task(1)
    def index_pages(self):
        url = random.choice(["/documents/", "/themes/", "/glossary/", "/references/"])  # noqa: S311
        self.page(url, url)

    @task(3)
    def document(self):
        self.page(random.choice(URLS["documents"]), "/documents/[document]/")  # noqa: S311

    @task(6)
    def section(self):
        self.page(random.choice(URLS["sections"]), "/documents/[document]/[section]/")  # noqa: S311

    @task(2)
    def theme(self):
        self.page(random.choice(URLS["themes"]), "/themes/[theme]/")  # noqa: S311

    @task(4)
    def search(self):
        self.page("/search/", "/search/?q=[question]", {"q": random.choice(SEARCHES)})  # noqa: S311
