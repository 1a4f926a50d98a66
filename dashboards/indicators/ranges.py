"""Indicator 3: how much of each species' range lies inside protected areas, per country."""

import math

from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import Polygon
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from common.geometry import STORAGE_SRID
from protected_areas.models import Country, ProtectedArea
from species.models import Occurrence, Species

from ..geodesy import EqualArea, percent, polygon_union
from ..models import Indicator
from .base import DashboardIndicator, Names, Table, bar_chart, percent_figure

TOP_AREAS = 3


# Where a species has no range map, the area of its published records stands in for one:
# the cells of this grid (degrees) holding a record as the public sees it (generalised for
# sensitive species), labelled as such, never as a range.
RECORD_CELL_DEGREES = 0.5


def _record_cells(species: Species):
    """The union of the grid cells holding the species' published records, and their count
    (None, 0 without records)."""
    points = list(
        Occurrence.objects.published()
        .for_viewer(AnonymousUser())
        .filter(species=species)
        .values_list("shown_location", flat=True)
    )
    cells = {
        (math.floor(p.x / RECORD_CELL_DEGREES), math.floor(p.y / RECORD_CELL_DEGREES))
        for p in points
    }
    if not cells:
        return None, 0
    step = RECORD_CELL_DEGREES
    squares = [
        Polygon.from_bbox((x * step, y * step, (x + 1) * step, (y + 1) * step))
        for x, y in sorted(cells)
    ]
    for square in squares:
        square.srid = STORAGE_SRID
    return polygon_union(squares), len(points)


def range_protection(*, top: int = TOP_AREAS) -> dict:
    """Per published species and country: the species' range (all seasons together) inside
    the country, the share of it inside the country's published protected areas (overlaps
    counted once) and the protected areas that hold most of it. A species without a range
    map is measured on the grid cells of its published records instead, each row saying
    which it rests on (`basis`: "range" or "records", with the number of records)."""
    countries = list(Country.objects.order_by("name"))
    rows = []
    without_range = []
    for species in Species.objects.published().prefetch_related("ranges").order_by("common_name"):
        ranges = [r.geometry for r in species.ranges.all()]
        if ranges:
            whole_range, basis, records = polygon_union(ranges), "range", None
        else:
            without_range.append(species.slug)
            whole_range, records = _record_cells(species)
            basis = "records"
            if whole_range is None:
                continue
        for country in countries:
            if not whole_range.envelope.intersects(country.boundary.envelope):
                continue
            part = whole_range.intersection(country.boundary)
            if part.empty or part.dims < 2:
                continue
            row = _country_row(species, country, part, top)
            row["basis"] = basis
            row["records"] = records
            rows.append(row)
    return {
        "rows": rows,
        "species_without_range": without_range,
        "record_cell_degrees": RECORD_CELL_DEGREES,
    }


def _country_row(species: Species, country: Country, part, top: int) -> dict:
    projection = EqualArea.centred_on(part)
    part_laea = projection.project(part)
    range_km2 = part_laea.area / 1_000_000
    holdings = []
    pieces = []
    for area in (
        ProtectedArea.objects.published()
        .filter(country=country, boundary__isnull=False, boundary__intersects=part)
        .only("pk", "name", "boundary")
    ):
        inside = projection.project(area.boundary).intersection(part_laea)
        if inside.empty or inside.area == 0:
            continue
        pieces.append(inside)
        holdings.append((inside.area / 1_000_000, area))
    protected_km2 = polygon_union(pieces).area / 1_000_000 if pieces else 0.0
    holdings.sort(key=lambda h: (-h[0], h[1].name))
    return {
        "species": species.slug,
        "scientific_name": species.scientific_name,
        "country": country.iso_a3,
        "range_km2": round(range_km2, 1),
        "protected_km2": round(protected_km2, 1),
        "percent": percent(protected_km2, range_km2),
        "top_areas": [
            {
                "id": area.pk,
                "name": area.name,
                "url": area.get_absolute_url(),
                "km2": round(km2, 1),
                "percent_of_range": percent(km2, range_km2),
            }
            for km2, area in holdings[:top]
        ],
    }


def _basis_label(row: dict) -> str:
    if row.get("basis", "range") == "range":
        return _("Range map")
    return ngettext(
        "From %(records)d record on a half-degree grid, not a range map",
        "From %(records)d records on a half-degree grid, not a range map",
        row["records"],
    ) % {"records": row["records"]}


class RangeProtection(DashboardIndicator):
    slug = Indicator.RANGE_PROTECTION
    sources = gettext_lazy(
        "Species ranges (all seasons together) or, for a species without one, the "
        "half-degree cells holding its published records (not a range map), country "
        "outlines (Natural Earth) and the boundaries of published protected areas."
    )
    depends_on = (
        "species.Species",
        "species.SpeciesRange",
        "species.Occurrence",
        "protected_areas.Country",
        "protected_areas.ProtectedArea",
    )
    compute = staticmethod(range_protection)

    def table(self, data: dict) -> Table:
        headers = [
            _("Species"),
            _("Country"),
            _("Range (km²)"),
            _("Protected (km²)"),
            _("Protected (%)"),
            _("Protected areas holding most of it"),
            _("Based on"),
        ]
        names = Names.for_data(data)
        rows = [
            [
                names.species(row["species"], row.get("species_name")),
                names.country(row["country"], row.get("country_name")),
                row["range_km2"],
                row["protected_km2"],
                row["percent"] if row["percent"] is not None else "",
                "; ".join(
                    f"{names.protected_area(a['id'], a.get('name'))}"
                    f" ({percent_figure(a['percent_of_range'])})"
                    for a in row["top_areas"]
                ),
                _basis_label(row),
            ]
            for row in data["rows"]
        ]
        return headers, rows

    def charts(self, data: dict) -> list[dict]:
        if not data["rows"]:
            return []
        names = Names.for_data(data)
        return [
            bar_chart(
                _("Share of each species' range inside protected areas, by country (%)"),
                [
                    f"{names.species(row['species'], row.get('species_name'))} – "
                    f"{names.country(row['country'], row.get('country_name'))}"
                    for row in data["rows"]
                ],
                [{"label": _("Protected (%)"), "data": [row["percent"] for row in data["rows"]]}],
                horizontal=True,
            )
        ]

    def headline(self, data: dict) -> list[tuple[str, object]]:
        with_range = {
            row["species"] for row in data["rows"] if row.get("basis", "range") == "range"
        }
        from_records = {row["species"] for row in data["rows"] if row.get("basis") == "records"}
        without = len(data["species_without_range"])
        return [
            (
                ngettext(
                    "species with a range map in the records",
                    "species with a range map in the records",
                    len(with_range),
                ),
                len(with_range),
            ),
            (ngettext("species without one", "species without one", without), without),
            (
                ngettext(
                    "species measured on the cells of their records instead",
                    "species measured on the cells of their records instead",
                    len(from_records),
                ),
                len(from_records),
            ),
        ]

    def species_rows(self, data: dict, species_slug: str) -> list[dict]:
        """For a species page: its range's protected share in each country, named in the
        reader's language (the page says "of the range": rows resting on records are left to
        the dashboard, which labels them)."""
        names = Names.for_data(data)
        return [
            {**row, "country_name": names.country(row["country"], row.get("country_name"))}
            for row in data["rows"]
            if row["species"] == species_slug and row.get("basis", "range") == "range"
        ]
