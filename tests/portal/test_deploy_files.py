"""The files in deploy/ against this code: the settings they carry pass `check --deploy`, the
gunicorn unit starts this project's app, nginx accepts the site. `make cluster-test` runs them
for real; these catch a broken file in `make test`."""

import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from perf.cluster.templates import DEPLOY, ROOT, TemplateError, Unit, read_env_file, substitute

SECRET = "deploy-files-test-secret-" + "0123456789abcdef" * 3


def shipped_environment(tmp_path, **changes):
    values = read_env_file(DEPLOY / "portal.env")
    values.update(DJANGO_SECRET_KEY=SECRET, PORTAL_VAR_DIR=str(tmp_path), **changes)
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **values}


def test_the_shipped_settings_pass_check_deploy_for_both_databases(tmp_path):
    for database in (
        f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        read_env_file(DEPLOY / "portal.env")["DATABASE_URL"],  # PostgreSQL: not contacted
    ):
        result = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
            env=shipped_environment(tmp_path, DATABASE_URL=database),
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "System check identified no issues" in result.stdout


def unit_command(tmp_path, unit_name, instance, env_text=None):
    """The unit's command as systemd would run it, with the shipped (or a given) environment
    file."""
    env_file = tmp_path / "portal.env"
    env_file.write_text(env_text or (DEPLOY / "portal.env").read_text())
    return Unit.read(DEPLOY / "systemd" / unit_name).command(
        {
            "/srv/portal/current/.venv/bin/": f"{Path(sys.executable).parent}/",
            "/etc/portal/portal.env": str(env_file),
            "/srv/portal/current": str(ROOT),
        },
        instance=instance,
    )


def test_the_gunicorn_unit_starts_this_projects_app_with_its_configuration(tmp_path):
    command = unit_command(tmp_path, "portal@.service", "8001")
    assert command.argv[-1] == "portal.wsgi:application"
    assert "127.0.0.1:8001" in command.argv
    assert command.environment["AXES_PROXY_COUNT"] == "1"
    result = subprocess.run(  # noqa: S603 - the unit's own command, checked not started
        [*command.argv[:1], "--check-config", *command.argv[1:]],
        env=shipped_environment(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}"),
        cwd=command.cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_page_servers_hand_searches_to_the_location_nginx_keeps_internal(tmp_path):
    command = unit_command(tmp_path, "portal@.service", "8001")
    location = command.environment["SEARCH_POOL_LOCATION"]
    site = (DEPLOY / "nginx" / "portal.conf").read_text()
    block = site[site.index(f"location {location} {{") :].split("}", 1)[0]
    assert "internal;" in block
    assert "proxy_pass http://portal_search/;" in block
    # Answers kept by nginx: keyed by the page server's URL (with the content version), only
    # for anonymous readers, only 200s.
    assert "proxy_cache_key $uri$is_args$args;" in block
    assert "proxy_no_cache $portal_search_private;" in block
    assert "proxy_cache_valid 200 10m;" in block
    private = site[site.index("map $arg_v $portal_search_private {") :].split("}", 1)[0]
    assert '"" 1;' in private
    assert "upstream portal_search {" in site
    assert command.argv[0] != "nice"


def test_the_search_pool_runs_searches_itself_at_a_lower_priority(tmp_path):
    # Even an environment file that names a location cannot make the pool hand searches on.
    shipped = (DEPLOY / "portal.env").read_text()
    command = unit_command(
        tmp_path, "portal-search@.service", "8003", shipped + "SEARCH_POOL_LOCATION=/_search/\n"
    )
    assert command.argv[:3] == ["nice", "-n", "10"]
    assert command.argv[-1] == "portal.wsgi:application"
    assert "127.0.0.1:8003" in command.argv
    assert "SEARCH_POOL_LOCATION" not in command.environment
    started_with = command.process_environment({"SEARCH_POOL_LOCATION": "/_search/", "A": "1"})
    assert "SEARCH_POOL_LOCATION" not in started_with
    assert started_with["A"] == "1"
    assert command.environment["SEARCH_CPU_SHARE"] == "off"
    # None of its threads are kept back for pages: it serves none.
    assert command.environment["SEARCH_CONCURRENCY"] == command.environment["GUNICORN_THREADS"]


def test_the_environment_file_overrides_the_units_environment_lines_as_in_systemd(tmp_path):
    shipped = (DEPLOY / "portal.env").read_text()
    command = unit_command(
        tmp_path, "portal@.service", "8001", shipped + "SEARCH_POOL_LOCATION=/elsewhere/\n"
    )
    assert command.environment["SEARCH_POOL_LOCATION"] == "/elsewhere/"


def test_a_substitution_that_no_longer_matches_stops_the_cluster_test():
    with pytest.raises(TemplateError, match="no longer contains 'listen 8443;'"):
        substitute(DEPLOY / "nginx" / "portal.conf", {"listen 8443;": "listen 1;"})


def test_nginx_accepts_the_site_as_the_cluster_test_templates_it(tmp_path):
    if not (shutil.which("nginx") and shutil.which("openssl")):
        if os.environ.get("CI"):
            pytest.fail("CI must provide nginx and openssl (apt-get install nginx openssl).")
        pytest.skip("nginx is not installed; CI runs this test.")
    from perf.cluster.services import Nginx, Processes

    (tmp_path / "logs").mkdir()
    tmp_path.chmod(0o755)
    servers = [SimpleNamespace(port=8001), SimpleNamespace(port=8002)]
    # Runs `nginx -t` on the rendered site, and fails if nginx refuses it.
    Nginx(tmp_path, Processes()).configure(servers, SimpleNamespace(port=8003), tmp_path / "static")
    site = (tmp_path / "nginx" / "portal.conf").read_text()
    assert "listen 127.0.0.1:" in site
    assert "gzip on;" in site


@pytest.mark.django_db
def test_the_cluster_tests_setup_script_runs_against_this_code():
    """The script perf/cluster/build.py hands to `manage.py shell` is a string, so no import
    check sees it: run it here, so a moved module fails this test rather than the cluster run."""
    import json
    import secrets
    from contextlib import redirect_stdout
    from io import StringIO

    from perf.cluster.build import USERS_SCRIPT

    names = ("editor", "trainer", "locked", "reader")
    script = USERS_SCRIPT.format(users=json.dumps({n: secrets.token_urlsafe(12) for n in names}))
    out = StringIO()
    with redirect_stdout(out):
        exec(compile(script, "perf/cluster/build.py:USERS_SCRIPT", "exec"), {})  # noqa: S102
    facts = json.loads(out.getvalue().strip().splitlines()[-1])
    assert facts["section_url"].endswith("/investigating-cse/")
