import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings import env


@pytest.mark.parametrize("raw", ["maybe", "2", "True!"])
def test_a_malformed_boolean_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv("DJANGO_DEBUG", raw)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG must be a boolean"):
        env.env_bool("DJANGO_DEBUG")


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("off", False)])
def test_booleans_accept_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("DJANGO_DEBUG", raw)
    assert env.env_bool("DJANGO_DEBUG") is expected


def test_an_empty_host_in_the_list_is_refused(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "example.org,,other.org")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ALLOWED_HOSTS"):
        env.env_list("DJANGO_ALLOWED_HOSTS")


@pytest.mark.parametrize("raw", ["mysql://u:p@h/db", "sqlite://", "postgres://host/"])
def test_an_unusable_database_url_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv("DATABASE_URL", raw)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.env_database("DATABASE_URL", "var/x.sqlite3")


def test_database_url_reads_postgres_and_sqlite(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p%40ss@db.example:5433/portal")
    config = env.env_database("DATABASE_URL", "unused")
    assert (
        config["ENGINE"],
        config["NAME"],
        config["USER"],
        config["PASSWORD"],
        config["PORT"],
    ) == ("django.db.backends.postgresql", "portal", "u", "p@ss", "5433")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/db.sqlite3")
    config = env.env_database("DATABASE_URL", "unused")
    assert config["NAME"] == f"{tmp_path}/db.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_default_database_is_sqlite_in_wal_mode_with_a_busy_timeout(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env.env_database("DATABASE_URL", "var/portal.sqlite3")
    assert config["NAME"] == "var/portal.sqlite3"
    assert config["OPTIONS"]["timeout"] >= 5
    assert "busy_timeout" in config["OPTIONS"]["init_command"]


def test_a_non_integer_names_the_variable(monkeypatch):
    monkeypatch.setenv("CACHE_SECONDS", "ten")
    with pytest.raises(ImproperlyConfigured, match="CACHE_SECONDS must be an integer"):
        env.env_int("CACHE_SECONDS", 1)


def test_an_unknown_cache_url_names_the_variable(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "memcache://x")
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        env.env_cache("CACHE_URL")


def _start(settings_module, **environ):
    """Import a settings module in a fresh interpreter, as a server would at start-up."""
    clean = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": settings_module, **environ}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        capture_output=True,
        text=True,
        env=clean,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _start("portal.settings.prod")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = _start("portal.settings.prod", DJANGO_SECRET_KEY="short")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be at least 50 characters" in result.stderr


def test_a_bad_value_stops_start_up_with_its_name():
    result = _start("portal.settings.dev", DJANGO_DEBUG="perhaps")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in result.stderr


def test_production_starts_with_good_values():
    result = _start("portal.settings.prod", DJANGO_SECRET_KEY="k" * 20 + "abcdefghij" * 4)
    assert result.returncode == 0, result.stderr


def test_the_var_directory_must_be_absolute(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_VAR_DIR", "var/elsewhere")
    with pytest.raises(ImproperlyConfigured, match="PORTAL_VAR_DIR must be an absolute path"):
        env.env_path("PORTAL_VAR_DIR", "unused")
    monkeypatch.setenv("PORTAL_VAR_DIR", str(tmp_path))
    assert env.env_path("PORTAL_VAR_DIR", "unused") == tmp_path
    monkeypatch.delenv("PORTAL_VAR_DIR")
    assert str(env.env_path("PORTAL_VAR_DIR", "/srv/portal/var")) == "/srv/portal/var"


def test_a_postgres_server_that_does_not_answer_fails_a_request_in_seconds(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example/portal")
    assert env.env_database("DATABASE_URL", "unused")["OPTIONS"]["connect_timeout"] == "5"
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example/portal?connect_timeout=2")
    assert env.env_database("DATABASE_URL", "unused")["OPTIONS"]["connect_timeout"] == "2"


def test_a_redis_server_that_does_not_answer_holds_a_page_up_for_a_second_at_most(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "redis://cache.example:6379/0")
    options = env.env_cache("CACHE_URL")["OPTIONS"]
    assert options == {"socket_connect_timeout": 1, "socket_timeout": 1}


@pytest.mark.parametrize("raw", ["/_search/", "/pool/search/", " /_search/ "])
def test_a_search_pool_location_is_a_path_between_slashes(monkeypatch, raw):
    monkeypatch.setenv("SEARCH_POOL_LOCATION", raw)
    assert env.env_location("SEARCH_POOL_LOCATION", None) == raw.strip()


@pytest.mark.parametrize(
    "raw", ["_search/", "/_search", "/", "/a b/", "/_search/?x=1", "/../admin/", "http://x/"]
)
def test_a_location_nginx_could_not_route_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv("SEARCH_POOL_LOCATION", raw)
    with pytest.raises(ImproperlyConfigured, match="SEARCH_POOL_LOCATION must be a path"):
        env.env_location("SEARCH_POOL_LOCATION", None)


def test_no_search_pool_location_means_none(monkeypatch):
    monkeypatch.delenv("SEARCH_POOL_LOCATION", raising=False)
    assert env.env_location("SEARCH_POOL_LOCATION", None) is None
