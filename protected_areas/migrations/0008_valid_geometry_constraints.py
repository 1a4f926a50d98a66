"""The database refuses shapes GEOS calls invalid, whatever path writes them."""

from django.db import migrations, models

from common.geometry import ValidGeometryConstraint

INVALID = "The shape is not valid. Correct the drawing, or tick “repair geometry” to have it repaired automatically."


class Migration(migrations.Migration):
    dependencies = [("protected_areas", "0007_named_spatial_indexes")]

    operations = [
        migrations.AddConstraint(
            model_name="country",
            constraint=ValidGeometryConstraint(
                condition=models.Q(("boundary__isvalid", True)),
                name="country_boundary_valid",
                violation_error_message=INVALID,
            ),
        ),
        migrations.AddConstraint(
            model_name="protectedarea",
            constraint=ValidGeometryConstraint(
                condition=models.Q(("boundary__isvalid", True)),
                name="protectedarea_boundary_valid",
                violation_error_message=INVALID,
            ),
        ),
        migrations.AddConstraint(
            model_name="protectedarea",
            constraint=ValidGeometryConstraint(
                condition=models.Q(("location__isvalid", True)),
                name="protectedarea_location_valid",
                violation_error_message=INVALID,
            ),
        ),
    ]
