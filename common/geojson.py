"""The one GeoJSON writer: features and feature collections, written as JSON text.

Geometries come as GeoJSON text — the database's `AsGeoJSON`, simplified and rounded there,
or a GEOS geometry's own — and are never parsed and encoded again: a region view carries
megabytes of coordinates. Properties are written compactly (no spaces, non-ASCII as is).

The map layer API and the small maps embedded in the public pages both use it; a page
embeds a collection with the `geojson_script` filter (common/templatetags/geojson.py)."""

import json
from collections.abc import Iterable
from itertools import chain
from json.encoder import encode_basestring

from django.contrib.gis.geos import GEOSGeometry

# One encoder for every feature: json.dumps with options builds a new one on each call.
_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def compact(value) -> str:
    """Any JSON value (a dict of properties, a geometry built in Python) as compact text."""
    return _compact(value)


def text(value: str | None) -> str:
    """A string (or null) as JSON, exactly as `compact` writes it."""
    return "null" if value is None else encode_basestring(value)


def boolean(value) -> str:
    return "true" if value else "false"


def feature(geometry: str, properties: dict) -> str:
    """A feature from its geometry's GeoJSON text and a dict of properties."""
    return (
        '{"type":"Feature","geometry":' + geometry + ',"properties":' + _compact(properties) + "}"
    )


class FeatureTemplate:
    """Features whose properties always have the same keys, for the layers of thousands of
    features: the caller passes each value already written (`text`, `boolean`, `str` of an
    int) and one string format builds the feature. Encoding a dict per feature took 30 ms
    for the 13,000 protected areas of a region view, this takes 7 ms.

        write = FeatureTemplate("id", "name")
        write(geometry_json, str(pk), text(name))
    """

    def __init__(self, *keys: str):
        self._format = (
            '{"type":"Feature","geometry":%s,"properties":{'
            + ",".join(encode_basestring(key).replace("%", "%%") + ":%s" for key in keys)
            + "}}"
        )

    def __call__(self, geometry: str, *values: str) -> str:
        return self._format % (geometry, *values)


def geometry(kind: str, coordinates: list) -> str:
    """A geometry built in Python (a line joining points, the points of a project)."""
    return _compact({"type": kind, "coordinates": coordinates})


def point(x: float, y: float) -> str:
    """A point; written with a space after the comma, as the occurrence layer always has,
    so that its bytes (and so its ETag) stay the same."""
    return '{"type":"Point","coordinates":[' + repr(x) + ", " + repr(y) + "]}"


def geometry_feature(geom: GEOSGeometry | None, **properties) -> str | None:
    """A feature from a GEOS geometry; None when there is no geometry to draw (a record
    without a location), which `feature_collection` leaves out."""
    if geom is None or geom.empty:
        return None
    return feature(geom.json, properties)


def feature_collection(*feature_lists: Iterable[str | None]) -> str:
    """One collection of the features of each list, in order, leaving out None."""
    features = chain.from_iterable(filter(None, features) for features in feature_lists)
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def identified_feature(feature_id: int | str, geometry: str, properties: dict) -> str:
    """A feature with a top-level `id`, as OGC API – Features and GIS clients read it."""
    return (
        '{"type":"Feature","id":'
        + _compact(feature_id)
        + ',"geometry":'
        + geometry
        + ',"properties":'
        + _compact(properties)
        + "}"
    )
