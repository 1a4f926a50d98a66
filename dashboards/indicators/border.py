"""Indicator 2: the area protected within a distance of each member state's land borders."""

import json
import math

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, LineString, MultiLineString, Polygon
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from protected_areas.models import Country, ProtectedArea

from ..geodesy import (
    EqualArea,
    geodesic_area_km2,
    geodesic_length_km,
    linework,
    percent,
    polygon_union,
)
from ..models import Indicator
from .base import DashboardIndicator, Names, Table, bar_chart, number, percent_figure
from .transboundary import KM_PER_DEGREE_LAT, KM_PER_DEGREE_LON_EQUATOR

# Border pieces are buffered in their own projection per band of this many degrees of
# longitude (at most ~560 km), which keeps buffer distances within 0.1 %.
BAND_DEGREES = 5
# The zone's outline is kept, simplified, for the page's map only (never measured).
OUTLINE_TOLERANCE_DEGREES = 0.05


def border_protection(*, zone_km: float = 50.0) -> dict:
    """Per member state and per land border: the zone within `zone_km` of the border on each
    side, and the part of it inside the published protected areas of that side's country
    (overlapping areas counted once), in km² and as a share of the zone.

    Borders are where the Natural Earth outlines meet. Zones are buffered piece by piece in
    equal-area projections centred on each piece; areas are measured in one equal-area
    projection, so they are exact on the ellipsoid."""
    countries = list(Country.objects.order_by("name"))
    members = [country for country in countries if country.is_member]
    sides: dict[tuple[str, str], dict] = {}
    borders = []
    for country in members:
        for neighbour in countries:
            if neighbour.pk == country.pk or not _may_touch(country, neighbour):
                continue
            lines = linework(country.boundary.intersection(neighbour.boundary))
            if lines is None:
                continue
            side = _side(country, lines, zone_km)
            sides[(country.iso_a3, neighbour.iso_a3)] = side
            if neighbour.is_member and (neighbour.iso_a3, country.iso_a3) in sides:
                continue
            borders.append((country, neighbour, geodesic_length_km(lines)))

    border_rows = []
    for country, neighbour, length_km in borders:
        pair_sides = [
            {"country": iso, **_figures(sides[(iso, other)])}
            for iso, other in (
                (country.iso_a3, neighbour.iso_a3),
                (neighbour.iso_a3, country.iso_a3),
            )
            if (iso, other) in sides
        ]
        zone = sum(s["zone_km2"] for s in pair_sides)
        protected = sum(s["protected_km2"] for s in pair_sides)
        border_rows.append(
            {
                "countries": [country.iso_a3, neighbour.iso_a3],
                "length_km": round(length_km, 1),
                "sides": pair_sides,
                "zone_km2": round(zone, 1),
                "protected_km2": round(protected, 1),
                "percent": percent(protected, zone),
            }
        )

    country_rows = []
    for country in members:
        own = [side for (iso, _other), side in sides.items() if iso == country.iso_a3]
        row = {
            "country": country.iso_a3,
            "neighbours": sorted(n for (iso, n) in sides if iso == country.iso_a3),
            "zone_km2": 0.0,
            "protected_km2": 0.0,
            "percent": None,
            "zone_outline": None,
            "areas_without_boundary": ProtectedArea.objects.published()
            .filter(country=country, boundary__isnull=True)
            .count(),
        }
        if own:
            zone = polygon_union([side["zone"] for side in own])
            protected_parts = [side["protected"] for side in own if side["protected"]]
            protected = polygon_union(protected_parts) if protected_parts else None
            row["zone_km2"] = round(geodesic_area_km2(zone), 1)
            row["protected_km2"] = round(geodesic_area_km2(protected), 1) if protected else 0.0
            row["percent"] = percent(row["protected_km2"], row["zone_km2"])
            row["zone_outline"] = json.loads(zone.simplify(OUTLINE_TOLERANCE_DEGREES).json)
        country_rows.append(row)
    return {"zone_km": zone_km, "countries": country_rows, "borders": border_rows}


def _may_touch(a: Country, b: Country) -> bool:
    ax0, ay0, ax1, ay1 = a.boundary.extent
    bx0, by0, bx1, by1 = b.boundary.extent
    return ax0 <= bx1 and bx0 <= ax1 and ay0 <= by1 and by0 <= ay1


def _side(country: Country, lines: GEOSGeometry, zone_km: float) -> dict:
    zone_wgs84 = polygon_union([_zone_piece(country, piece, zone_km) for piece in _pieces(lines)])
    projection = EqualArea.centred_on(zone_wgs84)
    zone = projection.project(zone_wgs84)
    shapes = [
        projection.project(boundary)
        for boundary in ProtectedArea.objects.published()
        .filter(country=country, boundary__isnull=False, boundary__intersects=zone_wgs84)
        .values_list("boundary", flat=True)
    ]
    protected = polygon_union(shapes).intersection(zone) if shapes else None
    return {
        "zone": zone_wgs84,
        "zone_km2": zone.area / 1_000_000,
        "protected": projection.unproject(protected) if protected and not protected.empty else None,
        "protected_km2": protected.area / 1_000_000 if protected else 0.0,
    }


