"""GeoJSON for the small maps of the public pages, built on the server and embedded in the
page (no API call, nothing from another host)."""

import json

from django.contrib.gis.db.models.functions import AsGeoJSON, Intersection
from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.core.cache import cache

from common.geometry import STORAGE_SRID, SimplifyPreserveTopology
from protected_areas.models import Country

# Degrees of tolerance when simplifying member-state outlines for a thumbnail-sized map:
# about 5 km, far below what a 300-pixel-wide map of North-East Asia can show.
COUNTRY_OUTLINE_TOLERANCE = 0.08
# The maps show North-East Asia; the rest of the Russian Federation's outline would only
# make the page heavier.
REGION_BBOX = (70.0, 20.0, 180.0, 75.0)


def _region() -> Polygon:
    region = Polygon.from_bbox(REGION_BBOX)
    region.srid = STORAGE_SRID
    return region


# Simplifying the outlines costs far more than the rest of a page; they change only when
# the Natural Earth data is reloaded, so a cached copy may lag by this many seconds.
COUNTRY_OUTLINES_CACHE_SECONDS = 60 * 60


def member_country_features() -> list[dict]:
    """Member-state outlines, simplified in the database (the full outlines run to hundreds
    of thousands of vertices) and cached. At most one query."""
    return cache.get_or_set(
        "common.maps.member_country_features",
        _member_country_features,
        COUNTRY_OUTLINES_CACHE_SECONDS,
    )


def _member_country_features() -> list[dict]:
    rows = (
        Country.objects.members()
        .annotate(
            outline=AsGeoJSON(
                Intersection(
                    SimplifyPreserveTopology("boundary", COUNTRY_OUTLINE_TOLERANCE),
                    _region(),
                ),
                precision=2,
            )
        )
        .values_list("iso_a3", "outline")
    )
    return [
        {
            "type": "Feature",
            "geometry": json.loads(outline),
            "properties": {"kind": "country", "code": iso_a3},
        }
        for iso_a3, outline in rows
        if outline
    ]


def feature(geometry: GEOSGeometry | None, **properties) -> dict | None:
    if geometry is None or geometry.empty:
        return None
    return {
        "type": "Feature",
        "geometry": json.loads(geometry.json),
        "properties": properties,
    }


def feature_collection(*feature_lists) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [f for features in feature_lists for f in features if f is not None],
    }
