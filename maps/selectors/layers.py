"""The map's layers: one function per layer, each returning its GeoJSON features (text, for
common.geojson.feature_collection) in a fixed number of queries, and `layer_collection`,
the whole collection of a layer as the API sends it."""

import dataclasses
import functools

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db import connections, router
from django.db.models import Case, Exists, F, OuterRef, Q, When
from django.urls import get_script_prefix
from django.utils.translation import get_language

from common import geojson
from common.geojson_sql import feature_collection_sql, json_boolean, json_text
from common.models import PublicationState
from common.sql import BOX_PLACEHOLDER, bbox_polygon, bind_box, in_view, translated
from projects.models import Project
from protected_areas.models import BoundaryQuality, ProtectedArea, TransboundaryLink
from protected_areas.selectors import country_outline_rows, country_outlines
from species.models import Species, SpeciesRange

from .drawing import KM_PER_DEGREE, POINT_BELOW_PX, Detail, UrlPattern
from .filters import protected_areas_matching, species_filter
from .occurrences import counted_per_cell, occurrence_rows

LAYERS = (
    "countries",
    "protected-areas",
    "transboundary",
    "species-ranges",
    "occurrences",
    "projects",
)


def _outline_parameters(params) -> dict:
    """Outlines simplified to the zoom and cut to the view's box, so a view receives only
    the outlines it shows (the whole world's were 2.6 MB raw at the first view). The map
    asks with a box snapped to the zoom's tiles, so views share cached answers."""
    detail = Detail.for_zoom(params.zoom)
    return {
        "tolerance": detail.tolerance,
        "digits": detail.digits,
        "bbox": params.bbox,
        "clip": params.bbox,
    }


def country_rows(params):
    return country_outline_rows(**_outline_parameters(params))


def countries_layer(params) -> list[str]:
    """Country boundaries: the basemap when tiles are off, and the reference under the admin
    maps (static/js/admin/reference_layers.js). Reference data, so the record filters do
    not apply; the browser highlights the filtered countries itself. Cached with the
    outlines (protected_areas.selectors.country_outlines)."""
    return [
        geojson.feature(
            outline.geojson,
            {
                "id": outline.pk,
                "name": outline.name,
                "country": outline.iso_a3,
                "member": outline.is_member,
            },
        )
        for outline in country_outlines(**_outline_parameters(params))
        if _drawn(outline.geojson)
    ]


def _drawn(geometry: str | None) -> bool:
    """Whether a clipped outline has anything left: a country whose box meets the view but
    whose land does not is cut to nothing (NULL on SpatiaLite, an empty shape on PostGIS)."""
    return (
        bool(geometry) and '"coordinates":[]' not in geometry and '"geometries":[]' not in geometry
    )


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
        not_speck = Q(location__isnull=True) | Q(computed_area_km2__gte=speck_km2)
    if params.bbox:
        box = bbox_polygon(params.bbox)
        areas = areas.filter(
            (is_speck & in_view("location", box))
            | (not_speck & in_view("boundary", box))
            | (Q(boundary__isnull=True) & in_view("location", box))
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
            default=detail.simplified("boundary"),
            output_field=GeometryField(srid=4326),
        )
    return (
        areas.rewrite(False)
        .annotate(
            label=translated("name"),
            geojson=AsGeoJSON(geometry, precision=detail.digits),
        )
        .values_list(
            "id", "label", "country__iso_a3", "iucn_category", "boundary_quality", "geojson"
        )
        .order_by("id")
    )


_protected_area_feature = geojson.FeatureTemplate(
    "id", "name", "country", "category", "approximate", "url"
)


def protected_areas_layer(params) -> list[str]:
    url = UrlPattern("protected_areas:detail")
    approximate = BoundaryQuality.APPROXIMATE
    text = geojson.text
    return [
        _protected_area_feature(
            geometry,
            str(pk),
            text(name),
            text(iso_a3),
            text(category),
            geojson.boolean(quality == approximate),
            text(url(pk)),
        )
        for pk, name, iso_a3, category, quality, geometry in protected_area_rows(params)
    ]


def protected_areas_collection_sql(params) -> tuple[str, list]:
    """One query writing the protected-area layer's whole collection, byte for byte as
    `protected_areas_layer` and common.geojson write it (common/geojson_sql.py). PostGIS.

    Compiled once per language and parameters other than the box, which is bound for each
    view (common.sql.bind_box)."""
    alias = router.db_for_read(ProtectedArea)
    shape = dataclasses.replace(params, bbox=BOX_PLACEHOLDER if params.bbox else None)
    sql, query_params = _protected_areas_collection_sql(
        shape, alias, get_language(), get_script_prefix()
    )
    if params.bbox is None:
        return sql, list(query_params)
    return sql, bind_box(query_params, params.bbox, connections[alias])


