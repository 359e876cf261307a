#!/bin/sh
# manage.py with the servers' settings (/etc/portal/portal.env), run from this release:
#   sudo -u portal /srv/portal/current/deploy/manage.sh migrate
# `make cluster-test` runs migrate, import_briefings and collectstatic through this script.
set -eu
cd "$(dirname "$0")/.."
set -a
. "${PORTAL_ENV_FILE:-/etc/portal/portal.env}"
set +a
exec "${PORTAL_PYTHON:-.venv/bin/python}" manage.py "$@"
