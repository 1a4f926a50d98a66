"""Reads for the public protected-area pages, and the country outlines every map draws.
Every queryset of records starts from `published()`.

What lives above this app (species, projects) is read by the views through those apps'
selectors: `species.selectors.protected_areas_holding`, `projects.selectors.projects_at`."""

import hashlib
from typing import NamedTuple

from django.contrib.gis.db.models.functions import AsGeoJSON, Intersection, SnapToGrid
from django.core.cache import cache
from django.db.models import Count, F, Max, Prefetch, QuerySet, Value
from django.urls import reverse
from django.utils.translation import get_language, ngettext

from common import geojson
from common.sql import SimplifyForDisplay, SimplifyPreserveTopology, bbox_polygon, in_view

from .models import Country, ProtectedArea, TransboundaryLink


def protected_area_list(*, country: str = "", iucn_category: str = "") -> QuerySet[ProtectedArea]:
    """Published protected areas, filtered by country ISO code and IUCN category. (The list
    page narrows it to a species with `species.selectors.protected_areas_holding`.)"""
    areas = ProtectedArea.objects.published().with_country()
    if country:
        areas = areas.filter(country__iso_a3=country)
    if iucn_category:
        areas = areas.filter(iucn_category=iucn_category)
    return areas.defer("boundary")


# Degrees of tolerance for the boundary on an area's page: its small map opens at zoom 7 at
# most, where a pixel spans about 0.011° of longitude (0.008° of latitude at 45° N), so
# 0.002° (~200 m) changes nothing visible there. The full boundary of a surveyed area runs
# to tens of thousands of vertices and would make the page megabytes; /map/ has the detail.
PAGE_BOUNDARY_TOLERANCE = 0.002


def protected_area_detail_queryset() -> QuerySet[ProtectedArea]:
    """Published areas for their page, with `page_boundary`, the boundary simplified in the
    database for the page's map; the full `boundary` is not read."""
    published_links = TransboundaryLink.objects.published().prefetch_related(
        Prefetch(
            "protected_areas",
            queryset=ProtectedArea.objects.published().with_country().defer("boundary"),
        )
    )
    return (
        ProtectedArea.objects.published()
        .with_country()
        .defer("boundary")
        .annotate(page_boundary=SimplifyPreserveTopology("boundary", PAGE_BOUNDARY_TOLERANCE))
        .prefetch_related(Prefetch("transboundary_links", queryset=published_links))
    )


def transboundary_link_count() -> int:
    return TransboundaryLink.objects.published().count()


# --- Country outlines --------------------------------------------------------------------

# Simplifying the outlines costs far more than anything else on a page or in a map view;
# they change once in years, and a change makes a new cache key (see `country_outlines`).
OUTLINES_CACHE_SECONDS = 24 * 60 * 60


class CountryOutline(NamedTuple):
    pk: int
    iso_a3: str
    name: str  # in the active language
    is_member: bool
    geojson: str


def country_outline_rows(
    *,
    tolerance: float | None,
    digits: int,
    bbox: tuple[float, float, float, float] | None = None,
    members_only: bool = False,
    clip: tuple[float, float, float, float] | None = None,
    keep_valid: bool = False,
) -> QuerySet:
    """The query behind `country_outlines` (the map benchmark runs it as raw SQL)."""
    countries = Country.objects.members() if members_only else Country.objects.all()
    if bbox:
        countries = countries.filter(in_view("boundary", bbox_polygon(bbox)))
    outline = F("boundary")
    if tolerance is not None:
        simplify = SimplifyPreserveTopology if keep_valid or clip else SimplifyForDisplay
        outline = simplify(outline, Value(tolerance))
    if clip:
        outline = Intersection(outline, bbox_polygon(clip))
    return (
        countries.annotate(geojson=AsGeoJSON(outline, precision=digits))
        .values_list("id", "iso_a3", "name", "is_member", "geojson")
        .order_by("id")
    )


