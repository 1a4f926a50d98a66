"""The tile-shape trigger function again (CREATE OR REPLACE), its deletions through the
transition tables now planned for each statement: see 0004's install_sql."""

import importlib

from django.db import migrations

install_sql = importlib.import_module("maps.migrations.0004_protected_area_tile_shapes").install_sql


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The function alone: the triggers that call it stay as they are.
    schema_editor.execute(install_sql()[0])


class Migration(migrations.Migration):
    dependencies = [("maps", "0004_protected_area_tile_shapes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
