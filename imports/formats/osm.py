"""OpenStreetMap extracts: an .osm.pbf (or .osm) through GDAL's OSM driver, or the GeoJSON
an Overpass query returns. Polygons tagged boundary=protected_area, boundary=national_park
or leisure=nature_reserve are proposed as the boundary of an existing protected area — one
with the same WDPA ID (ref:WDPA), the same name, or whose point lies inside — and applied
only when the editor accepts. OpenStreetMap creates no record of its own.

The data is © OpenStreetMap contributors under the ODbL: the boundary's source says so, with
the OSM object it came from, and pages credit it wherever the boundary is shown. An OSM
boundary replaces only an approximate one (or one from an earlier OSM import)."""

import json
import re
from pathlib import Path

from django.contrib.gis.geos import GEOSException

from common.geometry import as_multipolygon, repair_geometry
from common.models import BoundaryQuality
from protected_areas.models import ProtectedArea

from ..report import PROPOSED, UPDATED, RowResult
from ..vector import FileRefused, VectorFeature, count_features, open_layers, read_features
from .areas import AreaCandidates, boundary_replaceable
from .base import Importer, Planned, snapshot, validate_into

WANTED = {
    ("boundary", "protected_area"),
    ("boundary", "national_park"),
    ("leisure", "nature_reserve"),
}
HSTORE_PAIR = re.compile(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"')
SOURCE = re.compile(r"^OpenStreetMap (node|way|relation) (\d+)")
NAME_TAGS = ("name", "name:en", "int_name", "official_name", "name:ru", "name:zh", "name:mn")
CREDIT = "© OpenStreetMap contributors, ODbL 1.0"


def osm_tags(values: dict) -> dict:
    """The OSM tags of a feature, whichever reader produced it: the OSM driver's columns and
    its `other_tags` hstore, or Overpass GeoJSON's flat properties or `tags` object."""
    tags = {}
    nested = values.get("tags")
    if isinstance(nested, str) and nested.startswith("{"):
        nested = json.loads(nested)
    if isinstance(nested, dict):
        tags.update(nested)
    for key, value in values.items():
        if key in ("tags", "other_tags") or value in (None, ""):
            continue
        tags.setdefault(key, value)
    for key, value in HSTORE_PAIR.findall(values.get("other_tags") or ""):
        tags.setdefault(key.replace('\\"', '"'), value.replace('\\"', '"'))
    return {str(key): str(value) for key, value in tags.items()}


def osm_object(values: dict) -> tuple[str, str]:
    """("way" | "relation", id) from the OSM driver's osm_id/osm_way_id or GeoJSON's "@id"."""
    if values.get("osm_way_id"):
        return "way", str(values["osm_way_id"])
    if values.get("osm_id"):
        return "relation", str(values["osm_id"])
    for key in ("@id", "id"):
        text = str(values.get(key) or "")
        if "/" in text:
            kind, _slash, number = text.partition("/")
            return kind, number
    return "", ""


class OsmImporter(Importer):
    def open(self, path: Path, name: str):
        is_osm = name.lower().endswith((".pbf", ".osm"))
        layers, notes = open_layers(
            path,
            name,
            wanted=(lambda layer: layer.name == "multipolygons") if is_osm else None,
        )
        if not layers:
            raise FileRefused(f"“{name}” holds no polygons (no “multipolygons” layer).")
        self.layers = layers
        self.repair = bool(self.options.get("repair"))
        self.by_osm = {}
        for pk, source in ProtectedArea.objects.filter(
            boundary_quality=BoundaryQuality.OSM
        ).values_list("pk", "boundary_source"):
            match = SOURCE.match(source)
            if match:
                self.by_osm[(match[1], match[2])] = pk
        self.candidates = AreaCandidates(ProtectedArea.objects.all())
        self.by_wdpa_id = dict(
            ProtectedArea.objects.filter(wdpa_id__isnull=False).values_list("wdpa_id", "pk")
        )
        self.left_out = 0
        notes.append(
            f"Data {CREDIT}. Each boundary taken from it names its OSM object, and pages "
            "showing it credit OpenStreetMap."
        )
        return count_features(layers), notes

    def rows(self):
        return read_features(self.layers)

    def finish(self) -> list[Planned]:
        if self.left_out:
            self.late_notes.append(
                f"{self.left_out} other polygon(s) (not a protected area, national park or "
                "nature reserve) left out."
            )
        return []

    def plan(self, feature: VectorFeature) -> Planned | None:
        tags = osm_tags(feature.values)
        if not any(tags.get(key) == value for key, value in WANTED):
            self.left_out += 1
            return None
        kind, number = osm_object(feature.values)
        names = [tags[key] for key in NAME_TAGS if tags.get(key)]
        label = f"{names[0] if names else '(no name)'} · OSM {kind} {number}".strip()
        result = RowResult(row=feature.number, label=label)
        shape = self._shape(result, feature)
        if shape is None:
            return Planned(result)
        area = self._match(result, (kind, number), tags, names, shape)
        if area is None:
            return Planned(result)
        if not boundary_replaceable(area, BoundaryQuality.OSM):
            return Planned(
                result.skip(
                    f"The record's boundary is “{area.get_boundary_quality_display()}”; an "
                    "OpenStreetMap boundary replaces only an approximate one.",
                    rule="boundary_quality",
                )
            )
        before = snapshot(area)
        if area.location is None or area.location_estimated:
            area.location = None
        area.boundary = shape
        area.boundary_quality = BoundaryQuality.OSM
        wikidata = f", wikidata {tags['wikidata']}" if tags.get("wikidata") else ""
        area.boundary_source = f"OpenStreetMap {kind} {number}{wikidata} ({CREDIT})"
        validated = validate_into(result, area, before, created=False)
        if not validated.ok or result.outcome != UPDATED:
            return Planned(result, model=ProtectedArea, existing=area)
        return Planned(
            result,
            model=ProtectedArea,
            existing=area,
            write=lambda: [self.save(area, UPDATED)],
        )

    def _shape(self, result: RowResult, feature: VectorFeature):
        geometry = feature.geometry
        if geometry is None or geometry.geom_type not in ("Polygon", "MultiPolygon"):
            result.skip(
                "Not a polygon (an unclosed way or a broken relation).",
                field="geometry",
                value=geometry.geom_type if geometry is not None else feature.geometry_error,
                rule="geometry_type",
            )
            return None
        try:
            shape = as_multipolygon(geometry)
        except GEOSException as exc:
            result.error(str(exc), field="geometry", rule="geometry")
            return None
        if self.repair and not shape.valid:
            reason = shape.valid_reason
            shape = repair_geometry(shape)
            result.notes.append(f"Repaired with GEOS MakeValid (it was: {reason}).")
        return shape

    def _match(self, result, key, tags, names, shape) -> ProtectedArea | None:
        known = self.by_osm.get(key)
        if known is not None:
            return ProtectedArea.objects.select_related("country").get(pk=known)
        candidates = self.candidates.for_row(names=names, country_id=None, geometry=shape)
        wdpa = (tags.get("ref:WDPA") or tags.get("wdpa_id") or "").strip()
        if wdpa.isdigit() and int(wdpa) in self.by_wdpa_id:
            pk = self.by_wdpa_id[int(wdpa)]
            others = [c for c in candidates if c["id"] != pk]
            record = ProtectedArea.objects.select_related("country").get(pk=pk)
            candidates = [{"id": pk, "record": str(record), "reason": "same WDPA ID"}, *others]
        decision = self.decision(result.row)
        if decision.isdigit() and int(decision) in {c["id"] for c in candidates}:
            return ProtectedArea.objects.select_related("country").get(pk=int(decision))
        if not candidates:
            result.skip(
                "No protected area of the portal matches (by WDPA ID, name or its point); "
                "create the record first, then import again.",
                rule="no_match",
            )
        elif self.applying:
            result.skip("The proposed match was not accepted.", rule="proposal")
        else:
            result.outcome = PROPOSED
            result.candidates = candidates
        return None
