"""WDPA downloads from Protected Planet (zipped shapefiles, GeoPackage, GeoJSON, File
Geodatabase), polygons and points, onto protected areas.

A row is matched on its WDPAID. A WDPAID the portal does not hold yet is compared with the
records that have none (by name in the country, or by their point lying in the polygon) and
any likely match is *proposed*; unmatched rows become new draft records. A WDPA polygon
replaces an approximate boundary (or one from an earlier WDPA release), never a boundary an
editor drew. Fields the editor changed since the last WDPA import are kept; the report says
so. Every attribute of the row is kept in `wdpa_attributes`.

Longer than most modules (~400 lines): one format's reading, matching and mapping rules,
which are read together, and split would only be read side by side."""

import datetime
import math
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.contrib.gis.geos import GEOSException, MultiPoint, Point
from django.contrib.gis.geos.collections import GeometryCollection

from common.geometry import as_multipolygon, repair_geometry
from common.models import BoundaryQuality
from protected_areas.models import IUCNCategory, ProtectedArea

from ..report import CREATED, PROPOSED, UPDATED, RowResult
from ..vector import FileRefused, VectorFeature, count_features, open_layers, read_features
from .areas import AreaCandidates, boundary_replaceable, countries_by_code
from .base import Importer, Planned, blocked, snapshot, validate_into

