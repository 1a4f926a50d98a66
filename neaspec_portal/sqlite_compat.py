"""Make SpatiaLite loadable where the interpreter's sqlite3 cannot load extensions.

Django's SpatiaLite backend calls ``enable_load_extension``, which CPython builds configured
without ``--enable-loadable-sqlite-extensions`` (pyenv's default) do not provide. In that case
``pysqlite3-binary``, a drop-in build of the same module with extension loading, stands in for
the stdlib module. This is the only place that knows about it.
"""

import sqlite3
import sys


def use_pysqlite3_if_needed() -> None:
    if hasattr(sqlite3.Connection, "enable_load_extension"):
        return
    try:
        import pysqlite3  # noqa: PLC0415
        import pysqlite3.dbapi2  # noqa: PLC0415
    except ImportError as exc:  # pragma: no cover - depends on the machine
        raise ImportError(
            "This Python's sqlite3 cannot load extensions, which SpatiaLite needs. "
            "Install pysqlite3-binary (pip install pysqlite3-binary) or use PostGIS by "
            "setting DATABASE_URL=postgis://..."
        ) from exc
    sys.modules["sqlite3"] = pysqlite3
    sys.modules["sqlite3.dbapi2"] = pysqlite3.dbapi2


def spatialite_drop_unused_iso_metadata_triggers(using: str = "default", **kwargs) -> None:
    """SpatiaLite 5.0's ISO_metadata_reference triggers select ``rowid`` from a subquery,
    which SQLite ≥ 3.41 rejects whenever ALTER TABLE re-validates the schema — and Django's
    SQLite migrations end every table change with ALTER TABLE. The portal never writes ISO
    metadata, so the two row-id checks on that table are dropped once the metadata exists
    (a pre_migrate handler: migrate initialises SpatiaLite's metadata before it fires)."""
    from django.db import connections  # noqa: PLC0415

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for trigger in (
            "ISO_metadata_reference_row_id_value_insert",
            "ISO_metadata_reference_row_id_value_update",
        ):
            cursor.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')
