"""Vector tiles (Mapbox Vector Tile 2.1) of the protected areas and the occurrences.

The features are those of the GeoJSON layers, read through the same selectors: published
areas matching the filters (`filters.protected_areas_matching`), occurrences as the viewer
may see them (`occurrences.occurrence_rows`, counted per grid cell below zoom 10), with the
same properties but the areas' page links (`/protected-areas/<id>/`): a unique string per
feature, which a client builds from the id. `vector_tile` chooses the encoder by the
database:

- PostGIS: `ST_AsMVT` over `ST_AsMVTGeom`, on the area shapes prepared per zoom band by
  triggers (maps.models.ProtectedAreaTileShape), so a tile simplifies nothing;
- SpatiaLite (`make run`): the Python encoder `mapbox-vector-tile`, simplifying with GEOS
  (shapely) per tile to the same band tolerance.

Both clip to the tile widened by `TILE_BUFFER` and quantise to `TILE_EXTENT`."""

import dataclasses
import functools
import math

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import Transform
from django.db import connections, router
from django.db.models import Case, F, Q, When
from django.utils.translation import get_language

from common.sql import PointX, PointY, bbox_polygon, in_view, translated
from maps.models import ProtectedAreaTileShape
from maps.tile_grid import (
    DOT_CELL_PX,
    SHAPE_TABLE,
    TILE_BUFFER,
    TILE_EXTENT,
    WEB_MERCATOR_SRID,
    Tile,
    band_of,
    band_rules,
    degrees_to_mercator,
    metres_per_pixel,
)
from protected_areas.models import BoundaryQuality
from species.models import Species

from .filters import protected_areas_matching
from .occurrences import (
    counted_per_cell,
    occurrence_grid_answers,
    occurrence_rows,
    occurrences_matching,
    prepared_cell_rows,
)

TILE_LAYERS = ("protected-areas", "occurrences")


