"""Occurrences on the map: as the viewer may see them, one feature per record at street
zooms and counted per grid cell below, from the prepared grid (maps.models) when it is
fresh. `count_per_cell` is the one count, read live here and stored by maps.services."""

import datetime
import math

from django.conf import settings
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db import connection, router
from django.db.models import Avg, Count, F, Q, QuerySet, Value
from django.db.models.functions import Floor

from common.dataversion import data_version
from common.sql import PointX, PointY, bbox_polygon, in_view
from maps.models import OccurrenceCell, OccurrenceGridState
from species.models import Occurrence, Species

from .drawing import TILE_SIZE_PX, Detail
from .filters import species_filter

# Below this zoom occurrences come back counted per grid cell (the browser clusters them);
# at and above it, one feature per record.
OCCURRENCE_POINTS_FROM_ZOOM = 10
OCCURRENCE_CELL_PX = 16
# Up to this zoom the counts per cell are read from the prepared grid (maps.models) when it
# is fresh; closer views cover few enough records to count live.
OCCURRENCE_GRID_MAX_ZOOM = 8

# EASE-Grid 2.0 (EPSG:6933), where sensitive points are snapped: cylindrical equal-area with
# standard parallel 30°, on the WGS 84 ellipsoid.
EQUAL_AREA_RADIUS_M = 6_378_137
EQUAL_AREA_STANDARD_PARALLEL = math.radians(30)


def occurrences_matching(params) -> QuerySet[Occurrence]:
    """Published occurrences as this viewer may see them: `shown_location` is generalised for
    sensitive species except where the viewer may see them exactly (species.models). The
    bbox is matched against what is shown, so a tiny box cannot reveal where a sensitive
    record really lies."""
    occurrences = (
        Occurrence.objects.published()
        .with_shown_location(
            exact=params.exact_locations, exact_in_countries=params.exact_location_countries
        )
        .filter(species_filter(params, "species"))
    )
    if params.bbox:
        box = bbox_polygon(params.bbox)
        if params.exact_locations:
            occurrences = occurrences.filter(in_view("location", box))
        else:
            shown_in_box = (Q(species__is_sensitive=False) & in_view("location", box)) | (
                Q(species__is_sensitive=True) & in_view("shown_location", box)
            )
            reach = _true_points_reach(params.bbox)
            if reach is not None:
                # The same records, found through the spatial index: without it the test on
                # the shown (computed) point read all million rows, 1–2 s for any view.
                shown_in_box &= in_view("location", bbox_polygon(reach))
            occurrences = occurrences.filter(shown_in_box)
    if params.years:
        occurrences = occurrences.filter(
            event_date__gte=datetime.date(params.years[0], 1, 1),
            event_date__lte=datetime.date(params.years[1], 12, 31),
        )
    return occurrences


def _true_points_reach(bbox) -> tuple[float, float, float, float] | None:
    """A box holding the true point of every sensitive record whose generalised point lies
    in `bbox`. Snapping moves a point by at most half a cell along each axis of the grid:
    a fixed span of longitude, and of latitude one that grows towards the poles. Twice that,
    for the sphere standing in for the ellipsoid. None near the poles, where it grows fast,
    and at the antimeridian (the caller then does without)."""
    half_cell_m = settings.SENSITIVE_GRID_M / 2
    min_lon, min_lat, max_lon, max_lat = bbox
    poleward = max(abs(min_lat), abs(max_lat)) + 1
    if poleward >= 80:
        return None
    lon_reach = 2 * math.degrees(
        half_cell_m / (EQUAL_AREA_RADIUS_M * math.cos(EQUAL_AREA_STANDARD_PARALLEL))
    )
    lat_reach = 2 * math.degrees(
        half_cell_m
        * math.cos(EQUAL_AREA_STANDARD_PARALLEL)
        / (EQUAL_AREA_RADIUS_M * math.cos(math.radians(poleward)))
    )
    if lat_reach >= 1:  # beyond the degree of latitude allowed for above
        return None
    if min_lon - lon_reach <= -180 or max_lon + lon_reach >= 180:
        return None  # a point snapped across the antimeridian changes the sign of its longitude
    return (min_lon - lon_reach, min_lat - lat_reach, max_lon + lon_reach, max_lat + lat_reach)


def counted_per_cell(params) -> bool:
    return params.zoom is not None and params.zoom < OCCURRENCE_POINTS_FROM_ZOOM


