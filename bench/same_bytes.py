"""The raw SQL a map layer's response is measured against: one PostgreSQL query that writes
the whole GeoJSON FeatureCollection text the layer API answers with, byte for byte.

Protected areas: the query the layer itself runs on PostGIS
(maps.selectors.layers.protected_areas_collection_sql), so the ratio is what the request
adds around the database's work. Occurrences (written by Python in the app): the layer's
own main query (maps.selectors.LAYER_ROWS, the ORM's SQL and parameters) wrapped in a query
that writes each feature as common/geojson.py does (common/geojson_sql.py), points as
`repr()` of the rounded float. bench/http.py checks the result's
SHA-256 against the app's computed body, so a figure is printed only for the same bytes."""

from django.db import connection
from django.http import QueryDict

from common.geojson_sql import feature_collection_sql, json_text

# Python's repr() of a float rounded to `digits`: the shortest decimal, with ".0" when whole.
ROUNDED_FLOAT = (
    "(SELECT CASE WHEN position('.' IN t) > 0 THEN t ELSE t || '.0' END "
    "FROM (SELECT trim_scale(round(({value})::numeric, {digits}))::text AS t) AS rounded)"
)


def _protected_areas(params) -> tuple[str, list]:
    # The app's own writer on PostGIS (maps.selectors.layers): the raw query is the one the
    # layer runs, with no request, middleware or ORM around it.
    from maps.selectors.layers import protected_areas_collection_sql  # noqa: PLC0415

    return protected_areas_collection_sql(params)


def _occurrences(params) -> tuple[str, list]:
    from common.sql import translated  # noqa: PLC0415
    from maps.selectors import LAYER_ROWS  # noqa: PLC0415
    from maps.selectors.drawing import Detail  # noqa: PLC0415
    from maps.selectors.occurrences import counted_per_cell  # noqa: PLC0415
    from species.models import Species  # noqa: PLC0415

    if not counted_per_cell(params):
        raise ValueError("single occurrences (zoom 10 and closer) are not written in SQL here")
    rows_sql, rows_params = LAYER_ROWS["occurrences"](params).query.sql_with_params()
    # The name as modeltranslation reads it (the active language, else its fallbacks), in
    # the order asked for: values_list() with translated fields reorders the columns.
    species_sql, species_params = (
        Species.objects.published()
        .rewrite(False)
        .annotate(label=translated("common_name"))
        .values_list("id", "slug", "label")
        .order_by()
        .query
    ).sql_with_params()
    digits = Detail.for_zoom(params.zoom).digits
    feature = (
        """'{"type":"Feature","geometry":{"type":"Point","coordinates":[' """
        f"""|| {ROUNDED_FLOAT.format(value="r.lon", digits=digits)} || ', ' """
        f"""|| {ROUNDED_FLOAT.format(value="r.lat", digits=digits)} """
        f"""|| ']}},"properties":{{"name":' || {json_text("s.name")} """
        f"""|| ',"species":' || {json_text("s.slug")} """
        """|| ',"count":' || r.records || '}}'"""
    )
    # Numbered before the join with the species' names, which may reorder them.
    numbered = f"SELECT row_number() OVER () AS n, q.* FROM ({rows_sql}) AS q"
    sql = (
        feature_collection_sql(feature, numbered, "n, species_id, lon, lat, records", order="r.n")
        + f" JOIN ({species_sql}) AS s(id, slug, name) ON s.id = r.species_id"
    )
    return sql, [*rows_params, *species_params]


WRITERS = {"protected-areas": _protected_areas, "occurrences": _occurrences}


def same_bytes_sql(layer: str, query: str) -> tuple[str, list]:
    """The SQL and parameters that write `/api/map/<layer>.geojson?<query>`'s body for an
    anonymous reader in the default language."""
    from maps.params import parse_layer_params  # noqa: PLC0415

    return WRITERS[layer](parse_layer_params(QueryDict(query)))


def run(sql: str, params: list) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0].encode()
