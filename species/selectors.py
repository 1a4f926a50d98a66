from django.conf import settings
from django.contrib.gis.geos import Point

from common.geometry import snap_to_equal_area_grid

from .models import Occurrence, sees_exact_locations


def occurrence_location_for(user, occurrence: Occurrence) -> Point:
    """The position of one occurrence as this user may see it: exact for staff; for anyone
    else, generalised to the equal-area grid when its species is sensitive. The same rule as
    `Occurrence.objects.for_viewer(user)` (use that for lists: it works in the database)."""
    if sees_exact_locations(user) or not occurrence.species.is_sensitive:
        return occurrence.location
    return snap_to_equal_area_grid(occurrence.location, settings.SENSITIVE_GRID_M)
