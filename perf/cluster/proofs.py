"""What the cluster must do with every service up: one check per promise, each a Result."""

from __future__ import annotations

import html
import json
import pickle
import re
import subprocess
from dataclasses import dataclass

import psycopg

from .http import Client, direct, negotiated_protocol, through_nginx

POLICE = "/documents/police/"
VERSION_KEY = ":1:portal:content-version"  # Django's Redis key for portal.caching's version
GZIP_LIMIT = 20_000


@dataclass
class Result:
    name: str
    ok: bool
    detail: str


def cache_state(response):
    return response.header("X-Page-Cache", "none")


def check_tls_and_http2(cluster) -> Result:
    protocol = negotiated_protocol(cluster.nginx)
    plain = Client(cluster.nginx.http_port).get(POLICE)
    page = through_nginx(cluster.nginx).get(POLICE)
    hsts = page.header("Strict-Transport-Security", "")
    ok = (
        protocol == "h2"
        and plain.status == 301
        and plain.header("Location", "").startswith("https://")
        and page.status == 200
        and "max-age=31536000" in hsts
    )
    return Result(
        "TLS with HTTP/2; plain HTTP redirected",
        ok,
        f"ALPN {protocol}; http:// answers {plain.status} to {plain.header('Location')}; "
        f"https:// {page.status} with HSTS",
    )


def check_edit_reaches_other_server(cluster) -> Result:
    url = cluster.facts["section_url"]
    reader_b = direct(cluster.b.port)
    reader_b.get(url)
    before = reader_b.get(url)
    version_before = cluster.redis.client().get(VERSION_KEY)
    editor = direct(cluster.a.port)
    signed_in = editor.sign_in("editor", cluster.passwords["editor"], cluster.origin)
    sentence = "A sentence saved through server A for the cluster test."
    change = f"/admin/briefings/section/{cluster.facts['section']}/change/"
    page = editor.get(change)
    body = re.search(r'<textarea[^>]*name="body"[^>]*>\n?(.*?)</textarea>', page.text, re.S)
    saved = editor.submit(
        change,
        form_id="section_form",
        changes={"body": html.unescape(body.group(1)) + f"\n\n{sentence}"},
        button=("_save", "Save"),
        origin=cluster.origin,
    )
    version_after = cluster.redis.client().get(VERSION_KEY)
    after = reader_b.get(url)
    ok = (
        signed_in.status == 302
        and saved.status == 302
        and cache_state(before) == "hit"
        and sentence.encode() not in before.body
        and after.status == 200
        and cache_state(after) == "miss"
        and sentence.encode() in after.body
        and version_after != version_before
    )
    return Result(
        "An edit saved on A is on B's next anonymous page",
        ok,
        f"B: {cache_state(before)} before, {cache_state(after)} with the edit after; the content "
        f"version in Redis changed ({_token(version_before)} → {_token(version_after)}); admin "
        f"save answered {saved.status}",
    )


def _token(raw):
    """The version's token, from Django's pickled cache value (written by this cluster)."""
    if not raw:
        return "none"
    return json.loads(pickle.loads(raw))[0][:8] + "…"  # noqa: S301 - our own Redis


def check_pack_on_other_server(cluster) -> Result:
    trainer = direct(cluster.a.port)
    trainer.sign_in("trainer", cluster.passwords["trainer"], cluster.origin)
    title = "Cluster test session"
    created = trainer.submit(
        "/packs/new/", changes={"title": title, "visibility": "unlisted"}, origin=cluster.origin
    )
    token = re.search(r"/packs/([^/]+)/edit/", created.header("Location", ""))
    opened = direct(cluster.b.port).get(f"/packs/{token.group(1)}/") if token else None
    ok = bool(token) and opened.status == 200 and title in opened.text
    return Result(
        "A pack saved on A opens by its token on B",
        ok,
        f"created on A: {created.status}; /packs/[token]/ on B: {opened.status if opened else '-'}",
    )


def check_session_on_other_server(cluster) -> Result:
    on_a = direct(cluster.a.port)
    signed_in = on_a.sign_in("trainer", cluster.passwords["trainer"], cluster.origin)
    on_b = direct(cluster.b.port)
    on_b.cookies = dict(on_a.cookies)
    mine = on_b.get("/packs/mine/")
    anonymous = direct(cluster.b.port).get("/packs/mine/")
    ok = signed_in.status == 302 and mine.status == 200 and anonymous.status == 302
    return Result(
        "A session signed in on A works on B",
        ok,
        f"sign-in on A {signed_in.status}; /packs/mine/ on B with that cookie {mine.status}, "
        f"without it {anonymous.status}",
    )


