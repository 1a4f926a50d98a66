"""A row with a boundary has its computed area and a location (0009 filled in the rows
that lacked them): the map and dashboards read them without a fallback."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('protected_areas', '0009_derived_values_of_rows_that_skipped_clean'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='protectedarea',
            constraint=models.CheckConstraint(condition=models.Q(('boundary__isnull', True), models.Q(('computed_area_km2__isnull', False), ('location__isnull', False)), _connector='OR'), name='protectedarea_boundary_derived_values'),
        ),
    ]