def _pieces(lines: MultiLineString) -> list[MultiLineString]:
    """The border cut into bands of longitude, each buffered in its own projection, so that
    the zone's width stays true on the ground along a border thousands of kilometres long.
    Lines are merged first: GEOS buffers one long line far faster than a thousand short ones."""
    merged = lines.merged
    bands: dict[int, list] = {}
    for line in merged if isinstance(merged, MultiLineString) else [merged]:
        chunk = [line[0]]
        band = int(line[0][0] // BAND_DEGREES)
        for point in line[1:]:
            chunk.append(point)
            point_band = int(point[0] // BAND_DEGREES)
            if point_band != band:
                bands.setdefault(band, []).append(LineString(chunk, srid=lines.srid))
                chunk, band = [point], point_band
        if len(chunk) > 1:
            bands.setdefault(band, []).append(LineString(chunk, srid=lines.srid))
    return [MultiLineString(*parts, srid=lines.srid) for _band, parts in sorted(bands.items())]


def _zone_piece(country: Country, lines: MultiLineString, zone_km: float) -> GEOSGeometry:
    projection = EqualArea.centred_on(lines)
    # Only the part of the country near the border is projected: a whole country can run to
    # tens of thousands of vertices. The margin is wider than the zone at any latitude.
    xmin, ymin, xmax, ymax = lines.extent
    lat_margin = 2 * zone_km / KM_PER_DEGREE_LAT
    max_lat = min(89.0, max(abs(ymin), abs(ymax)) + lat_margin)
    lon_margin = 2 * zone_km / (KM_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(max_lat)))
    window = Polygon.from_bbox(
        (xmin - lon_margin, ymin - lat_margin, xmax + lon_margin, ymax + lat_margin)
    )
    window.srid = country.boundary.srid
    near_border = projection.project(country.boundary.intersection(window))
    zone = near_border.intersection(projection.project(lines).buffer(zone_km * 1000, quadsegs=8))
    return projection.unproject(zone)


def _figures(side: dict) -> dict:
    return {
        "zone_km2": round(side["zone_km2"], 1),
        "protected_km2": round(side["protected_km2"], 1),
        "percent": percent(side["protected_km2"], side["zone_km2"]),
    }


class BorderProtection(DashboardIndicator):
    slug = Indicator.BORDER_PROTECTION
    sources = gettext_lazy(
        "Country outlines (Natural Earth) and the boundaries of published "
        "protected areas; areas recorded only as a point are not counted."
    )
    depends_on = ("protected_areas.Country", "protected_areas.ProtectedArea")
    compute = staticmethod(border_protection)

    def parameters(self) -> dict:
        return {"zone_km": settings.DASHBOARDS_BORDER_ZONE_KM}

    def table(self, data: dict) -> Table:
        headers = [
            _("Member state"),
            _("Land neighbours"),
            _("Zone (km²)"),
            _("Protected (km²)"),
            _("Protected (%)"),
        ]
        names = Names.for_data(data)
        rows = [
            [
                names.country(row["country"], row.get("name")),
                ", ".join(names.country(iso) for iso in row["neighbours"]) or _("no land border"),
                row["zone_km2"],
                row["protected_km2"],
                row["percent"] if row["percent"] is not None else "",
            ]
            for row in data["countries"]
        ]
        return headers, rows

    def extra_table(self, data: dict) -> tuple[str, list[str], list[list]]:
        headers = [
            _("Border"),
            _("Length (km)"),
            _("Side"),
            _("Zone (km²)"),
            _("Protected (km²)"),
            _("Protected (%)"),
        ]
        names = Names.for_data(data)
        rows = [
            [
                " – ".join(names.country(iso) for iso in border["countries"]),
                border["length_km"],
                names.country(side["country"]),
                side["zone_km2"],
                side["protected_km2"],
                side["percent"] if side["percent"] is not None else "",
            ]
            for border in data["borders"]
            for side in border["sides"]
        ]
        return _("Per border and side"), headers, rows

    def charts(self, data: dict) -> list[dict]:
        rows = [row for row in data["countries"] if row["zone_km2"]]
        names = Names.for_data(data)
        return [
            bar_chart(
                _("Share of the %(km)s km border zone that is protected (%%)")
                % {"km": number(data["zone_km"])},
                [names.country(row["country"], row.get("name")) for row in rows],
                [{"label": _("Protected (%)"), "data": [row["percent"] for row in rows]}],
                horizontal=True,
            )
        ]

    def headline(self, data: dict) -> list[tuple[str, object]]:
        zone = sum(row["zone_km2"] for row in data["countries"])
        protected = sum(row["protected_km2"] for row in data["countries"])
        share = percent_figure(100 * protected / zone if zone else None, 1)
        return [
            (
                _("of the land within %(km)s km of members' borders is protected")
                % {"km": number(data["zone_km"])},
                share,
            )
        ]

    def map(self, data: dict) -> dict:
        """Each member state's border zone, labelled with the share of it protected."""
        names = Names.for_data(data)
        features = [
            {
                "type": "Feature",
                "geometry": row["zone_outline"],
                "properties": {
                    "zone": True,
                    "label": _("%(country)s: %(percent)s of the border zone protected")
                    % {
                        "country": names.country(row["country"], row.get("name")),
                        "percent": percent_figure(row["percent"]),
                    },
                },
            }
            for row in data["countries"]
            if row.get("zone_outline")
        ]
        return {
            "features": {"type": "FeatureCollection", "features": features},
            "legend": [
                (
                    "zone",
                    _("land within %(km)s km of a land border") % {"km": number(data["zone_km"])},
                )
            ],
        }