def occurrence_cell_degrees(zoom: int) -> float:
    """The side of a zoom's counting cell in degrees: a power-of-two fraction of 22.5°,
    so each zoom's cells are exactly 2×2 cells of the next."""
    return 360 / (TILE_SIZE_PX * 2**zoom) * OCCURRENCE_CELL_PX


def count_per_cell(occurrences, zoom: int, *, also_by: tuple[str, ...] = ()) -> QuerySet:
    """Occurrences (annotated with `shown_location`) counted per species and cell of the
    zoom's grid, grouped also by `also_by`: rows of (*also_by, species_id, column, row,
    records, lon, lat), where lon/lat is the cell's records' mean point — drawn there, not
    on a visible grid."""
    cell = occurrence_cell_degrees(zoom)
    return (
        occurrences.annotate(
            column=Floor(PointX("shown_location") / Value(cell)),
            row=Floor(PointY("shown_location") / Value(cell)),
        )
        .values(*also_by, "species_id", "column", "row")
        .annotate(
            records=Count("id"),
            lon=Avg(PointX("shown_location")),
            lat=Avg(PointY("shown_location")),
        )
    )


def occurrence_grid_answers(params) -> bool:
    """Whether the prepared grid can answer this view: PostgreSQL only (its triggers keep
    the grid's staleness flag), a stored zoom, no year filter (the grid has no dates), and
    no write to occurrences or species since the last rebuild."""
    return (
        connection.vendor == "postgresql"
        and params.zoom <= OCCURRENCE_GRID_MAX_ZOOM
        and params.years is None
        # The grid counts sensitive points exactly for all countries or for none.
        and not params.exact_location_countries
        and _grid_is_fresh()
    )


# Whether the grid is fresh, per database, kept with the data version it was read at: a
# write to the grid's state changes the data version too (maps is in DATA_VERSION_APPS), so
# the answer kept for a version is exact. A map request has read the version already
# (common.dataversion.request_data_version), so a tile asks the database nothing more.
_grid_fresh_at: dict[str, tuple[int, bool]] = {}


def _grid_is_fresh() -> bool:
    alias = router.db_for_read(OccurrenceGridState) or "default"
    version = data_version()
    known = _grid_fresh_at.get(alias)
    if known is not None and known[0] == version:
        return known[1]
    fresh = OccurrenceGridState.objects.using(alias).filter(stale=False).exists()
    _grid_fresh_at[alias] = (version, fresh)
    return fresh


def prepared_cell_rows(params):
    """The prepared counts, filtered as the live ones: published species only (checked now,
    not when counted), generalised points for the public wherever the species is sensitive,
    and the view matched against each cell's mean point (itself made of shown points)."""
    cells = OccurrenceCell.objects.filter(
        Q(zoom=params.zoom, species__in=Species.objects.published())
        & species_filter(params, "species")
    )
    if params.exact_locations:
        cells = cells.filter(generalised=False)
    else:
        # A species marked sensitive after the last count has no generalised cells yet, so
        # it shows nothing rather than exact points (its edit also marked the grid stale).
        cells = cells.filter(generalised=F("species__is_sensitive"))
    if params.bbox:
        min_lon, min_lat, max_lon, max_lat = params.bbox
        cells = cells.filter(lon__gte=min_lon, lon__lte=max_lon, lat__gte=min_lat, lat__lte=max_lat)
    return cells.values_list("species_id", "lon", "lat", "records").order_by(
        "species_id", "column", "row"
    )


def occurrence_rows(params):
    """Single records at street zooms; counts per grid cell and species below, so a
    whole-region view of a million records stays a few thousand features. Cells are
    grouped by number, so only the groups, not a million points, become GeoJSON."""
    if counted_per_cell(params):
        if occurrence_grid_answers(params):
            return prepared_cell_rows(params)
        return (
            count_per_cell(occurrences_matching(params).order_by(), params.zoom)
            .values_list("species_id", "lon", "lat", "records")
            .order_by("species_id", "column", "row")
        )
    detail = Detail.for_zoom(params.zoom)
    return (
        occurrences_matching(params)
        .order_by()
        .annotate(geojson=AsGeoJSON("shown_location", precision=detail.digits))
        .values_list(
            "id", "species__slug", "species__common_name", "event_date", "count", "geojson"
        )
        .order_by("id")
    )