def check_lockout_on_other_server(cluster) -> Result:
    address = "192.0.2.10"  # as nginx would forward it
    failures = [
        direct(cluster.a.port, address).sign_in("locked", "wrong password", cluster.origin).status
        for _ in range(5)
    ]
    right = direct(cluster.b.port, address).sign_in(
        "locked", cluster.passwords["locked"], cluster.origin
    )
    # The fifth failure is answered with the lock-out page already.
    ok = failures == [200, 200, 200, 200, 429] and right.status == 429
    return Result(
        "A sign-in lock-out counted on A holds on B",
        ok,
        f"5 wrong passwords on A answered {', '.join(map(str, failures))}; then the right one "
        f"on B answers {right.status}",
    )


def attempts_recorded(cluster, username):
    with psycopg.connect(cluster.postgres.url) as db:
        rows = db.execute(
            "SELECT ip_address FROM axes_accessattempt WHERE username = %s", [username]
        ).fetchall()
    # GenericIPAddressField is PostgreSQL's inet, which psycopg reads as an ipaddress object.
    return sorted({str(row[0]) for row in rows})


def check_reader_address(cluster) -> Result:
    """Through nginx from 127.0.0.5, with a forged X-Forwarded-For: axes must see 127.0.0.5."""
    nginx = cluster.nginx
    attacker = through_nginx(nginx, "127.0.0.5", {"X-Forwarded-For": "203.0.113.66"})
    for _ in range(5):
        attacker.sign_in("reader", "wrong password", cluster.origin)
    seen = attempts_recorded(cluster, "reader")
    attacker_right = through_nginx(nginx, "127.0.0.5").sign_in(
        "reader", cluster.passwords["reader"], cluster.origin
    )
    other = through_nginx(nginx, "127.0.0.6").sign_in(
        "reader", cluster.passwords["reader"], cluster.origin
    )
    ok = seen == ["127.0.0.5"] and attacker_right.status == 429 and other.status == 302
    return Result(
        "django-axes sees the reader's address, not nginx's",
        ok,
        f"failures from 127.0.0.5 (forging X-Forwarded-For 203.0.113.66) recorded as "
        f"{', '.join(map(str, seen)) or 'nothing'}; right password then: from 127.0.0.5 "
        f"{attacker_right.status}, from 127.0.0.6 {other.status} (want 429 and 302)",
    )


def check_compression(cluster) -> Result:
    client = through_nginx(cluster.nginx)
    gzipped = client.get(POLICE, {"Accept-Encoding": "gzip"})
    plain = client.get(POLICE)
    sign_in = client.get("/accounts/login/", {"Accept-Encoding": "gzip"})
    ok = (
        gzipped.header("Content-Encoding") == "gzip"
        and len(gzipped.wire) < GZIP_LIMIT
        and gzipped.body == plain.body
        and sign_in.header("Content-Encoding") is None
    )
    return Result(
        f"Police document page under {GZIP_LIMIT // 1000} KB on the wire (gzip)",
        ok,
        f"{len(gzipped.wire):,} bytes gzipped, {len(plain.wire):,} uncompressed; the sign-in page "
        f"(a CSRF token) is sent {sign_in.header('Content-Encoding') or 'uncompressed'} (BREACH)",
    )


def check_static_files(cluster) -> Result:
    client = through_nginx(cluster.nginx)
    page = client.get(POLICE)
    hashed = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', page.text)
    css = client.get(hashed.group(1), {"Accept-Encoding": "gzip"}) if hashed else None
    plain_name = client.get("/static/favicon.svg")
    ok = (
        css is not None
        and css.status == 200
        and "immutable" in css.header("Cache-Control", "")
        and "max-age=31536000" in css.header("Cache-Control", "")
        and css.header("Content-Encoding") == "gzip"
        and plain_name.header("Cache-Control") == "public, max-age=60"
    )
    return Result(
        "Hashed static files cached for a year, compressed",
        ok,
        f"{hashed.group(1) if hashed else 'no hashed CSS link'}: "
        f"{css.header('Cache-Control') if css else '-'}, "
        f"{css.header('Content-Encoding') if css else '-'}; favicon.svg: "
        f"{plain_name.header('Cache-Control')}",
    )


def answered_by_a_cache(response) -> bool:
    """The shared page cache (Redis, read by the page server) or nginx's cache of the pool's
    answers (a page cache in each process)."""
    return response.header("X-Page-Cache") == "hit" or response.header("X-Search-Cache") == "HIT"


