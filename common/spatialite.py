"""A SpatiaLite quirk that would stop migrations on recent SQLite versions."""

from django.db import connections


def spatialite_drop_unused_iso_metadata_triggers(using: str = "default", **kwargs) -> None:
    """SpatiaLite 5.0's ISO_metadata_reference triggers select ``rowid`` from a subquery,
    which SQLite ≥ 3.41 rejects whenever ALTER TABLE re-validates the schema — and Django's
    SQLite migrations end every table change with ALTER TABLE. The portal never writes ISO
    metadata, so the two row-id checks on that table are dropped once the metadata exists
    (a pre_migrate handler: migrate initialises SpatiaLite's metadata before it fires)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for trigger in (
            "ISO_metadata_reference_row_id_value_insert",
            "ISO_metadata_reference_row_id_value_update",
        ):
            cursor.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')
