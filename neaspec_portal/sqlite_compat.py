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
