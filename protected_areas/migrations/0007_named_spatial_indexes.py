"""Each geometry field's spatial index gets a name (common.spatial_index): PostGIS renames
the GiST index GeoDjango made, SpatiaLite keeps its R*Tree. Nothing is rebuilt."""

from django.db import migrations

from common.spatial_index import NameSpatialIndex


class Migration(migrations.Migration):
    dependencies = [("protected_areas", "0006_constraint_messages_as_in_clean")]

    operations = [
        NameSpatialIndex(model_name="country", field_name="boundary", index_name="country_boundary_gist"),
        NameSpatialIndex(model_name="protectedarea", field_name="boundary", index_name="protectedarea_boundary_gist"),
        NameSpatialIndex(model_name="protectedarea", field_name="location", index_name="protectedarea_location_gist"),
    ]
