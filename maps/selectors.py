"""Reads behind the map: one function per layer, each returning GeoJSON features built by
the database (simplified to the zoom, rounded to its precision) in a fixed number of queries.

The same SQL functions (simplification, ST_X/ST_Y, AsGeoJSON) exist in
PostGIS and SpatiaLite, so `make run` on SpatiaLite draws the same map as production."""

import datetime
import hashlib
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from json.encoder import encode_basestring

from django.conf import settings
from django.contrib.gis.db.models import Extent, GeometryField
from django.contrib.gis.db.models.functions import AsGeoJSON, Envelope
from django.contrib.gis.geos import Polygon
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Floor, NullIf
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname, resolution_order
from modeltranslation.utils import get_language as translated_language

from common.models import PublicationState
from maps.models import OccurrenceCell, OccurrenceGridState
from projects.models import Project
from protected_areas.models import BoundaryQuality, Country, ProtectedArea, TransboundaryLink
from species.models import Occurrence, PopulationEstimate, Species, SpeciesRange

TILE_SIZE_PX = 256
# Web Mercator stretches latitude: at 45° N a pixel spans ~0.7 of its equatorial width in
# degrees. Simplifying to a third of an equatorial pixel keeps every change under half a
# pixel across the region (20°–55° N), i.e. invisible.
TOLERANCE_PX = 0.35
# Below this many pixels across, a polygon is drawn as its representative point instead.
POINT_BELOW_PX = 3
# Kilometres per degree of longitude at 45° N, the middle of the region.
KM_PER_DEGREE = 78.7
# Below this zoom occurrences come back counted per grid cell (the browser clusters them);
# at and above it, one feature per record.
OCCURRENCE_POINTS_FROM_ZOOM = 10
OCCURRENCE_CELL_PX = 16
# Up to this zoom the counts per cell are read from the prepared grid (maps.models) when it
# is fresh; closer views cover few enough records to count live.
OCCURRENCE_GRID_MAX_ZOOM = 8
FULL_PRECISION_DIGITS = 6
COUNTRIES_CACHE_SECONDS = 24 * 60 * 60

LAYERS = (
    "countries",
    "protected-areas",
    "transboundary",
    "species-ranges",
    "occurrences",
    "projects",
)


class SimplifyForDisplay(Func):
    """Douglas-Peucker simplification for drawing. PostGIS's own ST_Simplify (keeping parts
    that would collapse) ran ~20 times faster on 300-vertex boundaries than GEOS's
    topology-preserving variant, whose guarantee (a valid polygon) no map view needs within
    a third of a pixel. SpatiaLite's ST_Simplify has no such option: it keeps the variant
    that never drops a small part."""

    function = "ST_Simplify"
    output_field = GeometryField(srid=4326)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="%(function)s(%(expressions)s, true)", **extra_context
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, function="ST_SimplifyPreserveTopology", **extra_context
        )


class BoxSpan(Func):
    """The larger side of a geometry's bounding box, in degrees."""

    output_field = FloatField()
    template = (
        "GREATEST(ST_XMax(%(expressions)s) - ST_XMin(%(expressions)s), "
        "ST_YMax(%(expressions)s) - ST_YMin(%(expressions)s))"
    )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template=(
                "MAX(MbrMaxX(%(expressions)s) - MbrMinX(%(expressions)s), "
                "MbrMaxY(%(expressions)s) - MbrMinY(%(expressions)s))"
            ),
            **extra_context,
        )


@dataclass(frozen=True)
class Detail:
    """How finely to draw at a zoom: simplification tolerance and rounding, in degrees."""

    tolerance: float | None
    digits: int
    degrees_per_pixel: float | None

    @classmethod
    def for_zoom(cls, zoom: int | None) -> "Detail":
        if zoom is None:
            return cls(tolerance=None, digits=FULL_PRECISION_DIGITS, degrees_per_pixel=None)
        degrees_per_pixel = 360 / (TILE_SIZE_PX * 2**zoom)
        # Enough decimals that rounding moves a vertex by at most a tenth of a pixel.
        digits = min(FULL_PRECISION_DIGITS, max(0, math.ceil(-math.log10(degrees_per_pixel / 10))))
        return cls(
            tolerance=degrees_per_pixel * TOLERANCE_PX,
            digits=digits,
            degrees_per_pixel=degrees_per_pixel,
        )

    def simplified(self, field: str):
        if self.tolerance is None:
            return F(field)
        return SimplifyForDisplay(F(field), Value(self.tolerance))


