"""Protected-area shapes per zoom band for the vector tiles, kept by triggers (PostgreSQL).

Generalised once per write, not per request, and by triggers rather than a Celery task: the
triggers simplify exactly the rows a statement wrote (inserts in one set-based pass over its
transition table, updates per row whose boundary or point changed), in the writer's
transaction, so a tile never reads a boundary older than the data version it is cached
under (no window in which a refreshed version meets old shapes), and no broker or worker is
needed. The price is paid by writers: ~1 ms per 2,000-vertex boundary for all four bands.

SpatiaLite (`make run`) gets the table but no triggers: its tiles simplify per request."""

import django.contrib.gis.db.models.fields
import django.db.models.deletion
from django.db import migrations, models

from maps.tile_grid import AREA_TABLE, SHAPE_TABLE, ZOOM_BANDS, shapes_insert_sql

FUNCTION = "maps_protected_area_tile_shapes"


def install_sql() -> list[str]:
    """The trigger function and its triggers; run again (CREATE OR REPLACE) by a later
    migration that changes the bands, followed by `refill_sql()`."""
    new_row = "(SELECT NEW.id AS id, NEW.boundary AS boundary, NEW.location AS location)"
    # The deletions through a transition table are planned for each statement (EXECUTE):
    # PL/pgSQL keeps a statement's first plan, and the first was made for a one-row write
    # into an empty shape table, a nested loop reading the whole transition table once per
    # shape: bulk inserts of 2,000 areas then took 22 s each over 8,000 shapes (0005).
    function = f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                DELETE FROM {SHAPE_TABLE};
            ELSIF TG_OP = 'DELETE' THEN
                EXECUTE 'DELETE FROM {SHAPE_TABLE} WHERE area_id IN (SELECT id FROM old_rows)';
            ELSIF TG_OP = 'INSERT' THEN
                EXECUTE 'DELETE FROM {SHAPE_TABLE} WHERE area_id IN (SELECT id FROM new_rows)';
                {shapes_insert_sql("new_rows")};
            ELSE
                DELETE FROM {SHAPE_TABLE} WHERE area_id = NEW.id;
                {shapes_insert_sql(new_row)};
            END IF;
            RETURN NULL;
        END $$
    """
    # Inserts and deletions: once per statement, over the rows it wrote (an import is one
    # pass). Updates: per row, and only where the boundary or point changed (the WHEN runs
    # before any function call): most updates change neither, and joining a statement's old
    # and new rows to find out cost ~15 ms an area (transition tables have no statistics).
    statements = [function]
    for event, timing in (
        ("INSERT", "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT"),
        (
            "UPDATE",
            # Compared as EWKB: geometry's own `=` lives in the PostGIS schema, which a
            # restore (pg_restore runs with an empty search_path) cannot resolve in a WHEN.
            "FOR EACH ROW WHEN (ST_AsEWKB(OLD.boundary) IS DISTINCT FROM ST_AsEWKB(NEW.boundary) "
            "OR ST_AsEWKB(OLD.location) IS DISTINCT FROM ST_AsEWKB(NEW.location))",
        ),
        ("DELETE", "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT"),
        ("TRUNCATE", "FOR EACH STATEMENT"),
    ):
        name = f"{FUNCTION}_{event.lower()}"
        statements += [
            f"DROP TRIGGER IF EXISTS {name} ON {AREA_TABLE}",
            f"CREATE TRIGGER {name} AFTER {event} ON {AREA_TABLE} {timing} "
            f"EXECUTE FUNCTION {FUNCTION}()",
        ]
    return statements


def refill_sql() -> list[str]:
    return [f"DELETE FROM {SHAPE_TABLE}", shapes_insert_sql(AREA_TABLE)]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # One index per band: a tile reads one band, and an index of all bands would hand it
    # every band's copy of each area in view.
    for band in range(len(ZOOM_BANDS)):
        schema_editor.execute(
            f"CREATE INDEX {SHAPE_TABLE}_band{band} ON {SHAPE_TABLE} "
            f"USING gist (geometry) WHERE band = {band}"
        )
    for statement in install_sql() + refill_sql():
        schema_editor.execute(statement)
    schema_editor.execute(f"ANALYZE {SHAPE_TABLE}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for event in ("insert", "update", "delete", "truncate"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {FUNCTION}_{event} ON {AREA_TABLE}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


class Migration(migrations.Migration):

    dependencies = [
        ('maps', '0003_occurrence_grid_schedule'),
        ('protected_areas', '0012_import_sources'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProtectedAreaTileShape',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('band', models.PositiveSmallIntegerField(verbose_name='zoom band')),
                ('geometry', django.contrib.gis.db.models.fields.GeometryField(spatial_index=False, srid=3857, verbose_name='geometry')),
                ('area', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='protected_areas.protectedarea')),
            ],
            options={
                'verbose_name': 'protected-area tile shape',
                'verbose_name_plural': 'protected-area tile shapes',
                'constraints': [models.UniqueConstraint(fields=('area', 'band'), name='maps_tileshape_area_band')],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
