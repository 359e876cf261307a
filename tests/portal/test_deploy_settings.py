"""Production settings, checked the way a server starts them: in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# The database fixture is copied from the test database.
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SECRET = "production-like-secret-key-" + "0123456789abcdef" * 3

PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client

client = Client(HTTP_HOST="localhost")
plain = client.get("/documents/")
proxied = client.get("/robots.txt", HTTP_X_FORWARDED_PROTO="https")
health = client.get("/healthz")
print(json.dumps({
    "debug": settings.DEBUG,
    "proxy_header": settings.SECURE_PROXY_SSL_HEADER,
    "csrf_trusted_origins": settings.CSRF_TRUSTED_ORIGINS,
    "secure_cookies": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
    "plain": [plain.status_code, plain.get("Location")],
    "proxied": [proxied.status_code, proxied.get("Strict-Transport-Security")],
    "health": health.status_code,
}))
"""


def production(*args, database=None, **environ):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "portal.settings.prod",
        "DJANGO_SECRET_KEY": SECRET,
        **({"DATABASE_URL": f"sqlite:///{database}"} if database else {}),
        **environ,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )


def test_check_deploy_reports_no_issues():
    result = production("manage.py", "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_redirects_to_https_behind_the_proxy_and_sends_hsts(
    sqlite_content_file, tmp_path
):
    database = tmp_path / "prod.sqlite3"
    database.write_bytes(sqlite_content_file.read_bytes())
    result = production(
        "-c",
        PROBE,
        database=database,
        DJANGO_CSRF_TRUSTED_ORIGINS="https://cse.example.org,https://www.cse.example.org",
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["debug"] is False
    assert seen["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert seen["csrf_trusted_origins"] == [
        "https://cse.example.org",
        "https://www.cse.example.org",
    ]
    assert seen["secure_cookies"] == [True, True]
    assert seen["plain"] == [301, "https://localhost/documents/"]
    status, hsts = seen["proxied"]
    assert status == 200
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts
    # The load balancer checks over plain HTTP on the private network.
    assert seen["health"] == 200


def test_gunicorn_loads_the_production_app_with_the_projects_configuration(tmp_path):
    result = production(
        "-m",
        "gunicorn",
        "--check-config",
        "--config",
        str(ROOT / "portal" / "gunicorn_conf.py"),
        "portal.wsgi:application",
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
