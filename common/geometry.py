"""Geometry rules shared by every model that stores a shape.

Storage is WGS 84 (SRID 4326), what Leaflet draws. Areas are computed in a Lambert azimuthal
equal-area projection centred on the shape, which preserves area on the ellipsoid, so
figures are in km² and never in square degrees.
"""

import math
import re

from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import CheckConstraint, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

STORAGE_SRID = 4326


# GEOS names a fault in English and gives the spot: "Self-intersection[112.0 47.5]". An
# editor reads the fault in words, in the admin's language, with the spot in degrees.
_GEOS_REASON = re.compile(r"^(?P<reason>[^\[]+)\[(?P<lon>\S+) (?P<lat>\S+)\]$")
INVALID_GEOMETRY_MESSAGES = {
    "Self-intersection": _("The %(label)s crosses itself near %(position)s."),
    "Ring Self-intersection": _("The %(label)s touches itself near %(position)s."),
    "Interior is disconnected": _("A hole cuts the %(label)s in two near %(position)s."),
    "Hole lies outside shell": _(
        "A hole of the %(label)s lies outside its outer ring near %(position)s."
    ),
    "Holes are nested": _("A hole of the %(label)s lies inside another hole near %(position)s."),
    "Nested shells": _(
        "One part of the %(label)s lies inside another near %(position)s: draw it as a hole "
        "or as one part."
    ),
    "Duplicate Rings": _("The %(label)s has the same ring twice near %(position)s."),
    "Too few points in geometry component": _(
        "A part of the %(label)s has too few corners near %(position)s (an area needs at "
        "least three)."
    ),
    "Too few distinct points in geometry component": _(
        "A part of the %(label)s has too few corners near %(position)s (an area needs at "
        "least three)."
    ),
    "Ring is not closed": _("A ring of the %(label)s is not closed near %(position)s."),
    "Invalid Coordinate": _(
        "The %(label)s has a coordinate that is not a number near %(position)s."
    ),
}
UNKNOWN_FAULT_MESSAGE = _("The %(label)s is not a valid shape near %(position)s (%(reason)s).")
UNPLACED_FAULT_MESSAGE = _("The %(label)s is not a valid shape (%(reason)s).")
DEFAULT_LABEL = _("shape")
REPAIR_HINT = _(
    "Correct the drawing there, or tick “Repair invalid geometry” to have it "
    "repaired automatically."
)


def describe_position(lon: float, lat: float) -> str:
    """A point as readers write it, e.g. "112.0° E, 47.5° N" (to four decimals, ~10 m)."""

    def degrees(value: float) -> str:
        text = f"{abs(value):.4f}".rstrip("0")
        return text + "0" if text.endswith(".") else text

    east_west = (_("%(degrees)s° E") if lon >= 0 else _("%(degrees)s° W")) % {
        "degrees": degrees(lon)
    }
    north_south = (_("%(degrees)s° N") if lat >= 0 else _("%(degrees)s° S")) % {
        "degrees": degrees(lat)
    }
    return f"{east_west}, {north_south}"


def invalid_geometry_error(geom: GEOSGeometry, *, label) -> ValidationError:
    """What is wrong with an invalid shape, in words, and where: `params` carries the spot
    (`lon`, `lat`) so that a map can mark it."""
    reason = geom.valid_reason
    match = _GEOS_REASON.match(reason)
    if match is None:
        return ValidationError(
            format_lazy("{} {}", UNPLACED_FAULT_MESSAGE, REPAIR_HINT),
            code="invalid_geometry",
            params={"label": label, "reason": reason},
        )
    lon, lat = float(match["lon"]), float(match["lat"])
    message = INVALID_GEOMETRY_MESSAGES.get(match["reason"], UNKNOWN_FAULT_MESSAGE)
    return ValidationError(
        format_lazy("{} {}", message, REPAIR_HINT),
        code="invalid_geometry",
        params={
            "label": label,
            "position": describe_position(lon, lat),
            "reason": match["reason"],
            "lon": lon,
            "lat": lat,
        },
    )


def validate_geometry(geom: GEOSGeometry | None, *, label=DEFAULT_LABEL) -> None:
    """Reject a geometry that cannot be stored as drawn: wrong SRID, empty, outside the
    lon/lat range, or invalid (saying what is wrong and where, e.g. where it crosses itself).
    `label` names the shape in the message, in lower case ("boundary")."""
    if geom is None:
        return
    if geom.srid not in (None, STORAGE_SRID):
        raise ValidationError(
            _(
                "The %(label)s is in SRID %(srid)s; it must be WGS 84 longitude/latitude "
                "(SRID %(storage_srid)s). Reproject it before saving."
            ),
            code="wrong_srid",
            params={"label": label, "srid": geom.srid, "storage_srid": STORAGE_SRID},
        )
    if geom.empty:
        raise ValidationError(
            _("The %(label)s is empty."), code="empty_geometry", params={"label": label}
        )
    xmin, ymin, xmax, ymax = geom.extent
    if xmin < -180 or xmax > 180 or ymin < -90 or ymax > 90:
        raise ValidationError(
            _(
                "The %(label)s has coordinates outside longitude -180..180 / latitude -90..90 "
                "(extent %(extent)s). Check that longitude comes first and that the data is "
                "in degrees."
            ),
            code="out_of_range",
            params={"label": label, "extent": f"{xmin:.4f}, {ymin:.4f}, {xmax:.4f}, {ymax:.4f}"},
        )
    if not geom.valid:
        raise invalid_geometry_error(geom, label=label)


def validate_geometry_fields(instance: models.Model, *names: str, **labels) -> None:
    """`validate_geometry` for geometry fields of a model instance, each error attached to its
    field (so that a form shows it beside the map, and the map can mark the spot). The
    messages name a shape by its field's verbose name, or by the label given for it
    (`sites=_("drawing of the project sites")`, singular, lower case). Model validation then
    skips that field's validity constraint (`valid_geometry_constraint`), which would repeat
    the error without saying where."""
    errors = {}
    for name in [*names, *labels]:
        label = labels.get(name) or instance._meta.get_field(name).verbose_name
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
        # The database's own wording, for write paths that skip clean(); clean() says what is
        # wrong and where (validate_geometry_fields).
        violation_error_message=(
            "The shape is not valid. Correct the drawing, or tick “repair geometry” to have it "
            "repaired automatically."
        ),
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
        raise ValidationError(_("The shape could not be repaired: nothing valid is left of it."))
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


def distance_km(a: GEOSGeometry, b: GEOSGeometry) -> float:
    """Shortest distance on the ground between two shapes, in km (0 when they touch or one
    holds the other). Measured in an equal-area projection centred on `a`, exact at its
    centre and within 0.1 % over ~100 km from it: pass first the shape the distance is
    measured from (a point, a protected area)."""
    xmin, ymin, xmax, ymax = a.extent
    to_local = CoordTransform(
        SpatialReference(STORAGE_SRID), _equal_area_srs((xmin + xmax) / 2, (ymin + ymax) / 2)
    )
    return a.transform(to_local, clone=True).distance(b.transform(to_local, clone=True)) / 1000


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
