"""The services of the cluster, each started from its file in deploy/ and always stopped.

Everything listens on loopback on free high ports and lives in one throw-away directory. As root
(CI), PostgreSQL runs as the postgres user and nginx's workers as www-data, as the distribution
runs them; as anyone else, everything runs as that user.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import redis

from .templates import DEPLOY, ROOT, Unit, render, render_env_file

BIN = Path(sys.executable).parent
IS_ROOT = os.geteuid() == 0


def say(message):
    sys.stdout.write(f"{message}\n")
    sys.stdout.flush()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(what, ready, timeout, process=None, log=None):
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited (code {process.returncode}); see {log}")
        with contextlib.suppress(Exception):
            if ready():
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} was not ready within {timeout} s; see {log}")
        time.sleep(0.1)


def need(program):
    path = shutil.which(program)
    if not path:
        raise RuntimeError(f"{program} is not installed (CI installs it: see .ci/run)")
    return path


class Processes:
    """Every process the harness starts, stopped in reverse order however the run ends."""

    def __init__(self):
        self.running: list[tuple[str, subprocess.Popen]] = []
        self.cleanups: list[tuple[str, callable]] = []

    def start(self, name, argv, *, log, **kwargs):
        handle = open(log, "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(  # noqa: S603 - our own programs and arguments
            argv, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
        )
        handle.close()
        self.running.append((name, process))
        return process

    def stop(self, process, sig=signal.SIGTERM, timeout=30):
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, sig)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        # Whatever the process left in its group (gunicorn's workers) goes with it.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        self.running = [(n, p) for n, p in self.running if p is not process]

    def on_exit(self, name, cleanup):
        self.cleanups.append((name, cleanup))

    def stop_all(self):
        for _name, process in reversed(list(self.running)):
            self.stop(process, timeout=15)
        for name, cleanup in reversed(self.cleanups):
            try:
                cleanup()
            except Exception as error:  # noqa: BLE001 - report and carry on cleaning
                say(f"cleanup of {name} failed: {error}")
        self.cleanups.clear()


def postgres_bindir():
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parts[-3]),
    )
    if found:
        return Path(found[-1]).parent
    return Path(need("initdb")).parent


class PostgreSQL:
    """A throw-away cluster: initdb into the work directory, its own port, pg_ctl to stop/start.

    The test database other work uses (on 5432) is never touched.
    """

    def __init__(self, work: Path, processes: Processes):
        self.dir = work / "postgres"
        self.data = self.dir / "data"
        self.log = work / "logs" / "postgres.log"
        self.port = free_port()
        self.password = secrets.token_urlsafe(16)
        self.bindir = postgres_bindir()
        self.processes = processes
        self.url = self.database_url("portal")

    def database_url(self, name):
        return f"postgres://portal:{self.password}@127.0.0.1:{self.port}/{name}"

    def run(self, *argv, check=True):
        prefix = ["runuser", "-u", "postgres", "--"] if IS_ROOT else []
        return subprocess.run(  # noqa: S603
            [*prefix, str(self.bindir / argv[0]), *argv[1:]],
            check=check,
            capture_output=True,
            text=True,
        )

    def create(self):
        self.dir.mkdir(parents=True)
        password_file = self.dir / "password"
        password_file.write_text(self.password)
        if IS_ROOT:
            shutil.chown(self.dir, "postgres", "postgres")
            shutil.chown(password_file, "postgres", "postgres")
            self.log.touch()
            shutil.chown(self.log, "postgres", "postgres")
        password_file.chmod(0o600)
        self.run(
            "initdb", "-D", str(self.data), "-U", "portal", f"--pwfile={password_file}",
            "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
        )  # fmt: skip
        self.processes.on_exit("PostgreSQL", lambda: self.stop(mode="immediate", check=False))
        self.start()
        with psycopg.connect(self.database_url("postgres"), autocommit=True) as db:
            db.execute("CREATE DATABASE portal")

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir}"
        )
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self, mode="fast", check=True):
        if self.data.exists():
            self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=check)


class Redis:
    def __init__(self, work: Path, processes: Processes):
        self.dir = work / "redis"
        self.port = free_port()
        self.processes = processes
        self.log = work / "logs" / "redis.log"
        self.process = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def configure(self):
        self.dir.mkdir()
        shipped = render(
            DEPLOY / "redis" / "portal.conf",
            {"port 6379": f"port {self.port}", "bind 127.0.0.1 -::1": "bind 127.0.0.1"},
            self.dir / "portal.conf",
        )
        # The distribution's redis.conf, reduced to what differs on loopback, then the shipped file.
        (self.dir / "redis.conf").write_text(
            f"daemonize no\ndir {self.dir}\nlogfile {self.log}\ninclude {shipped}\n"
        )

    def start(self):
        self.process = self.processes.start(
            "redis", [need("redis-server"), str(self.dir / "redis.conf")], log=self.log
        )
        wait_for("Redis", self.client().ping, 20, self.process, self.log)

    def stop(self):
        self.processes.stop(self.process)

    def client(self):
        return redis.Redis(port=self.port, socket_timeout=2)


class AppServer:
    """A gunicorn server started from its unit in deploy/systemd/ (a page server's, portal@, or
    the search pool's, portal-search@), with its own var/."""

    def __init__(self, name, work: Path, processes: Processes, unit="portal@.service", config=None):
        self.name = name
        self.unit = unit
        # Another gunicorn configuration in place of the unit's (make abuse-test's, which adds
        # its measurements to the production one).
        self.config = config
        # Variables from the environment systemd starts with (the unit's own come on top).
        self.inherited: dict[str, str] = {}
        self.port = free_port()
        self.var = work / f"server-{name.lower()}" / "var"
        self.env_file = work / f"server-{name.lower()}" / "portal.env"
        self.processes = processes
        self.process = None
        self.starts = 0
        self.logs: list[Path] = []
        self.work = work

    def configure(self, settings: dict[str, str]):
        self.var.mkdir(parents=True)
        self.env = render_env_file({**settings, "PORTAL_VAR_DIR": str(self.var)}, self.env_file)

    def command(self):
        unit = Unit.read(DEPLOY / "systemd" / self.unit)
        replaced = {"portal/gunicorn_conf.py": str(self.config)} if self.config else {}
        return unit.command(
            {
                **replaced,
                "/srv/portal/current/.venv/bin/": f"{BIN}/",
                "/etc/portal/portal.env": str(self.env_file),
                "/srv/portal/current": str(ROOT),
            },
            instance=str(self.port),
        )

    def manage(self, *args, capture=False):
        """deploy/manage.sh, as an administrator runs it, with this server's environment file."""
        environment = {
            **os.environ,
            "PORTAL_ENV_FILE": str(self.env_file),
            "PORTAL_PYTHON": str(BIN / "python"),
        }
        return subprocess.run(  # noqa: S603
            [str(DEPLOY / "manage.sh"), *args],
            env=environment,
            check=True,
            capture_output=capture,
            text=True,
        )

    def start(self):
        command = self.command()
        self.starts += 1
        log = self.work / "logs" / f"server-{self.name.lower()}.{self.starts}.log"
        self.logs.append(log)
        self.process = self.processes.start(
            f"server {self.name}",
            command.argv,
            log=log,
            env=command.process_environment({**os.environ, **self.inherited}),
            cwd=command.cwd,
        )
        from .http import direct

        wait_for(
            f"server {self.name}",
            lambda: direct(self.port).get("/healthz").status == 200,
            60,
            self.process,
            log,
        )

    def stop(self):
        self.processes.stop(self.process)

    def requests_logged(self, log=None):
        """Requests in this server's JSON request log (portal/request_log.py)."""
        entries = []
        for path in [log] if log else self.logs:
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.startswith("{") and '"path"' in line:
                    entries.append(json.loads(line))
        return entries


class Nginx:
    def __init__(self, work: Path, processes: Processes):
        self.dir = work / "nginx"
        self.https_port = free_port()
        self.http_port = free_port()
        self.processes = processes
        self.log = work / "logs" / "nginx-error.log"
        self.access_log = work / "logs" / "nginx-access.log"
        self.cert = self.dir / "cert.pem"
        self.key = self.dir / "key.pem"

    def make_certificate(self):
        """A throw-away self-signed certificate for localhost and 127.0.0.1, valid two days."""
        subprocess.run(  # noqa: S603
            [
                need("openssl"), "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", str(self.key), "-out", str(self.cert),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip

    def configure(self, servers: list[AppServer], search_pool: AppServer, static_root: Path):
        self.dir.mkdir()
        self.make_certificate()
        a, b = servers
        site = render(
            DEPLOY / "nginx" / "portal.conf",
            {
                "server 127.0.0.1:8001 ": f"server 127.0.0.1:{a.port} ",
                "server 127.0.0.1:8002 ": f"server 127.0.0.1:{b.port} ",
                "server 127.0.0.1:8003 ": f"server 127.0.0.1:{search_pool.port} ",
                "listen 80;": f"listen 127.0.0.1:{self.http_port};",
                "listen 443 ssl http2;": f"listen 127.0.0.1:{self.https_port} ssl http2;",
                # Loopback IPv4 only: a CI container may have no IPv6.
                "listen [::]:80;": "",
                "listen [::]:443 ssl http2;": "",
                "server_name cse.example.org;": "server_name localhost;",
                "/etc/ssl/portal/fullchain.pem": str(self.cert),
                "/etc/ssl/portal/privkey.pem": str(self.key),
                "/var/log/nginx/portal.access.log": str(self.access_log),
                "/srv/portal/var/staticfiles/": f"{static_root}/",
                "/run/nginx-portal-search": str(self.dir / "search-cache"),
            },
            self.dir / "portal.conf",
        )
        temp = "".join(
            f"    {kind}_temp_path {self.dir / kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        # The distribution's /etc/nginx/nginx.conf, reduced to what the site needs.
        (self.dir / "nginx.conf").write_text(
            ("user www-data;\n" if IS_ROOT else "")
            + f"worker_processes 2;\npid {self.dir / 'nginx.pid'};\nerror_log {self.log} warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n    include /etc/nginx/mime.types;\n"
            "    default_type application/octet-stream;\n"
            f"    sendfile on;\n    tcp_nopush on;\n{temp}    include {site};\n}}\n"
        )
        subprocess.run(  # noqa: S603
            [need("nginx"), "-t", "-q", *self.arguments()], check=True, capture_output=True
        )

    def arguments(self):
        return ["-p", str(self.dir), "-c", str(self.dir / "nginx.conf"), "-e", str(self.log)]

    def start(self):
        process = self.processes.start(
            "nginx", [need("nginx"), *self.arguments(), "-g", "daemon off;"], log=self.log
        )
        from .http import through_nginx

        wait_for(
            "nginx",
            lambda: through_nginx(self).get("/healthz").status == 200,
            20,
            process,
            self.log,
        )
