"""Indicator 3: how much of each species' range lies inside protected areas, per country."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from protected_areas.models import Country, ProtectedArea
from species.models import Species

from ..geodesy import EqualArea, percent, polygon_union
from ..models import Indicator
from .base import DashboardIndicator, Names, Table, bar_chart, percent_figure

TOP_AREAS = 3


def range_protection(*, top: int = TOP_AREAS) -> dict:
    """Per published species and country: the species' range (all seasons together) inside
    the country, the share of it inside the country's published protected areas (overlaps
    counted once) and the protected areas that hold most of it."""
    countries = list(Country.objects.order_by("name"))
    rows = []
    without_range = []
    for species in Species.objects.published().prefetch_related("ranges").order_by("common_name"):
        ranges = [r.geometry for r in species.ranges.all()]
        if not ranges:
            without_range.append(species.slug)
            continue
        whole_range = polygon_union(ranges)
        for country in countries:
            if not whole_range.envelope.intersects(country.boundary.envelope):
                continue
            part = whole_range.intersection(country.boundary)
            if part.empty or part.dims < 2:
                continue
            rows.append(_country_row(species, country, part, top))
    return {"rows": rows, "species_without_range": without_range}


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


class RangeProtection(DashboardIndicator):
    slug = Indicator.RANGE_PROTECTION
    sources = gettext_lazy(
        "Species ranges (all seasons together), country outlines (Natural Earth) "
        "and the boundaries of published protected areas."
    )
    depends_on = (
        "species.Species",
        "species.SpeciesRange",
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
        measured = {row["species"] for row in data["rows"]}
        without = len(data["species_without_range"])
        return [
            (
                ngettext(
                    "species with a range map in the records",
                    "species with a range map in the records",
                    len(measured),
                ),
                len(measured),
            ),
            (ngettext("species without one", "species without one", without), without),
        ]

    def species_rows(self, data: dict, species_slug: str) -> list[dict]:
        """For a species page: its range's protected share in each country, named in the
        reader's language."""
        names = Names.for_data(data)
        return [
            {**row, "country_name": names.country(row["country"], row.get("country_name"))}
            for row in data["rows"]
            if row["species"] == species_slug
        ]
