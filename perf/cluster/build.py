"""Bring the cluster up: PostgreSQL, Redis, two servers, nginx; the content and some users."""

from __future__ import annotations

import json
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .services import (
    IS_ROOT,
    ROOT,
    AppServer,
    Nginx,
    PostgreSQL,
    Processes,
    Redis,
    say,
)

KEPT_LOGS = ROOT / "var" / "cluster"
USERS_SCRIPT = """
import json
from django.contrib.auth.models import Group, User
from briefings.models import Section
from briefings.packs.permissions import TRAINERS_GROUP

users = json.loads({users!r})
User.objects.create_superuser("editor", "editor@example.org", users["editor"])
trainer = User.objects.create_user("trainer", "trainer@example.org", users["trainer"])
trainer.groups.add(Group.objects.get(name=TRAINERS_GROUP))
for name in ("locked", "reader"):
    User.objects.create_user(name, f"{{name}}@example.org", users[name])
section = Section.objects.select_related("briefing").get(
    briefing__slug="police", slug="investigating-cse"
)
print(json.dumps({{"section": section.pk, "section_url": section.get_absolute_url()}}))
"""


@dataclass
class Cluster:
    work: Path
    processes: Processes
    postgres: PostgreSQL
    redis: Redis
    a: AppServer
    b: AppServer
    nginx: Nginx
    search_pool: AppServer
    passwords: dict[str, str] = field(default_factory=dict)
    facts: dict = field(default_factory=dict)

    @property
    def origin(self):
        return f"https://localhost:{self.nginx.https_port}"

    def keep_logs(self):
        """The logs outlive the throw-away directory, for reading after a failure."""
        shutil.rmtree(KEPT_LOGS, ignore_errors=True)
        shutil.copytree(self.work / "logs", KEPT_LOGS)


def settings_for(cluster_parts, https_port):
    postgres, redis = cluster_parts
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
        # nginx passes the host without the port; a browser's Origin carries it.
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://localhost:{https_port}",
        "DATABASE_URL": postgres.url,
        "CACHE_URL": redis.url,
    }


def build(processes: Processes) -> Cluster:
    """Everything started is registered with `processes`, which stops it even if this fails."""
    work = Path(tempfile.mkdtemp(prefix="portal-cluster-"))
    # nginx's workers (www-data) read the static files and PostgreSQL (postgres) its directory.
    work.chmod(0o755)
    (work / "logs").mkdir()
    processes.on_exit("the work directory", lambda: shutil.rmtree(work, ignore_errors=True))
    postgres, redis = PostgreSQL(work, processes), Redis(work, processes)
    a, b = AppServer("A", work, processes), AppServer("B", work, processes)
    pool = AppServer("S", work, processes, unit="portal-search@.service")
    nginx = Nginx(work, processes)
    cluster = Cluster(work, processes, postgres, redis, a, b, nginx, pool)
    processes.on_exit("the logs", cluster.keep_logs)
    say(f"Work directory {work}{' (as root: postgres and www-data own their parts)' * IS_ROOT}")

    say(f"PostgreSQL {postgres.bindir.parent.name}: initdb, port {postgres.port} ...")
    postgres.create()
    redis.configure()
    redis.start()
    say(f"Redis on port {redis.port} with deploy/redis/portal.conf")
    settings = settings_for((postgres, redis), nginx.https_port)
    for server in (a, b, pool):
        server.configure(settings)
    say("migrate, import_briefings, collectstatic (server A's environment) ...")
    a.manage("migrate", "--noinput", "-v", "0")
    a.manage("import_briefings", "-v", "0")
    for server in (a, b, pool):
        server.manage("collectstatic", "--noinput", "-v", "0")
    cluster.passwords = {
        name: secrets.token_urlsafe(12) for name in ("editor", "trainer", "locked", "reader")
    }
    script = USERS_SCRIPT.format(users=json.dumps(cluster.passwords))
    output = a.manage("shell", "-c", script, capture=True).stdout
    cluster.facts = json.loads(output.strip().splitlines()[-1])
    for server in (a, b, pool):
        server.start()
        say(f"server {server.name}: gunicorn on port {server.port}, var/ in {server.var}")
    say(f"server {pool.name} is the search pool ({pool.unit})")
    nginx.configure([a, b], pool, a.var / "staticfiles")
    nginx.start()
    say(f"nginx: https://localhost:{nginx.https_port} (HTTP/2, TLS), http on {nginx.http_port}")
    return cluster
