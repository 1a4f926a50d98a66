"""The database refuses shapes GEOS calls invalid, whatever path writes them."""

from django.db import migrations, models

from common.geometry import ValidGeometryConstraint

INVALID = "The shape is not valid. Correct the drawing, or tick “repair geometry” to have it repaired automatically."


class Migration(migrations.Migration):
    dependencies = [("projects", "0007_named_spatial_indexes")]

    operations = [
        migrations.AddConstraint(
            model_name="project",
            constraint=ValidGeometryConstraint(
                condition=models.Q(("sites__isvalid", True)),
                name="project_sites_valid",
                violation_error_message=INVALID,
            ),
        ),
    ]