def _translated(field: str) -> Coalesce:
    """What modeltranslation reads as `field` (the active language, else each fallback
    language, where not empty), computed by the database. Its own fallback runs in Python
    for every row and cost more than the whole query for the 13,000 protected areas of a
    region view; read this with the queryset's `rewrite(False)`."""
    return Coalesce(
        *[
            NullIf(F(build_localized_fieldname(field, language)), Value(""))
            for language in resolution_order(translated_language())
        ],
        Value(""),
        output_field=CharField(),
    )


def _bbox_polygon(bbox):
    return Polygon.from_bbox(bbox) if bbox else None


def _in_view(field: str, box) -> Q:
    """The feature's bounding box meets the view's. PostGIS `&&` (Django's `bboverlaps`) is
    exactly that; on SpatiaLite Django's `bboverlaps` is MbrOverlaps, which is false when the
    feature's box *contains* the view — a country or a park you have zoomed into — so
    containment is added there."""
    in_view = Q(**{f"{field}__bboverlaps": box})
    if connection.vendor == "sqlite":
        in_view |= Q(**{f"{field}__bbcontains": box})
    return in_view


class _UrlPattern:
    """Reverse a detail URL once and fill in each key: reversing per feature would cost
    more than building the feature."""

    PLACEHOLDER = "9876543210"

    def __init__(self, viewname: str):
        self.prefix, _, self.suffix = reverse(viewname, args=[self.PLACEHOLDER]).partition(
            self.PLACEHOLDER
        )

    def __call__(self, key) -> str:
        return f"{self.prefix}{key}{self.suffix}"


# One encoder for every feature: json.dumps with options builds a new one on each call.
_properties_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _feature(geometry_json: str, properties: dict) -> str:
    return (
        '{"type":"Feature","geometry":'
        + geometry_json
        + ',"properties":'
        + _properties_json(properties)
        + "}"
    )


def _text(value: str | None) -> str:
    """A JSON string (or null) written as the encoder writes it. The layers with thousands
    of features write their properties with it: a dict per feature for the encoder cost
    more than the rest of building the response."""
    return "null" if value is None else encode_basestring(value)


def feature_collection(features: Iterable[str]) -> str:
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


# --- Filters shared by the layers --------------------------------------------------------


def protected_areas_matching(params) -> QuerySet:
    """Published protected areas matching the species, country and project filters."""
    areas = ProtectedArea.objects.published()
    if params.countries:
        areas = areas.filter(country__iso_a3__in=params.countries)
    if params.species:
        areas = areas.filter(
            Exists(
                Occurrence.objects.published().filter(
                    protected_area=OuterRef("pk"), species__slug__in=params.species
                )
            )
            | Exists(
                PopulationEstimate.objects.published().filter(
                    protected_area=OuterRef("pk"), species__slug__in=params.species
                )
            )
            | Exists(
                Project.objects.published().filter(
                    protected_areas=OuterRef("pk"), species__slug__in=params.species
                )
            )
        )
    if params.project:
        areas = areas.filter(
            Exists(
                Project.objects.published().filter(
                    protected_areas=OuterRef("pk"), slug=params.project
                )
            )
        )
    return areas


def _species_filter(params, species_path: str) -> Q:
    """Species records (ranges, occurrences) matching the filters, through `species_path`."""
    condition = Q()
    if params.species:
        condition &= Q(**{f"{species_path}__slug__in": params.species})
    if params.countries:
        condition &= Q(
            Exists(
                Species.range_countries.through.objects.filter(
                    species=OuterRef(species_path), country__iso_a3__in=params.countries
                )
            )
        )
    if params.project:
        condition &= Q(
            Exists(
                Project.species.through.objects.filter(
                    species=OuterRef(species_path),
                    project__slug=params.project,
                    project__publication_state=PublicationState.PUBLISHED,
                )
            )
        )
    return condition


# --- Layers ------------------------------------------------------------------------------


def country_rows(params):
    """Country boundaries: the basemap when tiles are off. Reference data, so the record
    filters do not apply; the browser highlights the filtered countries itself."""
    detail = Detail.for_zoom(params.zoom)
    countries = Country.objects.all()
    if params.bbox:
        countries = countries.filter(_in_view("boundary", _bbox_polygon(params.bbox)))
    return (
        countries.annotate(
            geojson=AsGeoJSON(detail.simplified("boundary"), precision=detail.digits)
        )
        .values_list("id", "iso_a3", "name", "is_member", "geojson")
        .order_by("id")
    )


