#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh:  scripts/restore.sh var/backups/<timestamp>
# into the database and MEDIA_ROOT the settings name (DATABASE_URL, MEDIA_ROOT).
# The target database must be empty (PostGIS: it is created when missing); set FORCE=1 to
# replace a database that already holds tables.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

backup="${1:-}"
[ -n "$backup" ] && [ -f "$backup/MANIFEST" ] || {
  echo "Usage: $0 var/backups/<timestamp> (a directory made by scripts/backup.sh)" >&2
  exit 2
}
eval "$("$PY" scripts/database_env.py)"
engine=$(sed -n 's/^engine=//p' "$backup/MANIFEST")
[ "$engine" = "$DB_ENGINE" ] || {
  echo "The backup is of a $engine database; DATABASE_URL points to $DB_ENGINE." >&2
  exit 1
}

case "$DB_ENGINE" in
  postgis)
    export PGPASSWORD="$DB_PASSWORD"
    connection=(${DB_HOST:+--host="$DB_HOST"} ${DB_PORT:+--port="$DB_PORT"} ${DB_USER:+--username="$DB_USER"})
    exists=$(psql "${connection[@]}" --dbname=postgres --tuples-only --no-align \
      --command="SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")
    if [ "$exists" != 1 ]; then
      createdb "${connection[@]}" "$DB_NAME"
    fi
    tables=$(psql "${connection[@]}" --dbname="$DB_NAME" --tuples-only --no-align \
      --command="SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'spatial_ref_sys'")
    if [ "$tables" != 0 ] && [ "${FORCE:-0}" != 1 ]; then
      echo "Database $DB_NAME already holds $tables tables; set FORCE=1 to replace them." >&2
      exit 1
    fi
    pg_restore "${connection[@]}" --dbname="$DB_NAME" --clean --if-exists --no-owner \
      --no-privileges --exit-on-error "$backup/database.dump"
    ;;
  spatialite)
    if [ -s "$DB_NAME" ] && [ "${FORCE:-0}" != 1 ]; then
      echo "$DB_NAME exists; set FORCE=1 to replace it." >&2
      exit 1
    fi
    mkdir -p "$(dirname "$DB_NAME")"
    cp "$backup/database.sqlite3" "$DB_NAME.restoring"
    mv "$DB_NAME.restoring" "$DB_NAME"
    ;;
esac

if [ -f "$backup/media.tar.gz" ]; then
  mkdir -p "$MEDIA_DIR"
  tar --extract --gzip --file="$backup/media.tar.gz" --directory="$MEDIA_DIR"
fi
echo "Restored $backup"
