"""The data version: a number changed by the database on every write to public data, and
read by the caches of anonymous pages and map layers as part of their keys. A cached copy is
therefore never stale: after a write commits, the next request reads a new version and
misses the cache.

Database triggers change it, not Django signals, so no write is missed, whoever makes it:
the admin, services, bulk_create/update(), imports, raw SQL, the grid and dashboard
rebuilds, another process. PostgreSQL: one statement-level trigger per table; SQLite: row
triggers (it has no statement triggers). They are (re)installed after every `migrate` on
every table of the apps in `settings.DATA_VERSION_APPS` (change history excluded), so a new
table is covered without a migration of its own.

If the row is lost (a test's flush), the next write or read recreates it at a random
number, so no copy cached under an earlier number can match it again. Each `migrate` (each
deployment) changes it too, so no page rendered by earlier templates is served after."""

import contextvars
import secrets
from contextlib import contextmanager

from django.apps import apps as global_apps
from django.conf import settings
from django.db import InterfaceError, OperationalError, connections, router

TABLE = "common_dataversion"
TRIGGER = "common_dataversion_bump"
# A random start far from any earlier value; each write adds one.
POSTGRES_UPSERT = (
    f"INSERT INTO {TABLE} (id, version) VALUES (1, (random() * 1e15)::bigint) "
    f"ON CONFLICT (id) DO UPDATE SET version = {TABLE}.version + 1"
)
SQLITE_UPSERT = (
    f"INSERT INTO {TABLE} (id, version) VALUES (1, abs(random()) % 1000000000000000) "
    "ON CONFLICT (id) DO UPDATE SET version = version + 1"
)


# The version read by the response cache at the start of an anonymous request, so the view's
# own caches (map layers) key by the same number without reading it again.
_request_version = contextvars.ContextVar("request_data_version", default=None)


@contextmanager
def request_data_version(version: int):
    token = _request_version.set(version)
    try:
        yield
    finally:
        _request_version.reset(token)


def data_version() -> int:
    """The current version: one primary-key read of a one-row table, from the database the
    request reads from (a replica's version matches the data it holds).

    Read first in a request on a kept connection (CONN_MAX_AGE), it is also the connection's
    health check: Django would otherwise send a query of its own first (CONN_HEALTH_CHECKS),
    a second round trip for a cached page whose only query is this one. A connection the
    server dropped fails this read; it is then reopened and read again, as the check would."""
    known = _request_version.get()
    if known is not None:
        return known
    alias = router.db_for_read(global_apps.get_model("common", "DataVersion"))
    connection = connections[alias]
    if (
        connection.connection is not None
        and connection.health_check_enabled
        and not connection.health_check_done
        and not connection.in_atomic_block
    ):
        connection.health_check_done = True
        try:
            return _read_version(connection, alias)
        except (OperationalError, InterfaceError):
            connection.close()
    return _read_version(connection, alias)


def _read_version(connection, alias: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
        if row is None and alias == "default":
            cursor.execute(_upsert(connection))
            cursor.execute(f"SELECT version FROM {TABLE} WHERE id = 1")
            row = cursor.fetchone()
    # A replica that has not received the row yet: a number no copy was cached under.
    return row[0] if row else secrets.randbits(62)


def _upsert(connection) -> str:
    return POSTGRES_UPSERT if connection.vendor == "postgresql" else SQLITE_UPSERT


def watched_tables() -> list[str]:
    """The tables of the apps named in `DATA_VERSION_APPS`, and of single models named there
    as "app_label.ModelName" (an app that also holds private tables, such as governance's
    access log, whose writes must not empty the caches)."""
    tables = set()
    for label in settings.DATA_VERSION_APPS:
        if "." in label:
            models = [global_apps.get_model(label)]
        else:
            models = global_apps.get_app_config(label).get_models(include_auto_created=True)
        for model in models:
            meta = model._meta
            if meta.managed and not meta.proxy and not model.__name__.startswith("Historical"):
                tables.add(meta.db_table)
    return sorted(tables)


def install_data_version_triggers(using: str = "default", **kwargs) -> None:
    """A post_migrate handler; safe to run again (each trigger is replaced)."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if TABLE not in existing:
        return
    with connection.cursor() as cursor:
        # A new version after each migrate, i.e. each deployment: pages cached before it
        # were rendered by the previous code and templates.
        cursor.execute(_upsert(connection))
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {POSTGRES_UPSERT}; RETURN NULL; END $$"
            )
        for table in watched_tables():
            if table not in existing:
                continue
            if connection.vendor == "postgresql":
                cursor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"')
                cursor.execute(
                    f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                    f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()'
                )
            elif connection.vendor == "sqlite":
                for event in ("INSERT", "UPDATE", "DELETE"):
                    name = f"{TRIGGER}_{table}_{event.lower()}"
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
                    cursor.execute(
                        f'CREATE TRIGGER "{name}" AFTER {event} ON "{table}" '
                        f"BEGIN {SQLITE_UPSERT}; END"
                    )