def countries_layer(params) -> list[str]:
    """Natural Earth boundaries change once in years but are costly to simplify, so each
    zoom's result is kept in the cache under the table's fingerprint."""
    fingerprint = Country.objects.aggregate(latest=Max("updated"), rows=Count("id"))
    # Names are translated, so the language is part of the key; hashed to suit any backend.
    identity = (
        f"{fingerprint['latest']}|{fingerprint['rows']}|{get_language()}|{params.cache_key()}"
    )
    key = "maps:countries:" + hashlib.sha256(identity.encode()).hexdigest()
    features = cache.get(key)
    if features is None:
        features = [
            _feature(geojson, {"id": pk, "name": name, "country": iso_a3, "member": is_member})
            for pk, iso_a3, name, is_member, geojson in country_rows(params)
        ]
        cache.set(key, features, timeout=COUNTRIES_CACHE_SECONDS)
    return features


def protected_area_rows(params):
    """Each area's shape simplified to the zoom, or its point when it would be a speck.

    A speck is known from the stored area where there is one, and is found in the view by
    its point: reading small columns spares the database from loading (de-TOASTing)
    hundreds of boundary vertices for each of thousands of areas at low zoom."""
    detail = Detail.for_zoom(params.zoom)
    areas = protected_areas_matching(params)
    if detail.degrees_per_pixel is None:
        is_speck = Q(pk__in=[])
        not_speck = Q()
    else:
        speck_km2 = (detail.degrees_per_pixel * KM_PER_DEGREE * POINT_BELOW_PX) ** 2
        is_speck = Q(location__isnull=False, computed_area_km2__lt=speck_km2)
        not_speck = (
            Q(location__isnull=True)
            | Q(computed_area_km2__isnull=True)
            | Q(computed_area_km2__gte=speck_km2)
        )
    if params.bbox:
        box = _bbox_polygon(params.bbox)
        areas = areas.filter(
            (is_speck & _in_view("location", box))
            | (not_speck & _in_view("boundary", box))
            | (Q(boundary__isnull=True) & _in_view("location", box))
        )
    if detail.degrees_per_pixel is None:
        geometry = Case(
            When(boundary__isnull=True, then=F("location")),
            default=F("boundary"),
            output_field=GeometryField(srid=4326),
        )
    else:
        geometry = Case(
            When(boundary__isnull=True, then=F("location")),
            When(is_speck, then=F("location")),
            # Areas entered without going through clean() have no stored area: measure.
            When(
                Q(location__isnull=False, computed_area_km2__isnull=True)
                & Q(span__lt=detail.degrees_per_pixel * POINT_BELOW_PX),
                then=F("location"),
            ),
            default=detail.simplified("boundary"),
            output_field=GeometryField(srid=4326),
        )
    return (
        areas.rewrite(False)
        .annotate(
            span=BoxSpan(F("boundary")),
            label=_translated("name"),
            geojson=AsGeoJSON(geometry, precision=detail.digits),
        )
        .values_list(
            "id", "label", "country__iso_a3", "iucn_category", "boundary_quality", "geojson"
        )
        .order_by("id")
    )


def protected_areas_layer(params) -> list[str]:
    rows = protected_area_rows(params)
    url = _UrlPattern("protected_areas:detail")
    approximate = BoundaryQuality.APPROXIMATE
    return [
        f'{{"type":"Feature","geometry":{geojson},"properties":{{"id":{pk},"name":{_text(name)},'
        f'"country":{_text(iso_a3)},"category":{_text(category)},"approximate":'
        f'{"true" if quality == approximate else "false"},"url":{_text(url(pk))}}}}}'
        for pk, name, iso_a3, category, quality, geojson in rows
    ]


