#!/usr/bin/env bash
# Back up the database and the uploaded media into var/backups/<UTC timestamp>/ (or
# $BACKUP_ROOT/<timestamp>/) and print that directory.
#   PostGIS: pg_dump in custom format (database.dump), restorable with pg_restore.
#   SpatiaLite: a consistent copy of the database file (database.sqlite3), taken with
#   SQLite's online backup, so a running portal may keep writing meanwhile.
#   Media: media.tar.gz of MEDIA_ROOT.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

eval "$("$PY" scripts/database_env.py)"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dest="${BACKUP_ROOT:-var/backups}/$stamp"
mkdir -p "$dest"

case "$DB_ENGINE" in
  postgis)
    PGPASSWORD="$DB_PASSWORD" pg_dump --format=custom --no-owner --no-privileges \
      ${DB_HOST:+--host="$DB_HOST"} ${DB_PORT:+--port="$DB_PORT"} \
      ${DB_USER:+--username="$DB_USER"} --file="$dest/database.dump" "$DB_NAME"
    ;;
  spatialite)
    [ -f "$DB_NAME" ] || { echo "No database file at $DB_NAME" >&2; exit 1; }
    "$PY" - "$DB_NAME" "$dest/database.sqlite3" <<'PYTHON'
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)
PYTHON
    ;;
esac

if [ -d "$MEDIA_DIR" ]; then
  tar --create --gzip --file="$dest/media.tar.gz" --directory="$MEDIA_DIR" .
fi

{
  echo "created=$stamp"
  echo "engine=$DB_ENGINE"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
} >"$dest/MANIFEST"
echo "$dest"
