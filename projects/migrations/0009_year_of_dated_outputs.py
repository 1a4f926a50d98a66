"""Outputs written with a date but no year before save() derived it get the year of their
date (Output.derive_year)."""

from django.db import migrations
from django.db.models.functions import ExtractYear


def derive(apps, schema_editor):
    outputs = apps.get_model("projects", "Output").objects.using(schema_editor.connection.alias)
    outputs.filter(date__isnull=False, year__isnull=True).update(year=ExtractYear("date"))


class Migration(migrations.Migration):
    dependencies = [("projects", "0008_valid_geometry_constraints")]

    operations = [migrations.RunPython(derive, migrations.RunPython.noop)]
