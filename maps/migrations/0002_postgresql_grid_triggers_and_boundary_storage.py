"""PostgreSQL only (a no-op on SpatiaLite, where the layers count live):

- triggers that mark the occurrence grid stale on any write to occurrences or species, so a
  stale grid is never read, whatever wrote (admin, services, imports, raw SQL);
- the grid's state row, stale until the first rebuild;
- protected-area boundaries stored out of line (`SET STORAGE EXTERNAL`): PostGIS keeps a
  ~5 KB boundary inside the row by default, so every scan of the table, even for names and
  points, read all boundaries. Rows written from now on are stored out of line; existing
  rows move when rewritten (VACUUM FULL, or the next save). Done here because the storage
  serves the map and the protected_areas app's migrations belong to another change."""

from django.db import migrations

MARK_STALE = """
CREATE FUNCTION maps_occurrence_grid_mark_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE maps_occurrencegridstate SET stale = true WHERE NOT stale;
    RETURN NULL;
END
$$;
"""
WATCHED_TABLES = ["species_occurrence", "species_species"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(MARK_STALE)
    for table in WATCHED_TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER maps_occurrence_grid_stale AFTER INSERT OR UPDATE OR DELETE "
            f"OR TRUNCATE ON {table} FOR EACH STATEMENT "
            "EXECUTE FUNCTION maps_occurrence_grid_mark_stale()"
        )
    schema_editor.execute("INSERT INTO maps_occurrencegridstate (id, stale) VALUES (1, true)")
    schema_editor.execute(
        "ALTER TABLE protected_areas_protectedarea ALTER COLUMN boundary SET STORAGE EXTERNAL"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE protected_areas_protectedarea ALTER COLUMN boundary SET STORAGE MAIN"
    )
    schema_editor.execute("DELETE FROM maps_occurrencegridstate")
    for table in WATCHED_TABLES:
        schema_editor.execute(f"DROP TRIGGER maps_occurrence_grid_stale ON {table}")
    schema_editor.execute("DROP FUNCTION maps_occurrence_grid_mark_stale()")


class Migration(migrations.Migration):
    dependencies = [
        ("maps", "0001_occurrence_grid"),
        ("protected_areas", "0003_merge_translations_and_review_workflow"),
        ("species", "0004_merge_translations_and_review_workflow"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
