#!/bin/sh
# Back up the portal's database into DIRECTORY and delete backups older than
# PORTAL_BACKUP_KEEP_DAYS (14). Run by deploy/systemd/portal-backup.service with the servers'
# environment (/etc/portal/portal.env), so it backs up what DATABASE_URL names:
#   PostgreSQL: pg_dump's custom format (restore with pg_restore, docs/deploy.md);
#   SQLite: manage.py backup, a consistent online copy.
# A backup is written under a temporary name and renamed when complete.
set -eu

directory=${1:?usage: backup.sh DIRECTORY}
keep_days=${PORTAL_BACKUP_KEEP_DAYS:-14}
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PORTAL_PYTHON:-$root/.venv/bin/python}
stamp=$(date +%Y-%m-%dT%H%M%S)
mkdir -p "$directory"

case "${DATABASE_URL:-sqlite:}" in
    postgres://* | postgresql://* | pgsql://*)
        target="$directory/portal-$stamp.pgdump"
        url=$(printf '%s' "$DATABASE_URL" | sed 's|^pgsql://|postgresql://|')
        pg_dump --format=custom --no-owner --file="$target.partial" "$url"
        ;;
    *)
        target="$directory/portal-$stamp.sqlite3"
        (cd "$root" && "$python" manage.py backup "$target.partial")
        ;;
esac
mv "$target.partial" "$target"
echo "backup written: $target"
find "$directory" -maxdepth 1 -name 'portal-*' -type f -mtime +"$keep_days" -delete
