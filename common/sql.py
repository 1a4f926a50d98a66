"""Database expressions the maps are built from, written once for PostGIS and SpatiaLite.

The same SQL functions (simplification, ST_X/ST_Y, the bounding-box tests) exist in both,
so `make run` on SpatiaLite draws the same maps as production."""

import functools

from django.conf import settings
from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.geos import Polygon
from django.db import connection
from django.db.models import BooleanField, CharField, F, FloatField, Func, Q, Value
from django.db.models.functions import Coalesce, NullIf
from modeltranslation.utils import build_localized_fieldname, resolution_order
from modeltranslation.utils import get_language as translated_language

from common.geometry import STORAGE_SRID


class SimplifyForDisplay(Func):
    """Douglas-Peucker simplification for drawing. PostGIS's own ST_Simplify (keeping parts
    that would collapse) ran ~20 times faster on 300-vertex boundaries than GEOS's
    topology-preserving variant, whose guarantee (a valid polygon) no map view needs within
    a third of a pixel. SpatiaLite's ST_Simplify has no such option: it keeps the variant
    that never drops a small part."""

    function = "ST_Simplify"
    output_field = GeometryField(srid=STORAGE_SRID)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="%(function)s(%(expressions)s, true)", **extra_context
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, function="ST_SimplifyPreserveTopology", **extra_context
        )


class SimplifyPreserveTopology(Func):
    """Simplification that keeps polygons valid, for a shape that is cut or combined
    afterwards (GEOS cannot intersect an invalid polygon). Both databases know it."""

    function = "ST_SimplifyPreserveTopology"
    output_field = GeometryField(srid=STORAGE_SRID)


class PointX(Func):
    function = "ST_X"
    output_field = FloatField()


class PointY(Func):
    function = "ST_Y"
    output_field = FloatField()


def bbox_polygon(bbox: tuple[float, float, float, float]) -> Polygon:
    """The box min_lon, min_lat, max_lon, max_lat as a polygon in the storage SRID."""
    polygon = Polygon.from_bbox(bbox)
    polygon.srid = STORAGE_SRID
    return polygon


# The box a query is compiled with when it is compiled once for every view (`bind_box`).
# Any box would do, a reader's own included: binding it to itself changes nothing.
BOX_PLACEHOLDER = (-0.125, -0.25, 0.125, 0.25)


def bind_box(query_params, bbox, connection) -> list:
    """The parameters of a query compiled with `BOX_PLACEHOLDER`, with the view's box in
    its place: Django takes milliseconds to build and compile a map layer's query, more than
    the database takes to answer a border view, and only the box changes as a reader pans.
    PostGIS only (its geometry parameters compare by their bytes)."""
    placeholder = _placeholder_adapter(connection.ops.Adapter)
    box = connection.ops.Adapter(bbox_polygon(bbox))
    bound = [box if value == placeholder else value for value in query_params]
    if box != placeholder and bound == list(query_params):
        raise ValueError("the query was not compiled with BOX_PLACEHOLDER as its box")
    return bound


@functools.cache
def _placeholder_adapter(adapter):
    return adapter(bbox_polygon(BOX_PLACEHOLDER))


class BoxesMeet(Func):
    """SpatiaLite: the two geometries' bounding boxes meet (touching, crossing or one
    inside the other), what PostGIS's `&&` answers. Compared with 1 because SpatiaLite's
    Mbr* functions answer -1, which SQL takes as true, for a NULL geometry."""

    function = "MbrIntersects"
    template = "%(function)s(%(expressions)s) = 1"
    output_field = BooleanField()


def in_view(field: str, box: Polygon) -> Q:
    """The feature's bounding box meets the view's, and a feature without this geometry is
    never in view. PostGIS `&&` (Django's `bboverlaps`) is exactly that. On SpatiaLite
    Django's `bboverlaps` is MbrOverlaps, false when the feature's box contains the view
    (a country or a park you have zoomed into) and -1, true to SQL, for a NULL geometry
    (so a protected area with a point and no boundary was in every view): MbrIntersects
    compared with 1 there."""
    if connection.vendor == "sqlite":
        return Q(BoxesMeet(F(field), Value(box, output_field=GeometryField(srid=STORAGE_SRID))))
    return Q(**{f"{field}__bboverlaps": box})


def translated(field: str) -> Coalesce:
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


# A query's last word from this length on also matches without its last letter (see below).
INFLECTED_WORD_MIN_LENGTH = 5


def search_text(query: str) -> str:
    """What a search looks for: the query, or, when its last word is long enough to carry
    an inflection, the query without its last letter, so an inflected form finds the name
    it was made from ("Дауры" finds "Даурский", "cranes" finds "crane") in any script."""
    query = query.strip()
    words = query.split()
    if words and len(words[-1]) >= INFLECTED_WORD_MIN_LENGTH and words[-1][-1].isalpha():
        return query[:-1]
    return query


def matches_any_language(query: str, translated: list[str], plain: list[str] = ()) -> Q:
    """Match `query` (see `search_text`) in every language's version of the translated
    fields and in the untranslated ones, so a reader finds a record whether or not it has
    been translated into their language yet: the one rule of the site search
    (portal.selectors) and the map search (maps.selectors)."""
    text = search_text(query)
    condition = Q()
    for name in translated:
        for code, _name in settings.LANGUAGES:
            condition |= Q(**{f"{build_localized_fieldname(name, code)}__icontains": text})
    for name in plain:
        condition |= Q(**{f"{name}__icontains": text})
    return condition
