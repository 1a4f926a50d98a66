"""A boundary for one protected area, from its admin page: an uploaded GeoJSON, GeoPackage,
KML or zipped shapefile, or pasted GeoJSON or WKT.

A file that declares its coordinate system (a .prj, a GeoPackage's SRS, a GeoJSON "crs",
an EWKT "SRID=…;") is reprojected to WGS 84 explicitly, and the report says so; input
without one must already be longitude/latitude (values out of range are refused). When the
file holds several shapes, each is previewed on a map and the editor chooses one."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry

from common.geometry import STORAGE_SRID, as_multipolygon, repair_geometry
from common.models import BoundaryQuality
from protected_areas.models import ProtectedArea

from ..report import PROPOSED, SKIPPED, UPDATED, RowResult
from ..vector import FileRefused, VectorFeature, count_features, open_layers, read_features
from .base import Importer, Planned, snapshot, validate_into

# Vertices kept in a shape's preview on the report page.
PREVIEW_TOLERANCE_DEGREES = 0.0005
NAME_FIELDS = ("name", "Name", "NAME", "title", "label")


@dataclass
class WktFeature:
    number: int
    values: dict
    geometry: GEOSGeometry | None
    geometry_error: str = ""
    undecodable: dict | None = None


def read_wkt(path: Path) -> tuple[WktFeature, list[str]]:
    """Pasted WKT, or EWKT naming its SRID ("SRID=3857;POLYGON(…)")."""
    text = path.read_text(encoding="utf-8").strip()
    try:
        geometry = GEOSGeometry(text)
    except (GEOSException, ValueError, GDALException) as exc:
        raise FileRefused(
            f"The text is not WKT ({exc}). Paste e.g. POLYGON((131 43, 131.2 43, 131.2 43.2, "
            "131 43)), or GeoJSON."
        ) from exc
    notes = []
    if geometry.srid and geometry.srid != STORAGE_SRID:
        source = geometry.srid
        try:
            geometry.transform(STORAGE_SRID)
        except (GEOSException, GDALException) as exc:
            raise FileRefused(
                f"SRID {source} cannot be converted to WGS 84; give longitude/latitude."
            ) from exc
        notes.append(f"Pasted WKT: reprojected from EPSG:{source} to WGS 84 (EPSG:4326).")
    elif not geometry.srid:
        notes.append("Pasted WKT without an SRID: read as WGS 84 longitude/latitude.")
    geometry.srid = STORAGE_SRID
    return WktFeature(1, {}, geometry), notes


class BoundaryImporter(Importer):
    def open(self, path: Path, name: str):
        try:
            self.area = ProtectedArea.objects.select_related("country").get(
                pk=self.options.get("area")
            )
        except ProtectedArea.DoesNotExist as exc:
            raise FileRefused("The protected area of this boundary no longer exists.") from exc
        self.quality = self.options.get("quality") or BoundaryQuality.DIGITISED
        self.source = (self.options.get("source") or "").strip() or f"Uploaded file {name}"
        self.repair = bool(self.options.get("repair"))
        if name.lower().endswith(".wkt"):
            feature, notes = read_wkt(path)
            self.features = [feature]
            self.total = 1
        else:
            layers, notes = open_layers(path, name)
            self.features = read_features(layers)
            self.total = count_features(layers)
        if self.total == 0:
            raise FileRefused(f"“{name}” holds no shape.")
        return self.total, notes

    def rows(self):
        return self.features

    def plan(self, feature: VectorFeature | WktFeature) -> Planned:
        label = next((str(feature.values[f]) for f in NAME_FIELDS if feature.values.get(f)), "")
        result = RowResult(row=feature.number, label=label or f"Shape {feature.number}")
        shape = self._shape(result, feature)
        if shape is None:
            return Planned(self._set_aside(result))
        result.preview = json.loads(
            shape.simplify(PREVIEW_TOLERANCE_DEGREES, preserve_topology=True).geojson
        )
        chosen = self.decision(result.row) == str(self.area.pk)
        if self.total > 1 and self.applying and not chosen:
            return Planned(result.skip("Not the shape chosen.", rule="choice"))
        area = ProtectedArea.objects.select_related("country").get(pk=self.area.pk)
        before = snapshot(area)
        if area.location is None or area.location_estimated:
            area.location = None  # derived again from the new boundary
        area.boundary = shape
        area.boundary_quality = self.quality
        area.boundary_source = self.source[:500]
        validated = validate_into(result, area, before, created=False)
        if not validated.ok:
            return Planned(self._set_aside(result), model=ProtectedArea)
        if self.total > 1 and not self.applying:
            result.outcome = PROPOSED
            result.candidates = [
                {"id": area.pk, "record": str(area), "reason": "use this shape as its boundary"}
            ]
            return Planned(result)
        if result.outcome != UPDATED:
            return Planned(result, model=ProtectedArea, existing=area)
        return Planned(
            result,
            model=ProtectedArea,
            existing=area,
            write=lambda: [self.save(area, UPDATED)],
        )

    def _set_aside(self, result: RowResult) -> RowResult:
        """Among several shapes, a bad one is only not offered; alone, it is an error."""
        if self.total > 1:
            result.outcome = SKIPPED
        return result

    def _shape(self, result: RowResult, feature):
        geometry = feature.geometry
        if geometry is None:
            result.error(feature.geometry_error or "No shape.", field="geometry", rule="geometry")
            return None
        if geometry.geom_type not in ("Polygon", "MultiPolygon", "GeometryCollection"):
            result.error(
                f"A {geometry.geom_type} is not an area: give a polygon.",
                field="geometry",
                rule="geometry_type",
            )
            return None
        shape = as_multipolygon(geometry)
        if shape.empty:
            result.error("The shape holds no polygon.", field="geometry", rule="geometry_type")
            return None
        if self.repair and not shape.valid:
            reason = shape.valid_reason
            shape = repair_geometry(shape)
            result.notes.append(f"Repaired with GEOS MakeValid (it was: {reason}).")
        return shape