def transboundary_layer(params) -> list[str]:
    """Each complex as a line joining its published members (west to east), with the
    member ids so the browser can highlight them in the protected-area layer."""
    detail = Detail.for_zoom(params.zoom)
    links = {
        link.pk: link
        for link in TransboundaryLink.objects.published()
        .filter(
            Exists(
                TransboundaryLink.protected_areas.through.objects.filter(
                    transboundarylink=OuterRef("pk"),
                    protectedarea__in=protected_areas_matching(params),
                )
            )
        )
        .only("id", "name", "slug", "cooperation_status")
    }
    members: dict[int, list] = {pk: [] for pk in links}
    for link_id, area_id, location, iso_a3 in (
        TransboundaryLink.protected_areas.through.objects.filter(
            transboundarylink__in=links,
            protectedarea__publication_state=PublicationState.PUBLISHED,
            protectedarea__location__isnull=False,
        )
        .values_list(
            "transboundarylink_id",
            "protectedarea_id",
            "protectedarea__location",
            "protectedarea__country__iso_a3",
        )
        .order_by("pk")
    ):
        members[link_id].append((location.x, location.y, area_id, iso_a3))
    features = []
    for link_id, points in members.items():
        if len(points) < 2:
            continue
        points.sort()
        if params.bbox and not _extent_overlaps(points, params.bbox):
            continue
        coordinates = [[round(x, detail.digits), round(y, detail.digits)] for x, y, _, _ in points]
        link = links[link_id]
        geometry = json.dumps(
            {"type": "LineString", "coordinates": coordinates}, separators=(",", ":")
        )
        features.append(
            _feature(
                geometry,
                {
                    "id": link.pk,
                    "name": link.name,
                    "country": sorted({iso for _, _, _, iso in points}),
                    "category": link.cooperation_status,
                    "members": [area_id for _, _, area_id, _ in points],
                },
            )
        )
    return features


def _extent_overlaps(points, bbox) -> bool:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return not (max(xs) < bbox[0] or min(xs) > bbox[2] or max(ys) < bbox[1] or min(ys) > bbox[3])


def species_ranges_layer(params) -> list[str]:
    detail = Detail.for_zoom(params.zoom)
    ranges = SpeciesRange.objects.published().filter(_species_filter(params, "species"))
    if params.bbox:
        ranges = ranges.filter(_in_view("geometry", _bbox_polygon(params.bbox)))
    rows = (
        ranges.annotate(geojson=AsGeoJSON(detail.simplified("geometry"), precision=detail.digits))
        .values_list(
            "id",
            "species__slug",
            "species__common_name",
            "species__iucn_category",
            "species__movement",
            "season",
            "boundary_quality",
            "geojson",
        )
        .order_by("id")
    )
    url = _UrlPattern("species:detail")
    return [
        _feature(
            geojson,
            {
                "id": pk,
                "name": name,
                "species": slug,
                "category": red_list,
                "season": season,
                "migratory": movement == "migratory",
                "approximate": quality == BoundaryQuality.APPROXIMATE,
                "url": url(slug),
            },
        )
        for pk, slug, name, red_list, movement, season, quality, geojson in rows
    ]


def _occurrences_matching(params):
    """Published occurrences as this viewer may see them: `shown_location` is generalised for
    sensitive species unless the viewer is staff. The bbox is matched against what is shown,
    so a tiny box cannot reveal where a sensitive record really lies."""
    occurrences = (
        Occurrence.objects.published()
        .with_shown_location(exact=params.exact_locations)
        .filter(_species_filter(params, "species"))
    )
    if params.bbox:
        box = _bbox_polygon(params.bbox)
        if params.exact_locations:
            occurrences = occurrences.filter(_in_view("location", box))
        else:
            shown_in_box = Q(species__is_sensitive=False, location__bboverlaps=box) | Q(
                species__is_sensitive=True, shown_location__bboverlaps=box
            )
            reach = _true_points_reach(params.bbox)
            if reach is not None:
                # The same records, found through the spatial index: without it the test on
                # the shown (computed) point read all million rows, 1–2 s for any view.
                shown_in_box &= _in_view("location", Polygon.from_bbox(reach))
            occurrences = occurrences.filter(shown_in_box)
    if params.years:
        occurrences = occurrences.filter(
            event_date__gte=datetime.date(params.years[0], 1, 1),
            event_date__lte=datetime.date(params.years[1], 12, 31),
        )
    return occurrences


# EASE-Grid 2.0 (EPSG:6933), where sensitive points are snapped: cylindrical equal-area with
# standard parallel 30°, on the WGS 84 ellipsoid.
EQUAL_AREA_RADIUS_M = 6_378_137
EQUAL_AREA_STANDARD_PARALLEL = math.radians(30)


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


def _occurrences_counted_per_cell(params) -> bool:
    return params.zoom is not None and params.zoom < OCCURRENCE_POINTS_FROM_ZOOM


