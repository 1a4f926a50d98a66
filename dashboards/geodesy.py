"""Geodesic measures for the dashboards, on top of common.geometry.

Everything is measured in a Lambert azimuthal equal-area (LAEA) projection centred on the
shapes being measured: areas are exact on the WGS 84 ellipsoid anywhere in it, and lengths
and distances are exact at the centre and within 0.1 % over the ~100 km a pair or a buffer
spans. Figures are never in degrees.
"""

from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos import GEOSGeometry, LineString, MultiLineString, MultiPolygon, Polygon

from common.geometry import STORAGE_SRID, _equal_area_srs, geodesic_area_km2
from common.geometry import distance_km as geodesic_distance_km

__all__ = [
    "EqualArea",
    "geodesic_area_km2",
    "geodesic_distance_km",
    "geodesic_length_km",
    "linework",
    "percent",
    "polygon_union",
]


class EqualArea:
    """A LAEA projection centred on a point, with the transforms to and from WGS 84."""

    def __init__(self, lon: float, lat: float):
        srs = _equal_area_srs(lon, lat)
        wgs84 = SpatialReference(STORAGE_SRID)
        self._forward = CoordTransform(wgs84, srs)
        self._back = CoordTransform(srs, wgs84)

    @classmethod
    def centred_on(cls, *geoms: GEOSGeometry) -> "EqualArea":
        xmin = min(g.extent[0] for g in geoms)
        ymin = min(g.extent[1] for g in geoms)
        xmax = max(g.extent[2] for g in geoms)
        ymax = max(g.extent[3] for g in geoms)
        return cls((xmin + xmax) / 2, (ymin + ymax) / 2)

    def project(self, geom: GEOSGeometry) -> GEOSGeometry:
        source = geom.clone()
        if source.srid is None:
            source.srid = STORAGE_SRID
        projected = source.transform(self._forward, clone=True)
        # Reprojecting can fold a vertex of a long, detailed outline onto a neighbouring
        # edge; GEOS cannot overlay such a shape until it is made valid again. (Asking
        # `.valid` first would log a GEOS notice for every such fold.)
        return projected.make_valid() if projected.dims == 2 else projected

    def unproject(self, geom: GEOSGeometry) -> GEOSGeometry:
        result = geom.transform(self._back, clone=True)
        result.srid = STORAGE_SRID
        return result


def linework(geom: GEOSGeometry | None) -> MultiLineString | None:
    """The line parts of a geometry (an intersection of boundaries may also hold points)."""
    if geom is None or geom.empty:
        return None
    if isinstance(geom, LineString):
        return MultiLineString(geom, srid=geom.srid)
    if isinstance(geom, MultiLineString):
        return geom
    lines = []
    for part in geom if geom.num_geom > 1 or geom.geom_type.endswith("Collection") else [geom]:
        if isinstance(part, LineString):
            lines.append(part)
        elif isinstance(part, MultiLineString):
            lines.extend(part)
    return MultiLineString(*lines, srid=geom.srid) if lines else None


def geodesic_length_km(lines: GEOSGeometry | None) -> float:
    """Length on the ground of a (multi)line in WGS 84, in km."""
    if lines is None or lines.empty:
        return 0.0
    return EqualArea.centred_on(lines).project(lines).length / 1000


def polygon_union(shapes: list[GEOSGeometry]) -> GEOSGeometry:
    """The union of the polygonal parts of shapes: overlapping areas counted once."""
    polygons = []
    for shape in shapes:
        if isinstance(shape, Polygon):
            polygons.append(shape)
        elif shape.geom_type in ("MultiPolygon", "GeometryCollection"):
            polygons.extend(part for part in shape if isinstance(part, Polygon))
    return MultiPolygon(*polygons, srid=shapes[0].srid).unary_union


def percent(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 2) if whole else None