REQUIRED_COLUMNS = ("WDPAID", "NAME", "ISO3")
WDPA_COLUMNS = (
    "WDPAID", "WDPA_PID", "NAME", "ORIG_NAME", "DESIG", "DESIG_ENG", "DESIG_TYPE",
    "IUCN_CAT", "INT_CRIT", "MARINE", "REP_M_AREA", "REP_AREA", "GIS_M_AREA", "GIS_AREA",
    "NO_TAKE", "NO_TK_AREA", "STATUS", "STATUS_YR", "GOV_TYPE", "OWN_TYPE", "MANG_AUTH",
    "MANG_PLAN", "VERIF", "METADATAID", "SUB_LOC", "PARENT_ISO3", "ISO3",
)  # fmt: skip
IUCN_CODES = {choice.value for choice in IUCNCategory} - {IUCNCategory.NOT_REPORTED}
NOT_REPORTED = {"", "not reported", "not applicable", "not assigned"}
RELEASE = re.compile(r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*[_-]?(\d{4})")
# The fields a WDPA row fills: an editor's value that differs from the last WDPA import's
# is kept. `wdpa_id`, the boundary and its source are the row's own.
OWNED_FIELDS = (
    "name_en",
    "name_local",
    "designation_en",
    "iucn_category",
    "status_year",
    "reported_area_km2",
    "management_authority",
)
NOT_UTF8 = (
    "The text is not UTF-8. Save the file with UTF-8 encoding (for a shapefile, put a .cpg "
    "file containing “UTF-8” beside the .dbf)."
)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _reported(value) -> str:
    text = _text(value)
    return "" if text.casefold() in NOT_REPORTED else text


def _json_safe(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def wdpa_id_of(value) -> int:
    number = float(value)
    if not number.is_integer() or number <= 0:
        raise ValueError(value)
    return int(number)


def mapped_values(attributes: dict) -> dict:
    """The record's fields as the WDPA attributes give them."""
    name = _text(attributes.get("NAME"))
    original = _text(attributes.get("ORIG_NAME"))
    category = _text(attributes.get("IUCN_CAT"))
    year = attributes.get("STATUS_YR")
    area = attributes.get("REP_AREA")
    try:
        area = round(Decimal(str(area)), 2) if area not in (None, "") and float(area) > 0 else None
    except (InvalidOperation, ValueError):
        area = None
    return {
        "name_en": name,
        "name_local": original if original != name else "",
        "designation_en": _text(attributes.get("DESIG_ENG")) or _text(attributes.get("DESIG")),
        "iucn_category": category if category in IUCN_CODES else IUCNCategory.NOT_REPORTED,
        "status_year": int(year) if isinstance(year, (int, float)) and year > 0 else None,
        "reported_area_km2": area,
        "management_authority": _reported(attributes.get("MANG_AUTH")),
    }


def is_empty(name: str, value) -> bool:
    return value in (None, "") or (name == "iucn_category" and value == IUCNCategory.NOT_REPORTED)


class WdpaImporter(Importer):
    def open(self, path: Path, name: str):
        layers, notes = open_layers(path, name, wanted=lambda layer: layer.num_fields > 0)
        wdpa_layers = []
        for layer in layers:
            fields = set(layer.field_names)
            missing = [column for column in REQUIRED_COLUMNS if column not in fields]
            if "WDPAID" not in fields:
                notes.append(f"{layer.label}: no WDPAID column; not a WDPA layer, left out.")
            elif missing:
                raise FileRefused(
                    f"{layer.label} lacks the WDPA column(s) {', '.join(missing)}. Import the "
                    "file as Protected Planet provides it (columns WDPAID, NAME, ISO3, …)."
                )
            else:
                wdpa_layers.append(layer)
        if not wdpa_layers:
            found = sorted({field for layer in layers for field in layer.field_names})
            raise FileRefused(
                f"“{name}” has no layer with the WDPA columns {', '.join(REQUIRED_COLUMNS)} "
                f"(found: {', '.join(found[:15]) or 'no columns'}). Is it a WDPA download?"
            )
        self.layers = wdpa_layers
        self.countries = countries_by_code()
        self.country_ids = {country.pk: country for country in self.countries.values()}
        self.iso3 = {code.strip().upper() for code in self.options.get("iso3", []) if code}
        self.repair = bool(self.options.get("repair"))
        self.by_wdpa_id = dict(
            ProtectedArea.objects.filter(wdpa_id__isnull=False).values_list("wdpa_id", "pk")
        )
        self.candidates = AreaCandidates(ProtectedArea.objects.filter(wdpa_id__isnull=True))
        self.seen: dict[int, int] = {}
        self.linked: dict[int, int] = {}
        self.parcels: dict[int, list[VectorFeature]] = {}
        match = RELEASE.search(name)
        self.release = f"{match[1]} {match[2]}" if match else ""
        if self.iso3:
            notes.append(f"Only rows of {', '.join(sorted(self.iso3))} are imported.")
        notes.append(
            "Source: UNEP-WCMC and IUCN, Protected Planet: The World Database on Protected "
            "Areas (WDPA)"
            + (f", {self.release} release" if self.release else "")
            + ". The file is kept privately and not redistributed; pages credit the WDPA."
        )
        return count_features(self.layers), notes

    def rows(self):
        return read_features(self.layers)

    # -- one row -----------------------------------------------------------------------------

    def plan(self, feature: VectorFeature) -> Planned | None:
        attributes = feature.values
        label = (
            f"{_text(attributes.get('NAME')) or '(no name)'} · WDPAID {attributes.get('WDPAID')}"
        )
        result = RowResult(row=feature.number, label=label)
        for column in feature.undecodable:
            result.error(NOT_UTF8, field=column, rule="utf8")
        try:
            wdpa_id = wdpa_id_of(attributes.get("WDPAID"))
        except (TypeError, ValueError):
            return Planned(
                result.error(
                    "WDPAID must be a positive whole number.",
                    field="WDPAID",
                    value=attributes.get("WDPAID"),
                    rule="wdpa_id",
                )
            )
        countries = self._countries(result, attributes)
        if blocked(result):
            return Planned(result)
        parcel_id = _text(attributes.get("WDPA_PID"))
        if parcel_id and parcel_id != str(wdpa_id) and parcel_id.startswith(f"{wdpa_id}_"):
            # One parcel of a site mapped in several: planned with its siblings at the end.
            self.parcels.setdefault(wdpa_id, []).append(feature)
            return None
        if wdpa_id in self.seen:
            return Planned(
                result.error(
                    f"WDPAID {wdpa_id} appears again (first in row {self.seen[wdpa_id]}).",
                    field="WDPAID",
                    value=wdpa_id,
                    rule="unique",
                )
            )
        self.seen[wdpa_id] = feature.number
        return self._plan_record(result, wdpa_id, countries, [feature])

    def finish(self) -> list[Planned]:
        planned = []
        for wdpa_id, features in self.parcels.items():
            first = features[0]
            attributes = first.values
            parcels = ", ".join(_text(f.values.get("WDPA_PID")) for f in features)
            result = RowResult(
                row=first.number,
                label=f"{_text(attributes.get('NAME'))} · WDPAID {wdpa_id} (parcels {parcels})",
            )
            result.notes.append(
                "Rows " + ", ".join(str(f.number) for f in features) + " are parcels of one "
                "site: their shapes are joined."
            )
            if wdpa_id in self.seen:
                planned.append(
                    Planned(
                        result.error(
                            f"WDPAID {wdpa_id} is given both whole (row {self.seen[wdpa_id]}) "
                            "and in parcels.",
                            field="WDPA_PID",
                            rule="unique",
                        )
                    )
                )
                continue
            countries = self._countries(result, attributes)
            planned.append(self._plan_record(result, wdpa_id, countries, features))
        self.parcels = {}
        return planned

    def _countries(self, result: RowResult, attributes: dict) -> list:
        """The portal's countries the row's ISO3 names (those asked for first)."""
        codes = [code.strip().upper() for code in _text(attributes.get("ISO3")).split(";")]
        codes = [code for code in codes if code]
        if self.iso3 and not self.iso3.intersection(codes):
            result.skip(
                f"Outside the countries asked for ({', '.join(sorted(self.iso3))}).",
                field="ISO3",
                value=";".join(codes),
                rule="iso3_filter",
            )
            return []
        known = [code for code in codes if code in self.countries]
        if self.iso3:
            known = [code for code in known if code in self.iso3] or known
        if not known:
            result.skip(
                "No country of the portal: only the member states and their neighbours are held.",
                field="ISO3",
                value=";".join(codes),
                rule="country",
            )
            return []
        return [self.countries[code] for code in known]

    def _filed_under(self, result: RowResult, countries: list, shape, attributes: dict):
        """A site listed in several countries ("RUS;MNG") is filed under the one that holds
        its representative point, else the first listed."""
        chosen = countries[0]
        if len(countries) > 1:
            point = shape if isinstance(shape, Point) else shape.point_on_surface
            chosen = next((c for c in countries if c.boundary.contains(point)), chosen)
        codes = codes_of(attributes)
        if len(codes) > 1:
            result.notes.append(f"Listed in {';'.join(codes)}; filed under {chosen.iso_a3}.")
        return chosen

    def _geometry(self, result: RowResult, features: list[VectorFeature]):
        shapes = []
        for feature in features:
            if feature.geometry is None:
                result.error(
                    feature.geometry_error or "The row has no geometry.",
                    field="geometry",
                    rule="geometry",
                )
                continue
            shapes.append(feature.geometry)
        if not shapes:
            return None
        kinds = {shape.geom_type for shape in shapes}
        if kinds <= {"Point", "MultiPoint"}:
            point = shapes[0] if isinstance(shapes[0], Point) else shapes[0][0]
            if isinstance(shapes[0], MultiPoint) and len(shapes[0]) > 1:
                result.notes.append("The row has several points; the first is kept.")
            return Point(point.x, point.y, srid=point.srid)
        if not kinds <= {"Polygon", "MultiPolygon"}:
            result.error(
                f"A {', '.join(sorted(kinds))} is no area: WDPA rows are polygons or points.",
                field="geometry",
                rule="geometry_type",
            )
            return None
        try:
            shape = as_multipolygon(
                shapes[0]
                if len(shapes) == 1
                else GeometryCollection(*shapes, srid=shapes[0].srid).unary_union
            )
        except GEOSException as exc:
            result.error(
                f"The parcels could not be joined ({exc}); correct their shapes.",
                field="geometry",
                rule="geometry",
            )
            return None
        if self.repair and not shape.valid:
            reason = shape.valid_reason
            shape = repair_geometry(shape)
            result.notes.append(f"Boundary repaired with GEOS MakeValid (it was: {reason}).")
        return shape

    def _plan_record(self, result, wdpa_id, countries, features) -> Planned:
        if blocked(result):
            return Planned(result)
        shape = self._geometry(result, features)
        if shape is None:
            return Planned(result)
        attributes = {key: _json_safe(value) for key, value in features[0].values.items() if key}
        if len(features) > 1:
            attributes["WDPA_PID"] = [_text(f.values.get("WDPA_PID")) for f in features]
        country = self._filed_under(result, countries, shape, attributes)
        area = self._match(result, wdpa_id, country, attributes, shape)
        if area is None:
            return Planned(result)
        created = area.pk is None
        before = None if created else snapshot(area)
        self._fill(
            result,
            area,
            wdpa_id=wdpa_id,
            country=country,
            attributes=attributes,
            shape=shape,
            created=created,
        )
        # The country was read by this import and the row matched on its WDPAID (the
        # database's unique constraint backs it when writing).
        validated = validate_into(
            result, area, before, created=created, exclude=["country"], checked_by_importer=True
        )
        if not validated.ok or result.outcome not in (CREATED, UPDATED):
            return Planned(result, model=ProtectedArea, existing=None if created else area)
        return Planned(
            result,
            model=ProtectedArea,
            existing=None if created else area,
            write=(
                (lambda: self.create_later(result, area))
                if created
                else (lambda: [self.save(area, UPDATED)])
            ),
        )

    def _match(self, result, wdpa_id, country, attributes, shape) -> ProtectedArea | None:
        pk = self.by_wdpa_id.get(wdpa_id)
        if pk is not None:
            return ProtectedArea.objects.select_related("country").get(pk=pk)
        candidates = self.candidates.for_row(
            names=[_text(attributes.get("NAME")), _text(attributes.get("ORIG_NAME"))],
            country_id=country.pk,
            geometry=shape,
        )
        decision = self.decision(result.row)
        if decision.isdigit():
            return self._accepted(result, int(decision), candidates)
        if decision == "new" or not candidates:
            return ProtectedArea(country=country)
        if self.applying:
            result.skip(
                "A match with an existing record was proposed and not accepted.", rule="proposal"
            )
            return None
        result.outcome = PROPOSED
        result.candidates = candidates
        return None

    def _accepted(self, result, chosen: int, candidates: list[dict]) -> ProtectedArea | None:
        """The record the editor accepted for a proposed match."""
        if chosen not in {candidate["id"] for candidate in candidates}:
            result.error(
                f"Record #{chosen} is no longer a proposed match; run the dry run again.",
                rule="proposal",
            )
            return None
        if chosen in self.linked:
            result.error(
                f"Record #{chosen} was already matched to row {self.linked[chosen]}.",
                rule="proposal",
            )
            return None
        self.linked[chosen] = result.row
        return ProtectedArea.objects.select_related("country").get(pk=chosen)

    def _fill(self, result, area, *, wdpa_id, country, attributes, shape, created) -> None:
        values = mapped_values(attributes)
        previous = mapped_values(area.wdpa_attributes) if area.wdpa_attributes else {}
        for name, value in values.items():
            current = getattr(area, name)
            owned = name in previous and current == previous[name]
            if created or is_empty(name, current) or owned:
                setattr(area, name, value)
            elif current != value and not is_empty(name, value):
                result.notes.append(
                    f"{name.removesuffix('_en')}: kept the portal's “{current}” (the WDPA "
                    f"has “{value}”)."
                )
        if area.country_id != country.pk:
            result.notes.append(
                f"Kept the portal's country {area.country.iso_a3} (the WDPA lists "
                f"{';'.join(codes_of(attributes))})."
            )
        area.wdpa_id = wdpa_id
        area.wdpa_attributes = attributes
        if isinstance(shape, Point):
            if area.location is None:
                area.location = shape
            return
        if not boundary_replaceable(area, BoundaryQuality.WDPA):
            result.notes.append(
                f"Boundary kept: the record's is “{area.get_boundary_quality_display()}”, "
                "drawn or imported by an editor; the WDPA polygon was not applied."
            )
            return
        if area.location is None or (area.location_estimated and area.boundary is not None):
            # A point derived from the old boundary follows the new one.
            area.location = None
            area.location_estimated = True
        area.boundary = shape
        area.boundary_quality = BoundaryQuality.WDPA
        area.boundary_source = self._source(wdpa_id)

    def _source(self, wdpa_id: int) -> str:
        release = f" ({self.release} release)" if self.release else ""
        return (
            f"WDPA{release}, WDPAID {wdpa_id}: UNEP-WCMC and IUCN, Protected Planet, "
            "www.protectedplanet.net"
        )


def codes_of(attributes: dict) -> list[str]:
    return [code.strip() for code in _text(attributes.get("ISO3")).split(";") if code.strip()]
