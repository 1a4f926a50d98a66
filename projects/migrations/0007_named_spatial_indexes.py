"""Each geometry field's spatial index gets a name (common.spatial_index): PostGIS renames
the GiST index GeoDjango made, SpatiaLite keeps its R*Tree. Nothing is rebuilt."""

from django.db import migrations

from common.spatial_index import NameSpatialIndex


class Migration(migrations.Migration):
    dependencies = [("projects", "0006_constraint_messages_as_in_clean")]

    operations = [
        NameSpatialIndex(model_name="project", field_name="sites", index_name="project_sites_gist"),
    ]
