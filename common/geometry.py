"""Geometry rules shared by every model that stores a shape.

Storage is WGS 84 (SRID 4326), what Leaflet draws. Areas are computed in a Lambert azimuthal
equal-area projection centred on the shape, which preserves area on the ellipsoid, so
figures are in km² and never in square degrees.
"""

import math

from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS
from django.db.models import CheckConstraint, Q

STORAGE_SRID = 4326

REPAIR_HINT = "Correct the drawing, or tick “repair geometry” to have it repaired automatically."


def validate_geometry(geom: GEOSGeometry | None, *, label: str = "Geometry") -> None:
    """Reject a geometry that cannot be stored as drawn: wrong SRID, empty, outside the
    lon/lat range, or invalid (with GEOS's reason, e.g. the self-intersection point)."""
    if geom is None:
        return
    if geom.srid not in (None, STORAGE_SRID):
        raise ValidationError(
            f"{label} is in SRID {geom.srid}; it must be WGS 84 longitude/latitude "
            f"(SRID {STORAGE_SRID}). Reproject it before saving.",
            code="wrong_srid",
        )
    if geom.empty:
        raise ValidationError(f"{label} is empty.", code="empty_geometry")
    xmin, ymin, xmax, ymax = geom.extent
    if xmin < -180 or xmax > 180 or ymin < -90 or ymax > 90:
        raise ValidationError(
            f"{label} has coordinates outside longitude -180..180 / latitude -90..90 "
            f"(extent {xmin:.4f}, {ymin:.4f}, {xmax:.4f}, {ymax:.4f}). "
            "Check that longitude comes first and that the data is in degrees.",
            code="out_of_range",
        )
    if not geom.valid:
        raise ValidationError(
            f"{label} is not a valid shape: {geom.valid_reason}. {REPAIR_HINT}",
            code="invalid_geometry",
        )


def validate_geometry_fields(instance, **labels: str) -> None:
    """`validate_geometry` for fields of a model instance (`boundary="Boundary"`), each error
    attached to its field. Model validation then skips that field's validity constraint
    (`valid_geometry_constraint`), which would repeat the error without GEOS's reason."""
    errors = {}
    for name, label in labels.items():
        try:
            validate_geometry(getattr(instance, name), label=label)
        except ValidationError as error:
            errors[name] = error
    if errors:
        raise ValidationError(errors)


class ValidGeometryConstraint(CheckConstraint):
    """`CheckConstraint(condition=Q(<field>__isvalid=True))`: the database itself refuses a
    shape GEOS calls invalid, for the write paths that skip `clean()` (bulk inserts, raw
    SQL). PostGIS and SpatiaLite check it with GEOS; a NULL geometry passes.

    Model validation asks GEOS here rather than the database: Django would send the shape
    to the database to test it, and cannot build that query for an empty field."""

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        ((lookup, _valid),) = self.condition.children
        field_name = lookup.removesuffix("__isvalid")
        if exclude and field_name in exclude:
            return
        geom = getattr(instance, field_name)
        if geom is not None and not geom.valid:
            raise ValidationError(
                self.get_violation_error_message(), code=self.violation_error_code
            )


def valid_geometry_constraint(field_name: str, *, name: str) -> ValidGeometryConstraint:
    return ValidGeometryConstraint(
        condition=Q(**{f"{field_name}__isvalid": True}),
        name=name,
        violation_error_message=f"The shape is not valid. {REPAIR_HINT}",
    )


def as_multipolygon(geom: GEOSGeometry) -> MultiPolygon:
    """Polygons become one-part MultiPolygons; collections keep only their polygonal parts."""
    if isinstance(geom, MultiPolygon):
        return geom
    if isinstance(geom, Polygon):
        multi = MultiPolygon(geom, srid=geom.srid)
    else:
        parts = []
        for part in geom:
            if isinstance(part, Polygon):
                parts.append(part)
            elif isinstance(part, MultiPolygon):
                parts.extend(part)
        multi = MultiPolygon(*parts, srid=geom.srid)
    return multi


def repair_geometry(geom: GEOSGeometry) -> GEOSGeometry:
    """Repair an invalid shape with GEOS MakeValid. Used only when a user asks for it:
    repairing silently could change a boundary nobody reviewed."""
    if geom.valid:
        return geom
    repaired = geom.make_valid()
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        repaired = as_multipolygon(repaired)
    repaired.srid = geom.srid
    if repaired.empty:
        raise ValidationError("The shape could not be repaired: nothing valid is left of it.")
    return repaired


def _equal_area_srs(lon: float, lat: float) -> SpatialReference:
    return SpatialReference(
        f"+proj=laea +lat_0={lat:.6f} +lon_0={lon:.6f} +datum=WGS84 +units=m +no_defs"
    )


def geodesic_area_km2(geom: GEOSGeometry) -> float:
    """Area on the WGS 84 ellipsoid, in km²."""
    source = geom.clone()
    if source.srid is None:
        source.srid = STORAGE_SRID
    centre = source.centroid
    source.transform(_equal_area_srs(centre.x, centre.y))
    return source.area / 1_000_000


def distance_km(point: Point, geom: GEOSGeometry) -> float:
    """Distance on the ground from a point to a shape, in km (0 when the point is inside)."""
    srs = _equal_area_srs(point.x, point.y)
    to_local = CoordTransform(SpatialReference(STORAGE_SRID), srs)
    local_point = point.transform(to_local, clone=True)
    local_geom = geom.transform(to_local, clone=True)
    return local_point.distance(local_geom) / 1000


def circle_of_area(centre: Point, area_km2: float, *, segments: int = 64) -> MultiPolygon:
    """A regular polygon of exactly the given area around a point: the *approximate*
    stand-in boundary of a protected area whose legal boundary we may not redistribute."""
    # Area of a regular n-gon with circumradius r is (n/2)·r²·sin(2π/n).
    radius_m = math.sqrt(2 * area_km2 * 1_000_000 / (segments * math.sin(2 * math.pi / segments)))
    ring = [
        (
            radius_m * math.cos(2 * math.pi * i / segments),
            radius_m * math.sin(2 * math.pi * i / segments),
        )
        for i in range(segments)
    ]
    polygon = Polygon([*ring, ring[0]])
    polygon.transform(
        CoordTransform(_equal_area_srs(centre.x, centre.y), SpatialReference(STORAGE_SRID))
    )
    polygon.srid = STORAGE_SRID
    return MultiPolygon(polygon, srid=STORAGE_SRID)


# EASE-Grid 2.0 Global (WGS 84 / NSIDC cylindrical equal-area): every cell of a grid laid in
# it covers the same area on the ground, wherever it is — a degree grid would not. PostGIS
# and SpatiaLite both know this SRID, so the database can snap points in the same grid.
EQUAL_AREA_GRID_SRID = 6933


def snap_to_equal_area_grid(point: Point, cell_m: float) -> Point:
    """The grid node nearest the point in an equal-area grid of `cell_m` metres (the same
    result as the database's `SnapToGrid` in that projection), back in WGS 84."""
    projected = point.transform(EQUAL_AREA_GRID_SRID, clone=True)
    snapped = Point(
        round(projected.x / cell_m) * cell_m,
        round(projected.y / cell_m) * cell_m,
        srid=EQUAL_AREA_GRID_SRID,
    )
    snapped.transform(STORAGE_SRID)
    return snapped