def check_search_pool(cluster) -> Result:
    """A search the cache cannot answer is run by the pool, niced, for the reader's address;
    the page servers only hand it over, nginx keeps the answer for the next reader, and no client
    can reach the pool's location itself."""
    import os
    import secrets

    word = f"grooming {secrets.token_hex(4)}"
    reader = through_nginx(cluster.nginx, "127.0.0.7")
    before = {server.name: len(server.requests_logged()) for server in (cluster.a, cluster.b)}
    pool_before = len(cluster.search_pool.requests_logged())
    answer = reader.get(f"/search/?q={word.replace(' ', '+')}")
    again = through_nginx(cluster.nginx, "127.0.0.8").get(f"/search/?q={word.replace(' ', '+')}")
    direct_ask = reader.get("/_search/search/?q=grooming")
    handed = [
        entry
        for server in (cluster.a, cluster.b)
        for entry in server.requests_logged()[before[server.name] :]
        if entry.get("handed_to") == "search pool"
    ]
    ran = [
        entry
        for entry in cluster.search_pool.requests_logged()[pool_before:]
        if entry["path"] == "/search/"
    ]
    niceness = os.getpriority(os.PRIO_PROCESS, cluster.search_pool.process.pid)
    clients = ", ".join(entry.get("client", "?") for entry in ran) or "nobody"
    ok = (
        answer.status == 200
        and word.split()[1].encode() in answer.body
        and answer.header("X-Accel-Redirect") is None
        and again.body == answer.body
        and answered_by_a_cache(again)
        and len(handed) in (1, 2)
        and [entry.get("client") for entry in ran] == ["127.0.0.7"]
        and direct_ask.status == 404
        and niceness == 10
    )
    return Result(
        "Uncached searches run in the niced search pool",
        ok,
        f"a new search through nginx: {answer.status}, asked again by another reader: "
        f"{again.status} (X-Page-Cache {again.header('X-Page-Cache')}, X-Search-Cache "
        f"{again.header('X-Search-Cache')}); handed over by a page server {len(handed)}×; "
        f"run by the pool once, for {clients} (want 127.0.0.7), "
        f"at nice {niceness}; /_search/ asked directly: {direct_ask.status}",
    )


def check_redis_configuration(cluster) -> Result:
    config = cluster.redis.client().config_get("maxmemory*")
    ok = int(config["maxmemory"]) == 256 * 1024 * 1024 and config["maxmemory-policy"] in (
        b"allkeys-lru",
        "allkeys-lru",
    )
    policy = config["maxmemory-policy"]
    return Result(
        "Redis memory is bounded (deploy/redis/portal.conf)",
        ok,
        f"maxmemory {int(config['maxmemory']) // 2**20} MB, policy "
        f"{policy.decode() if isinstance(policy, bytes) else policy}",
    )


def check_backup(cluster) -> Result:
    from .services import BIN
    from .templates import DEPLOY, Unit

    backups = cluster.work / "backups"
    unit = Unit.read(DEPLOY / "systemd" / "portal-backup.service")
    command = unit.command(
        {
            "/srv/portal/backups": str(backups),
            "/etc/portal/portal.env": str(cluster.a.env_file),
            "/srv/portal/current": str(cluster.a.command().cwd),
        }
    )
    environment = {
        **command.environment,
        "PATH": f"{BIN}:/usr/bin:/bin",
        "PORTAL_PYTHON": str(BIN / "python"),
    }
    ran = subprocess.run(  # noqa: S603 - the shipped script
        command.argv, env=environment, cwd=command.cwd, capture_output=True, text=True, check=False
    )
    dumps = sorted(backups.glob("portal-*.pgdump")) if backups.exists() else []
    listing = ""
    if dumps:
        listing = subprocess.run(  # noqa: S603
            [str(cluster.postgres.bindir / "pg_restore"), "--list", str(dumps[-1])],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
    ok = ran.returncode == 0 and "TABLE DATA public briefings_section" in listing
    return Result(
        "The backup unit writes a dump pg_restore reads",
        ok,
        f"deploy/backup.sh exit {ran.returncode}; "
        + (f"{dumps[-1].name}, {dumps[-1].stat().st_size:,} bytes" if dumps else ran.stderr[-200:]),
    )


CHECKS = [
    check_tls_and_http2,
    check_edit_reaches_other_server,
    check_pack_on_other_server,
    check_session_on_other_server,
    check_lockout_on_other_server,
    check_reader_address,
    check_compression,
    check_static_files,
    check_search_pool,
    check_redis_configuration,
    check_backup,
]


def run_checks(cluster) -> list[Result]:
    results = []
    for check in CHECKS:
        try:
            results.append(check(cluster))
        except Exception as error:  # noqa: BLE001 - a failed check is a row, not the end
            name = check.__name__.removeprefix("check_").replace("_", " ").capitalize()
            results.append(Result(name, False, f"{type(error).__name__}: {error}"))
    return results