def country_outlines(
    *,
    tolerance: float | None,
    digits: int,
    bbox: tuple[float, float, float, float] | None = None,
    members_only: bool = False,
    clip: tuple[float, float, float, float] | None = None,
    keep_valid: bool = False,
) -> list[CountryOutline]:
    """Country outlines as GeoJSON text, simplified in the database (the full outlines run to
    hundreds of thousands of vertices) and cached: the one source of the outlines the map's
    country layer, the admin maps (through that layer) and the pages' small maps draw.

    - `tolerance`: simplification in degrees, None for the stored outline;
    - `digits`: decimals of the coordinates;
    - `bbox`: only countries whose box meets it (min_lon, min_lat, max_lon, max_lat);
    - `members_only`: NEASPEC member states only;
    - `clip`: cut to this box (min_lon, min_lat, max_lon, max_lat);
    - `keep_valid`: simplify keeping polygons valid, as cutting them needs (slower), rather
      than for display only; implied by `clip`.

    The cache key holds a stamp of the table (latest change, number of rows): saving,
    adding or deleting a country makes a new key, so a reload is seen on the next call, in
    every process. (A bulk `update()` leaves the stamp alone: save through the models.)"""
    parameters = {
        "tolerance": tolerance,
        "digits": digits,
        "bbox": bbox,
        "members_only": members_only,
        "clip": clip,
        "keep_valid": keep_valid,
    }
    stamp = Country.objects.aggregate(latest=Max("updated"), rows=Count("id"))
    # Names are translated, so the language is part of the key; hashed to suit any backend.
    identity = repr((stamp["latest"], stamp["rows"], get_language(), sorted(parameters.items())))
    key = "protected_areas:country-outlines:" + hashlib.sha256(identity.encode()).hexdigest()
    return cache.get_or_set(
        key,
        lambda: [CountryOutline(*row) for row in country_outline_rows(**parameters)],
        OUTLINES_CACHE_SECONDS,
    )


# The pages' small maps show North-East Asia: the rest of the Russian Federation's outline
# would only make the page heavier. About 5 km of tolerance, far below what a 300-pixel-wide
# map of the region can show.
PAGE_MAP_REGION = (70.0, 20.0, 180.0, 75.0)
PAGE_MAP_TOLERANCE = 0.08


def page_map_basemap() -> list[str]:
    """The basemap of the pages' small maps: member-state outlines as GeoJSON features of
    kind "country". No query for the shapes once cached."""
    return [
        geojson.feature(outline.geojson, {"kind": "country", "code": outline.iso_a3})
        for outline in country_outlines(
            tolerance=PAGE_MAP_TOLERANCE,
            digits=2,
            members_only=True,
            clip=PAGE_MAP_REGION,
        )
        if outline.geojson
    ]


# The home page's small map draws each published area as a point up to this many; past it
# (a region-wide WDPA import holds tens of thousands) it draws cells of HOME_MAP_CELL_DEGREES
# with their counts, so the page stays small whatever the number of areas.
HOME_MAP_MAX_POINTS = 500
HOME_MAP_CELL_DEGREES = 2.0


def home_map_points() -> list[str]:
    """The published protected areas on the home page's small map, as GeoJSON features: one
    point per area, or, over HOME_MAP_MAX_POINTS areas, one per grid cell saying how many it
    holds and opening the full map there."""
    areas = ProtectedArea.objects.published()
    if areas.count() <= HOME_MAP_MAX_POINTS:
        return [
            geojson.geometry_feature(
                area.location, kind="area", name=area.name, url=area.get_absolute_url()
            )
            for area in areas.defer("boundary")
        ]
    cells = (
        areas.annotate(cell=SnapToGrid("location", HOME_MAP_CELL_DEGREES))
        .values("cell")
        .annotate(areas=Count("pk"))
        .order_by()
    )
    features = []
    for cell in cells:
        point = cell["cell"]
        name = ngettext("%(count)s protected area", "%(count)s protected areas", cell["areas"]) % {
            "count": f"{cell['areas']:,}"
        }
        url = f"{reverse('maps:map')}?lat={point.y:.4f}&lng={point.x:.4f}&z=6"
        features.append(
            geojson.geometry_feature(point, kind="area", name=name, url=url, areas=cell["areas"])
        )
    return features
