"""Each geometry field's spatial index gets a name (common.spatial_index): PostGIS renames
the GiST index GeoDjango made, SpatiaLite keeps its R*Tree. Nothing is rebuilt."""

from django.db import migrations

from common.spatial_index import NameSpatialIndex


class Migration(migrations.Migration):
    dependencies = [("species", "0007_constraint_messages_as_in_clean")]

    operations = [
        NameSpatialIndex(model_name="speciesrange", field_name="geometry", index_name="speciesrange_geometry_gist"),
        NameSpatialIndex(model_name="occurrence", field_name="location", index_name="occurrence_location_gist"),
    ]