class PointX(Func):
    function = "ST_X"
    output_field = FloatField()


class PointY(Func):
    function = "ST_Y"
    output_field = FloatField()


def occurrence_cell_degrees(zoom: int) -> float:
    """The side of a zoom's counting cell in degrees: a power-of-two fraction of 22.5°,
    so each zoom's cells are exactly 2×2 cells of the next."""
    return 360 / (TILE_SIZE_PX * 2**zoom) * OCCURRENCE_CELL_PX


def _occurrence_grid_answers(params) -> bool:
    """Whether the prepared grid can answer this view: PostgreSQL only (its triggers keep
    the grid's staleness flag), a stored zoom, no year filter (the grid has no dates), and
    no write to occurrences or species since the last rebuild."""
    return (
        connection.vendor == "postgresql"
        and params.zoom <= OCCURRENCE_GRID_MAX_ZOOM
        and params.years is None
        and OccurrenceGridState.objects.filter(stale=False).exists()
    )


def _occurrence_cells(params):
    """The prepared counts, filtered as the live ones: published species only (checked now,
    not when counted), generalised points for the public wherever the species is sensitive,
    and the view matched against each cell's mean point (itself made of shown points)."""
    cells = OccurrenceCell.objects.filter(
        Q(zoom=params.zoom, species__in=Species.objects.published())
        & _species_filter(params, "species")
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
    detail = Detail.for_zoom(params.zoom)
    if _occurrences_counted_per_cell(params) and _occurrence_grid_answers(params):
        return _occurrence_cells(params)
    occurrences = _occurrences_matching(params).order_by()
    if _occurrences_counted_per_cell(params):
        cell = occurrence_cell_degrees(params.zoom)
        return (
            occurrences.annotate(
                column=Floor(PointX("shown_location") / Value(cell)),
                row=Floor(PointY("shown_location") / Value(cell)),
            )
            .values("species_id", "column", "row")
            .annotate(
                records=Count("id"),
                lon=Avg(PointX("shown_location")),
                lat=Avg(PointY("shown_location")),
            )
            .values_list("species_id", "lon", "lat", "records")
            .order_by("species_id", "column", "row")
        )
    return (
        occurrences.annotate(geojson=AsGeoJSON("shown_location", precision=detail.digits))
        .values_list(
            "id", "species__slug", "species__common_name", "event_date", "count", "geojson"
        )
        .order_by("id")
    )


def occurrences_layer(params) -> list[str]:
    rows = occurrence_rows(params)
    if _occurrences_counted_per_cell(params):
        detail = Detail.for_zoom(params.zoom)
        # The end of each feature, per species: only the point and the count vary.
        properties = {
            pk: f',"properties":{{"name":{_text(name)},"species":{_text(slug)},"count":'
            for pk, slug, name in Species.objects.published().values_list(
                "id", "slug", "common_name"
            )
        }
        digits = detail.digits
        # Drawn where the cell's records are on average, not on a visible grid.
        return [
            f'{{"type":"Feature","geometry":{{"type":"Point","coordinates":'
            f"[{round(lon, digits)!r}, {round(lat, digits)!r}]}}"
            f"{properties[species_id]}{records}}}}}"
            for species_id, lon, lat, records in rows
        ]
    return [
        _feature(
            geojson,
            {
                "id": pk,
                "name": name,
                "species": slug,
                "year": event_date.year,
                "count": count or 1,
            },
        )
        for pk, slug, name, event_date, count, geojson in rows
    ]


def projects_layer(params) -> list[str]:
    """Project sites; a project without drawn sites is shown at its published protected
    areas, so every published project with a place appears on the map."""
    detail = Detail.for_zoom(params.zoom)
    project_areas = Project.protected_areas.through.objects.filter(
        project=OuterRef("pk"),
        protectedarea__publication_state=PublicationState.PUBLISHED,
        protectedarea__location__isnull=False,
    )
    projects = Project.objects.published().filter(Q(sites__isnull=False) | Exists(project_areas))
    if params.bbox:
        box = _bbox_polygon(params.bbox)
        projects = projects.filter(
            _in_view("sites", box)
            | Q(sites__isnull=True)
            & Exists(project_areas.filter(_in_view("protectedarea__location", box)))
        )
    if params.countries:
        projects = projects.filter(
            Exists(
                Project.countries.through.objects.filter(
                    project=OuterRef("pk"), country__iso_a3__in=params.countries
                )
            )
        )
    if params.species:
        projects = projects.filter(
            Exists(
                Project.species.through.objects.filter(
                    project=OuterRef("pk"), species__slug__in=params.species
                )
            )
        )
    if params.project:
        projects = projects.filter(slug=params.project)
    rows = list(
        projects.annotate(geojson=AsGeoJSON("sites", precision=detail.digits))
        .values_list("id", "slug", "acronym", "title", "status", "geojson")
        .order_by("id")
    )
    area_points: dict[int, list] = {}
    without_sites = [row[0] for row in rows if row[5] is None]
    if without_sites:
        for project_id, location in (
            Project.protected_areas.through.objects.filter(
                project__in=without_sites,
                protectedarea__publication_state=PublicationState.PUBLISHED,
                protectedarea__location__isnull=False,
            )
            .values_list("project_id", "protectedarea__location")
            .order_by("pk")
        ):
            area_points.setdefault(project_id, []).append(
                [round(location.x, detail.digits), round(location.y, detail.digits)]
            )
    url = _UrlPattern("projects:detail")
    return [
        _feature(
            geojson
            or json.dumps(
                {"type": "MultiPoint", "coordinates": area_points.get(pk, [])},
                separators=(",", ":"),
            ),
            {
                "id": pk,
                "name": acronym or title,
                "title": title,
                "category": status,
                "url": url(slug),
            },
        )
        for pk, slug, acronym, title, status, geojson in rows
    ]


# The main query of each layer that has one, for the benchmark's raw-SQL comparison.
LAYER_ROWS = {
    "countries": country_rows,
    "protected-areas": protected_area_rows,
    "occurrences": occurrence_rows,
}

LAYER_FEATURES = {
    "countries": countries_layer,
    "protected-areas": protected_areas_layer,
    "transboundary": transboundary_layer,
    "species-ranges": species_ranges_layer,
    "occurrences": occurrences_layer,
    "projects": projects_layer,
}

# --- Search and feature details ----------------------------------------------------------

SEARCH_LIMIT = 8


def _geojson_extent(geojson: str | None) -> list[float] | None:
    if not geojson:
        return None
    coordinates = json.loads(geojson)["coordinates"]
    flat = coordinates if isinstance(coordinates[0], (int, float)) else None
    if flat is not None:
        return [flat[0], flat[1], flat[0], flat[1]]
    xs = [x for x, _ in coordinates[0]]
    ys = [y for _, y in coordinates[0]]
    return [min(xs), min(ys), max(xs), max(ys)]


def map_search(query: str) -> list[dict]:
    """Published protected areas and species whose name, in any language the record holds,
    contains `query`, each with the extent to zoom to. Three queries whatever the hits."""
    area_rows = (
        ProtectedArea.objects.published()
        .filter(Q(name__icontains=query) | Q(name_local__icontains=query))
        .annotate(
            box=AsGeoJSON(
                Envelope(Coalesce("boundary", "location", output_field=GeometryField(srid=4326)))
            )
        )
        .values_list("id", "name", "name_local", "country__iso_a3", "box")
        .order_by("name")[:SEARCH_LIMIT]
    )
    area_url = _UrlPattern("protected_areas:detail")
    results = [
        {
            "kind": "protected-area",
            "layer": "protected-areas",
            "id": pk,
            "name": name,
            "name_local": name_local,
            "country": iso_a3,
            "bbox": _geojson_extent(box),
            "url": area_url(pk),
        }
        for pk, name, name_local, iso_a3, box in area_rows
    ]
    species = list(
        Species.objects.published()
        .filter(
            Q(common_name__icontains=query)
            | Q(scientific_name__icontains=query)
            | Q(slug__icontains=query)
        )
        .values_list("id", "slug", "common_name", "scientific_name")
        .order_by("common_name")[:SEARCH_LIMIT]
    )
    extents: dict[int, list[float]] = {}
    for model, field in ((SpeciesRange, "geometry"), (Occurrence, "location")):
        for species_id, extent in (
            model.objects.filter(species__in=[row[0] for row in species])
            .values("species")
            .annotate(extent=Extent(field))
            .values_list("species", "extent")
            .order_by()
        ):
            if extent is None:
                continue
            known = extents.get(species_id)
            extents[species_id] = (
                list(extent)
                if known is None
                else [
                    min(known[0], extent[0]),
                    min(known[1], extent[1]),
                    max(known[2], extent[2]),
                    max(known[3], extent[3]),
                ]
            )
    species_url = _UrlPattern("species:detail")
    results += [
        {
            "kind": "species",
            "layer": "species",
            "id": pk,
            "slug": slug,
            "name": common_name,
            "name_local": scientific_name,
            "bbox": extents.get(pk),
            "url": species_url(slug),
        }
        for pk, slug, common_name, scientific_name in species
    ]
    return results


def _fact(label: str, value) -> list | None:
    return [label, str(value)] if value not in (None, "", []) else None


def _protected_area_details(pk: int) -> dict | None:
    area = (
        ProtectedArea.objects.published()
        .select_related("country")
        .filter(pk=pk)
        .defer("boundary", "location", "country__boundary")
        .first()
    )
    if area is None:
        return None
    area_km2 = area.reported_area_km2 or area.computed_area_km2
    return {
        "title": area.name,
        "subtitle": area.name_local,
        "facts": [
            _fact(_("Country"), area.country.name),
            _fact(_("Designation"), area.designation),
            _fact(_("IUCN category"), area.get_iucn_category_display()),
            _fact(_("Established"), area.status_year),
            _fact(_("Area"), f"{area_km2:,.0f} km²" if area_km2 else None),
            _fact(_("Boundary"), area.get_boundary_quality_display()),
        ],
        "url": area.get_absolute_url(),
        "admin_url": reverse("admin:protected_areas_protectedarea_change", args=[area.pk]),
    }


def _transboundary_details(pk: int) -> dict | None:
    link = (
        TransboundaryLink.objects.published()
        .filter(pk=pk)
        .prefetch_related(_published_members_prefetch())
        .first()
    )
    if link is None:
        return None
    return {
        "title": link.name,
        "subtitle": _("Transboundary complex"),
        "facts": [
            _fact(_("Cooperation"), link.get_cooperation_status_display()),
            _fact(_("Agreement"), link.agreement_name),
            _fact(_("Agreement year"), link.agreement_year),
        ],
        "members": [
            {"id": area.pk, "name": area.name, "url": area.get_absolute_url()}
            for area in link.protected_areas.all()
        ],
        "url": None,
        "admin_url": reverse("admin:protected_areas_transboundarylink_change", args=[link.pk]),
    }


def _species_details(species: Species | None) -> dict | None:
    if species is None:
        return None
    return {
        "title": species.common_name,
        "subtitle": species.scientific_name,
        "facts": [
            _fact(_("Red List"), species.get_iucn_category_display()),
            _fact(_("Trend"), species.get_iucn_trend_display()),
            _fact(_("Movement"), species.get_movement_display()),
        ],
        "url": species.get_absolute_url(),
        "admin_url": reverse("admin:species_species_change", args=[species.pk]),
    }


def _project_details(pk: int) -> dict | None:
    project = Project.objects.published().filter(pk=pk).defer("sites").first()
    if project is None:
        return None
    return {
        "title": project.title,
        "subtitle": project.acronym,
        "facts": [
            _fact(_("Status"), project.get_status_display()),
            _fact(_("Period"), project.period),
            _fact(_("Summary"), project.summary),
        ],
        "url": project.get_absolute_url(),
        "admin_url": reverse("admin:projects_project_change", args=[project.pk]),
    }


def _species_of_record(model, pk: int) -> Species | None:
    record = model.objects.published().select_related("species").filter(pk=pk).first()
    return record.species if record else None


DETAIL_READERS = {
    "protected-areas": _protected_area_details,
    "transboundary": _transboundary_details,
    "species": lambda pk: _species_details(Species.objects.published().filter(pk=pk).first()),
    "species-ranges": lambda pk: _species_details(_species_of_record(SpeciesRange, pk)),
    "occurrences": lambda pk: _species_details(_species_of_record(Occurrence, pk)),
    "projects": _project_details,
}


def feature_details(layer: str, pk: int) -> dict | None:
    """Key facts about one published feature for the details panel, or None."""
    details = DETAIL_READERS[layer](pk)
    if details is None:
        return None
    details["facts"] = [fact for fact in details["facts"] if fact]
    return {"layer": layer, "id": pk, **details}


def _published_members_prefetch():
    return Prefetch(
        "protected_areas",
        queryset=ProtectedArea.objects.published().only("id", "name").order_by("name"),
    )
