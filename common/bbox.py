"""A bounding box given as text, `minlon,minlat,maxlon,maxlat` in WGS 84 degrees: read and
checked in one place for every API that takes one (the map's layers, OGC API – Features and
/api/v1/). Each error says what is wrong and how to write it."""

import math

from django.utils.translation import gettext as _

BoundingBox = tuple[float, float, float, float]


class BoundingBoxError(ValueError):
    """A bbox that cannot be used; its text is the message for the user."""


def bbox_format_message() -> str:
    return _("bbox must be four numbers: minlon,minlat,maxlon,maxlat (WGS 84 degrees).")


def parse_bbox(text: str) -> BoundingBox:
    parts = text.split(",")
    # float() reads other scripts' digits too: ASCII only (two URLs must not mean one thing).
    if len(parts) != 4 or not text.isascii():
        raise BoundingBoxError(bbox_format_message())
    try:
        min_lon, min_lat, max_lon, max_lat = (float(part) for part in parts)
    except ValueError:
        raise BoundingBoxError(bbox_format_message()) from None
    if not all(map(math.isfinite, (min_lon, min_lat, max_lon, max_lat))):
        raise BoundingBoxError(_("bbox must be four finite numbers."))
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise BoundingBoxError(_("bbox longitudes must lie between -180 and 180."))
    if not (-90 <= min_lat <= 90 and -90 <= max_lat <= 90):
        raise BoundingBoxError(_("bbox latitudes must lie between -90 and 90."))
    if min_lon > max_lon or min_lat > max_lat:
        raise BoundingBoxError(
            _("bbox must give the south-west corner first: minlon,minlat,maxlon,maxlat.")
        )
    return (min_lon, min_lat, max_lon, max_lat)
