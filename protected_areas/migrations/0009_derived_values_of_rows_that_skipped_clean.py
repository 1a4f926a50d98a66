"""Rows written before save() derived the stored values (bulk inserts, raw SQL, a shell)
get them now: the boundary's geodesic area and, where no location was given, a point on it.
The same rule as ProtectedArea.derive_from_boundary, as it stood when this was written."""

from django.db import migrations
from django.db.models import Q

from common.geometry import geodesic_area_km2


def derive(apps, schema_editor):
    areas = apps.get_model("protected_areas", "ProtectedArea").objects.using(
        schema_editor.connection.alias
    )
    missing = areas.filter(boundary__isnull=False).filter(
        Q(computed_area_km2__isnull=True) | Q(location__isnull=True)
    )
    for area in list(missing.only("boundary", "location", "computed_area_km2")):
        area.computed_area_km2 = round(geodesic_area_km2(area.boundary), 2)
        if area.location is None:
            area.location = area.boundary.point_on_surface
        area.save(update_fields=["computed_area_km2", "location"])


class Migration(migrations.Migration):
    dependencies = [("protected_areas", "0008_valid_geometry_constraints")]

    operations = [migrations.RunPython(derive, migrations.RunPython.noop)]
