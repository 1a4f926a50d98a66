#!/usr/bin/env bash
# Make PostgreSQL with PostGIS answer on 127.0.0.1:5432 and hold the portal's role and
# database. A server already running there is reused as it is.
source "$(dirname "$0")/lib.sh"

PGHOST=127.0.0.1
PGPORT=5432
ROLE=${NEASPEC_DB_USER:-neaspec}
PASSWORD=${NEASPEC_DB_PASSWORD:-neaspec}
DATABASE=${NEASPEC_DB_NAME:-neaspec}

if pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
  say "PostgreSQL is running on $PGHOST:$PGPORT; reusing it."
else
  cluster=$(pg_lsclusters --no-header 2>/dev/null | awk '$3 == 5432 {print $1" "$2; exit}')
  if [ -z "$cluster" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    say "Creating PostgreSQL $version cluster 'main' on port 5432."
    as_root pg_createcluster "$version" main --port 5432
    cluster="$version main"
  fi
  say "Starting PostgreSQL cluster $cluster."
  # --skip-systemctl-redirect: works in containers and CI where systemd is not PID 1.
  as_root pg_ctlcluster --skip-systemctl-redirect $cluster start
  for _ in $(seq 1 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
  pg_isready -q -h "$PGHOST" -p "$PGPORT" || { echo "PostgreSQL did not start" >&2; exit 1; }
fi

# Administer through the postgres superuser: over the local socket (peer authentication,
# Debian's default) or, where that is not possible, over TCP.
admin_psql() {
  if as_postgres psql -X -q -v ON_ERROR_STOP=1 -d postgres -c 'select 1' >/dev/null 2>&1; then
    as_postgres psql -X -q -v ON_ERROR_STOP=1 "$@"
  else
    psql -X -q -v ON_ERROR_STOP=1 -h "$PGHOST" -p "$PGPORT" -U postgres "$@"
  fi
}

# The local role is a superuser because the test runner creates a fresh database and
# enables the (untrusted) postgis extension in it. Local development and CI only.
admin_psql -d postgres <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN SUPERUSER PASSWORD '$PASSWORD';
  END IF;
END
\$\$;
SQL
if ! admin_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'" | grep -q 1; then
  say "Creating database $DATABASE."
  admin_psql -d postgres -c "CREATE DATABASE $DATABASE OWNER $ROLE"
fi
admin_psql -d "$DATABASE" -c "CREATE EXTENSION IF NOT EXISTS postgis"
# The suite recreates test_<name> on every run; a session left behind by an interrupted run
# would stop it from being dropped ("is being accessed by other users").
admin_psql -d postgres -tAc "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
  WHERE datname = 'test_$DATABASE' AND pid <> pg_backend_pid()" >/dev/null
say "PostGIS ready: postgis://$ROLE:***@$PGHOST:$PGPORT/$DATABASE"
