"""The database refuses shapes GEOS calls invalid, whatever path writes them."""

from django.db import migrations, models

from common.geometry import ValidGeometryConstraint

INVALID = "The shape is not valid. Correct the drawing, or tick “repair geometry” to have it repaired automatically."


class Migration(migrations.Migration):
    dependencies = [("species", "0008_named_spatial_indexes")]

    operations = [
        migrations.AddConstraint(
            model_name="speciesrange",
            constraint=ValidGeometryConstraint(
                condition=models.Q(("geometry__isvalid", True)),
                name="speciesrange_geometry_valid",
                violation_error_message=INVALID,
            ),
        ),
        migrations.AddConstraint(
            model_name="occurrence",
            constraint=ValidGeometryConstraint(
                condition=models.Q(("location__isvalid", True)),
                name="occurrence_location_valid",
                violation_error_message=INVALID,
            ),
        ),
    ]