def vector_tile(layer: str, tile: Tile, params) -> bytes:
    """The tile's bytes (empty when nothing lies in it). `params` are the layer filters and
    the viewer's exact-location scope (maps.params.LayerParams), without bbox and zoom."""
    if layer not in TILE_LAYERS:
        raise ValueError(f"no tile layer {layer!r}")
    connection = _connection()
    if connection.vendor != "postgresql":
        python_encoder = _python_areas if layer == "protected-areas" else _python_occurrences
        return python_encoder(tile, params)
    sql, sql_params = tile_query(layer, tile, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        (data,) = cursor.fetchone()
    return bytes(data or b"")


def tile_query(layer: str, tile: Tile, params) -> tuple[str, list]:
    """PostGIS: the one query that writes the tile (`ST_AsMVT`), and its parameters."""
    features = _postgis_areas if layer == "protected-areas" else _postgis_occurrences
    features_sql, features_params = features(tile, params)
    return (
        f"SELECT ST_AsMVT(features, %s, {TILE_EXTENT}, 'geom', 'fid') "
        f"FROM ({features_sql}) AS features WHERE geom IS NOT NULL",
        [layer, *features_params],
    )


# What both encoders read of an area besides its shape: the GeoJSON layer's properties, and
# the size that picks which dot of a crowded cell is drawn.
AREA_COLUMNS = (
    "id",
    "label",
    "country__iso_a3",
    "iucn_category",
    "boundary_quality",
    "computed_area_km2",
)


def _area_attributes(params):
    """The areas a tile may show, with the properties of the GeoJSON layer."""
    return (
        protected_areas_matching(params)
        .rewrite(False)
        .annotate(label=translated("name"))
        .order_by()
    )


def _occurrence_params(tile: Tile, params):
    """The layer's own parameters for the tile: its zoom, and its box widened by the buffer
    so a dot near the edge is drawn whole in both tiles."""
    return dataclasses.replace(params, zoom=tile.z, bbox=tile.bounds_degrees(TILE_BUFFER))


def _species_names() -> dict[int, tuple[str, str]]:
    return {
        pk: (slug, name)
        for pk, slug, name in Species.objects.published()
        .rewrite(False)
        .annotate(label=translated("common_name"))
        .values_list("id", "slug", "label")
    }


def _single_occurrences(params):
    """Single records (zoom 10): the layer's rows with the shown point as numbers."""
    return (
        occurrences_matching(params)
        .order_by()
        .annotate(lon=PointX("shown_location"), lat=PointY("shown_location"))
        .values_list("id", "species_id", "lon", "lat", "event_date", "count")
    )


# -- PostGIS ---------------------------------------------------------------------------------
def _envelope_sql(tile: Tile) -> tuple[str, list]:
    return (
        "ST_TileEnvelope(%s, %s, %s)",
        [tile.z, tile.x, tile.y],
    )


def _connection():
    """The database the request reads from (a replica for anonymous readers, as the ORM's
    queries do: the tile and the data version it is cached under come from the same one)."""
    return connections[router.db_for_read(ProtectedAreaTileShape) or "default"]


@functools.lru_cache(maxsize=256)
def _area_attributes_sql(params, alias: str, language: str) -> tuple[str, tuple]:
    """The areas' SQL, compiled once per filters, database and language (which names the
    columns `translated` reads): the tile enters the query around it, so every tile of a
    view shares it, and Django's building and compiling (more than a sparse tile's own
    query takes) is spared."""
    sql, sql_params = (
        _area_attributes(params).using(alias).values_list(*AREA_COLUMNS).query.sql_with_params()
    )
    return sql, tuple(sql_params)


def _postgis_areas(tile: Tile, params) -> tuple[str, list]:
    areas_sql, areas_params = _area_attributes_sql(params, _connection().alias, get_language())
    envelope, envelope_params = _envelope_sql(tile)
    margin = TILE_BUFFER / TILE_EXTENT
    cell = DOT_CELL_PX * metres_per_pixel(tile.z)
    dot_cell = f"floor(ST_X(geometry) / {cell!r}), floor(ST_Y(geometry) / {cell!r})"
    features = f"""
        WITH matched AS (
            SELECT s.area_id, s.geometry, GeometryType(s.geometry) = 'POINT' AS dot,
                a.label, a.iso_a3, a.category, a.quality, a.size
            FROM {SHAPE_TABLE} AS s
            JOIN ({areas_sql}) AS a (id, label, iso_a3, category, quality, size)
                ON a.id = s.area_id
            WHERE s.band = {band_of(tile.z):d}
                AND s.geometry && ST_TileEnvelope(%s, %s, %s, margin => {margin!r})
        ),
        drawn AS (
            SELECT * FROM matched WHERE NOT dot
            UNION ALL
            (SELECT DISTINCT ON ({dot_cell}) * FROM matched WHERE dot
             ORDER BY {dot_cell}, size DESC NULLS LAST, area_id)
        )
        SELECT area_id AS fid, area_id AS id, label AS name, iso_a3 AS country, category,
            (quality = %s) AS approximate,
            ST_AsMVTGeom(geometry, {envelope}, {TILE_EXTENT}, {TILE_BUFFER}, true) AS geom
        FROM drawn
        ORDER BY area_id
    """
    return features, [
        *areas_params,
        tile.z,
        tile.x,
        tile.y,
        BoundaryQuality.APPROXIMATE.value,
        *envelope_params,
    ]


@functools.lru_cache(maxsize=64)
def _species_sql(alias: str, language: str) -> tuple[str, tuple]:
    sql, sql_params = (
        Species.objects.published()
        .using(alias)
        .rewrite(False)
        .annotate(label=translated("common_name"))
        .values_list("id", "slug", "label")
        .order_by()
        .query.sql_with_params()
    )
    return sql, tuple(sql_params)


@functools.lru_cache(maxsize=256)
def _prepared_cells_sql(params, alias: str) -> tuple[str, tuple]:
    """The prepared grid's counts of the zoom and filters, with no box (the tile's is a
    condition around them, which PostgreSQL takes into the query): compiled once for every
    tile of a zoom. Whether the grid may answer is asked per tile, not kept here."""
    sql, sql_params = prepared_cell_rows(params).using(alias).query.sql_with_params()
    return sql, tuple(sql_params)


def _postgis_occurrences(tile: Tile, params) -> tuple[str, list]:
    params = _occurrence_params(tile, params)
    alias = _connection().alias
    species_sql, species_params = _species_sql(alias, get_language())
    if counted_per_cell(params) and occurrence_grid_answers(params):
        cells_sql, cells_params = _prepared_cells_sql(dataclasses.replace(params, bbox=None), alias)
        min_lon, min_lat, max_lon, max_lat = params.bbox
        rows = (
            f"SELECT NULL::bigint AS id, q.species_id, q.lon, q.lat, q.records, "
            f"NULL::integer AS individuals, NULL::integer AS year "
            f"FROM ({cells_sql}) AS q (species_id, lon, lat, records) "
            f"WHERE q.lon >= %s AND q.lon <= %s AND q.lat >= %s AND q.lat <= %s"
        )
        rows_params = [*cells_params, min_lon, max_lon, min_lat, max_lat]
    elif counted_per_cell(params):
        rows_sql, rows_params = occurrence_rows(params).query.sql_with_params()
        rows = (
            f"SELECT NULL::bigint AS id, q.species_id, q.lon, q.lat, q.records, "
            f"NULL::integer AS individuals, NULL::integer AS year "
            f"FROM ({rows_sql}) AS q (species_id, lon, lat, records)"
        )
    else:
        rows_sql, rows_params = _single_occurrences(params).query.sql_with_params()
        rows = (
            f"SELECT q.id, q.species_id, q.lon, q.lat, 1 AS records, "
            f"coalesce(q.count, 1) AS individuals, "
            f"extract(year FROM q.event_date)::integer AS year "
            f"FROM ({rows_sql}) AS q (id, species_id, lon, lat, event_date, count)"
        )
    envelope, envelope_params = _envelope_sql(tile)
    features = f"""
        SELECT r.id AS fid, r.id, sp.label AS name, sp.slug AS species,
            r.records, r.individuals, r.year,
            ST_AsMVTGeom(
                ST_Transform(ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326), {WEB_MERCATOR_SRID}),
                {envelope}, {TILE_EXTENT}, {TILE_BUFFER}, true
            ) AS geom
        FROM ({rows}) AS r
        JOIN ({species_sql}) AS sp (id, slug, label) ON sp.id = r.species_id
    """
    return features, [*envelope_params, *rows_params, *species_params]


# -- Python encoder (SpatiaLite) -------------------------------------------------------------
def _encode(layer: str, tile: Tile, features: list[dict]) -> bytes:
    import mapbox_vector_tile  # noqa: PLC0415  (only `make run` needs it loaded)

    if not features:
        return b""
    return mapbox_vector_tile.encode(
        {"name": layer, "features": features},
        default_options={
            "quantize_bounds": tile.bounds_m(),
            "extents": TILE_EXTENT,
            "on_invalid_geometry": mapbox_vector_tile.encoder.on_invalid_geometry_make_valid,
        },
    )


def _python_areas(tile: Tile, params) -> bytes:
    import shapely  # noqa: PLC0415

    rule = band_rules()[band_of(tile.z)]
    box = tile.bounds_m(TILE_BUFFER)
    view = bbox_polygon(tile.bounds_degrees(TILE_BUFFER))
    rows = (
        _area_attributes(params)
        .filter(in_view("boundary", view) | (Q(boundary__isnull=True) & in_view("location", view)))
        .annotate(
            shape=Transform(
                Case(
                    When(boundary__isnull=True, then=F("location")),
                    default=F("boundary"),
                    output_field=GeometryField(srid=4326),
                ),
                WEB_MERCATOR_SRID,
            ),
            point=Transform("location", WEB_MERCATOR_SRID),
        )
        .values_list(*AREA_COLUMNS, "shape", "point")
        .order_by("id")
    )
    features = []
    cell = DOT_CELL_PX * metres_per_pixel(tile.z)
    dots = {}  # cell → (size, pk, feature): the largest area's dot of each cell
    for pk, name, iso_a3, category, quality, size, shape, point in rows:
        geometry = shapely.from_wkb(bytes(shape.wkb))
        if geometry.geom_type.endswith("Polygon"):
            min_x, min_y, max_x, max_y = geometry.bounds
            if max(max_x - min_x, max_y - min_y) < rule.speck_m:
                geometry = (
                    shapely.from_wkb(bytes(point.wkb)) if point else geometry.point_on_surface()
                )
            else:
                geometry = shapely.simplify(geometry, rule.tolerance_m, preserve_topology=True)
        geometry = shapely.clip_by_rect(geometry, *box)
        if geometry.is_empty:
            continue
        feature = {
            "id": pk,
            "geometry": geometry,
            "properties": {
                "id": pk,
                "name": name,
                "country": iso_a3,
                "category": category,
                "approximate": quality == BoundaryQuality.APPROXIMATE,
            },
        }
        if geometry.geom_type != "Point":
            features.append(feature)
            continue
        key = (math.floor(geometry.x / cell), math.floor(geometry.y / cell))
        rank = (-(size if size is not None else -1), pk)
        if key not in dots or rank < dots[key][0]:
            dots[key] = (rank, feature)
    features += [feature for _rank, feature in dots.values()]
    features.sort(key=lambda feature: feature["id"])
    return _encode("protected-areas", tile, features)


def _python_occurrences(tile: Tile, params) -> bytes:
    import shapely  # noqa: PLC0415

    params = _occurrence_params(tile, params)
    names = _species_names()
    features = []

    def add(pk, species_id, lon, lat, properties):
        if species_id not in names or lon is None or not math.isfinite(lon):
            return
        slug, name = names[species_id]
        feature = {
            "geometry": shapely.Point(*degrees_to_mercator(lon, lat)),
            "properties": {"name": name, "species": slug, **properties},
        }
        if pk is not None:
            feature["id"] = pk
        features.append(feature)

    if counted_per_cell(params):
        for species_id, lon, lat, records in occurrence_rows(params):
            add(None, species_id, lon, lat, {"records": records})
    else:
        for pk, species_id, lon, lat, event_date, count in _single_occurrences(params).order_by(
            "id"
        ):
            add(
                pk,
                species_id,
                lon,
                lat,
                {"id": pk, "records": 1, "individuals": count or 1, "year": event_date.year},
            )
    return _encode("occurrences", tile, features)