@functools.lru_cache(maxsize=512)
def _protected_areas_collection_sql(params, alias: str, language: str, script_prefix: str):
    # The language names the columns `translated` reads and the pages the features link to,
    # the script prefix starts the links: both are arguments so the memo keys by them.
    rows = protected_area_rows(params).order_by().using(alias)
    rows_sql, rows_params = rows.query.sql_with_params()
    url = UrlPattern("protected_areas:detail")
    feature = (
        """'{"type":"Feature","geometry":' || r.geometry """
        """|| ',"properties":{"id":' || r.id """
        f"""|| ',"name":' || {json_text("r.name")} """
        f"""|| ',"country":' || {json_text("r.iso_a3")} """
        f"""|| ',"category":' || {json_text("r.category")} """
        f"""|| ',"approximate":' || {json_boolean("r.quality = %s")} """
        f"""|| ',"url":' || {json_text("(%s || r.id || %s)")} || '}}}}'"""
    )
    sql = feature_collection_sql(
        feature, rows_sql, "id, name, iso_a3, category, quality, geometry", order="r.id"
    )
    # The feature's parameters come first in the text, then the rows'.
    return sql, (BoundaryQuality.APPROXIMATE.value, url.prefix, url.suffix, *rows_params)


def protected_areas_collection(params) -> str:
    """The protected-area layer's collection text. On PostGIS the database writes it: the
    thousands of areas of a region view are written there faster than Python reads their
    rows (common/geojson_sql.py); elsewhere `protected_areas_layer` writes it."""
    connection = connections[router.db_for_read(ProtectedArea)]
    if connection.vendor != "postgresql":
        return geojson.feature_collection(protected_areas_layer(params))
    sql, sql_params = protected_areas_collection_sql(params)
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        return cursor.fetchone()[0]


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
        features.append(
            geojson.feature(
                geojson.geometry("LineString", coordinates),
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
    ranges = SpeciesRange.objects.published().filter(species_filter(params, "species"))
    if params.bbox:
        ranges = ranges.filter(in_view("geometry", bbox_polygon(params.bbox)))
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
    url = UrlPattern("species:detail")
    return [
        geojson.feature(
            geometry,
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
        for pk, slug, name, red_list, movement, season, quality, geometry in rows
    ]


_cell_feature = geojson.FeatureTemplate("name", "species", "count")


def occurrences_layer(params) -> list[str]:
    rows = occurrence_rows(params)
    if counted_per_cell(params):
        digits = Detail.for_zoom(params.zoom).digits
        # Per species, the properties written once: only the point and the count vary.
        names = {
            pk: (geojson.text(name), geojson.text(slug))
            for pk, slug, name in Species.objects.published().values_list(
                "id", "slug", "common_name"
            )
        }
        return [
            _cell_feature(
                geojson.point(round(lon, digits), round(lat, digits)),
                *names[species_id],
                str(records),
            )
            for species_id, lon, lat, records in rows
        ]
    return [
        geojson.feature(
            geometry,
            {
                "id": pk,
                "name": name,
                "species": slug,
                "year": event_date.year,
                "count": count or 1,
            },
        )
        for pk, slug, name, event_date, count, geometry in rows
    ]


def projects_layer(params) -> list[str]:
    """Project sites: each published project at its own `sites` (points or areas where it
    works). A project without drawn sites is not placed on its protected areas' points:
    there it hid the area under it and a click on the park opened the project."""
    detail = Detail.for_zoom(params.zoom)
    projects = Project.objects.published().filter(sites__isnull=False)
    if params.bbox:
        projects = projects.filter(in_view("sites", bbox_polygon(params.bbox)))
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
    rows = (
        projects.annotate(geojson=AsGeoJSON("sites", precision=detail.digits))
        .values_list("id", "slug", "acronym", "title", "status", "geojson")
        .order_by("id")
    )
    url = UrlPattern("projects:detail")
    return [
        geojson.feature(
            sites,
            {
                "id": pk,
                "name": acronym or title,
                "title": title,
                "category": status,
                "url": url(slug),
            },
        )
        for pk, slug, acronym, title, status, sites in rows
    ]


# The main query of each layer that has one, for the benchmark's raw-SQL comparison.
LAYER_ROWS = {
    "countries": country_rows,
    "protected-areas": protected_area_rows,
    "occurrences": occurrence_rows,
}

# The layers whose whole collection has a writer of its own (the others are joined from
# their features).
LAYER_COLLECTIONS = {"protected-areas": protected_areas_collection}

LAYER_FEATURES = {
    "countries": countries_layer,
    "protected-areas": protected_areas_layer,
    "transboundary": transboundary_layer,
    "species-ranges": species_ranges_layer,
    "occurrences": occurrences_layer,
    "projects": projects_layer,
}


def layer_collection(layer: str, params) -> str:
    """The layer's FeatureCollection text, as `/api/map/<layer>.geojson` answers it."""
    write = LAYER_COLLECTIONS.get(layer)
    if write is not None:
        return write(params)
    return geojson.feature_collection(LAYER_FEATURES[layer](params))
