"""Indicator 2: the area protected within a distance of each member state's land borders.

Just over 400 lines: the computation on two databases (PostGIS SQL and the GEOS path of
SpatiaLite), the member-state figures and their presentation, as each indicator owns."""

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
from .base import (
    DashboardIndicator,
    Names,
    Table,
    bar_chart,
    east_of_antimeridian,
    number,
    percent_figure,
)
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

    Each member state's figures come twice: along its borders with other member states
    (`member_borders`, the headline: the portal records protected areas in member states
    only, so only there are both sides of a border known) and along all its land borders
    (China's with Afghanistan or Russia's with Finland included).

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
                "between_members": neighbour.is_member,
                "length_km": round(length_km, 1),
                "sides": pair_sides,
                "zone_km2": round(zone, 1),
                "protected_km2": round(protected, 1),
                "percent": percent(protected, zone),
            }
        )

    member_codes = {country.iso_a3 for country in members}
    country_rows = []
    for country in members:
        own = {other: side for (iso, other), side in sides.items() if iso == country.iso_a3}
        with_members = {other: side for other, side in own.items() if other in member_codes}
        country_rows.append(
            {
                "country": country.iso_a3,
                "neighbours": sorted(own),
                **_zone_figures(list(own.values())),
                "member_borders": {
                    "neighbours": sorted(with_members),
                    **_zone_figures(list(with_members.values())),
                },
                "areas_without_boundary": ProtectedArea.objects.published()
                .filter(country=country, boundary__isnull=True)
                .count(),
            }
        )
    return {"zone_km": zone_km, "countries": country_rows, "borders": border_rows}


def _zone_figures(sides: list[dict]) -> dict:
    """A country's zone along some of its borders, as one shape: where two borders meet
    (a tripoint), their zones overlap and are counted once."""
    if not sides:
        return {"zone_km2": 0.0, "protected_km2": 0.0, "percent": None, "zone_outline": None}
    zone = polygon_union([side["zone"] for side in sides])
    protected_parts = [side["protected"] for side in sides if side["protected"]]
    protected = polygon_union(protected_parts) if protected_parts else None
    zone_km2 = round(geodesic_area_km2(zone), 1)
    protected_km2 = round(geodesic_area_km2(protected), 1) if protected else 0.0
    return {
        "zone_km2": zone_km2,
        "protected_km2": protected_km2,
        "percent": percent(protected_km2, zone_km2),
        "zone_outline": json.loads(zone.simplify(OUTLINE_TOLERANCE_DEGREES).json),
    }


def member_border_figures(data: dict) -> list[dict]:
    """Each member state's figures along its borders with other member states. Snapshots
    computed before these were kept give them from their per-border sides (a tripoint's
    overlap then counted twice, and no outline)."""
    members = {row["country"] for row in data["countries"]}
    figures = []
    for row in data["countries"]:
        if "member_borders" in row:
            figures.append({"country": row["country"], **row["member_borders"]})
            continue
        sides = [
            side
            for border in data["borders"]
            if set(border["countries"]) <= members and row["country"] in border["countries"]
            for side in border["sides"]
            if side["country"] == row["country"]
        ]
        zone = round(sum(side["zone_km2"] for side in sides), 1)
        protected = round(sum(side["protected_km2"] for side in sides), 1)
        figures.append(
            {
                "country": row["country"],
                "neighbours": sorted(n for n in row["neighbours"] if n in members),
                "zone_km2": zone,
                "protected_km2": protected,
                "percent": percent(protected, zone),
                "zone_outline": None,
            }
        )
    return figures


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
        """Per member state: the figures along its borders with other member states first
        (the headline), then along all its land borders. Columns are only ever added at the
        end: scripts read the CSV by position too."""
        headers = [
            _("Member state"),
            _("Land neighbours"),
            _("Zone (km²)"),
            _("Protected (km²)"),
            _("Protected (%)"),
            _("Neighbouring member states"),
            _("Zone along member states' borders (km²)"),
            _("Protected along member states' borders (km²)"),
            _("Protected along member states' borders (%)"),
        ]
        names = Names.for_data(data)
        member_figures = {row["country"]: row for row in member_border_figures(data)}
        rows = []
        for row in data["countries"]:
            members = member_figures[row["country"]]
            rows.append(
                [
                    names.country(row["country"], row.get("name")),
                    ", ".join(names.country(iso) for iso in row["neighbours"])
                    or _("no land border"),
                    row["zone_km2"],
                    row["protected_km2"],
                    _blank_if_none(row["percent"]),
                    ", ".join(names.country(iso) for iso in members["neighbours"])
                    or _("no member state"),
                    members["zone_km2"],
                    members["protected_km2"],
                    _blank_if_none(members["percent"]),
                ]
            )
        return headers, rows

    def extra_table(self, data: dict) -> tuple[str, list[str], list[list]]:
        headers = [
            _("Border"),
            _("Between member states"),
            _("Length (km)"),
            _("Side"),
            _("Zone (km²)"),
            _("Protected (km²)"),
            _("Protected (%)"),
        ]
        names = Names.for_data(data)
        members = {row["country"] for row in data["countries"]}
        rows = [
            [
                " – ".join(names.country(iso) for iso in border["countries"]),
                _("yes") if set(border["countries"]) <= members else _("no"),
                border["length_km"],
                names.country(side["country"]),
                side["zone_km2"],
                side["protected_km2"],
                _blank_if_none(side["percent"]),
            ]
            for border in _member_borders_first(data["borders"], members)
            for side in border["sides"]
        ]
        return _("Per border and side"), headers, rows

    def charts(self, data: dict) -> list[dict]:
        names = Names.for_data(data)
        member_figures = {row["country"]: row for row in member_border_figures(data)}
        rows = [row for row in data["countries"] if row["zone_km2"]]
        return [
            bar_chart(
                _("Share of the %(km)s km border zone that is protected (%%)")
                % {"km": number(data["zone_km"])},
                [names.country(row["country"], row.get("name")) for row in rows],
                [
                    {
                        "label": _("Along borders between member states (%)"),
                        "data": [member_figures[row["country"]]["percent"] for row in rows],
                    },
                    {
                        "label": _("Along all land borders (%)"),
                        "data": [row["percent"] for row in rows],
                    },
                ],
                horizontal=True,
            )
        ]

    def headline(self, data: dict) -> list[tuple[str, object]]:
        """The share along the member states' borders with each other first: along the
        borders with non-members (Afghanistan, Finland…) the portal records nothing on the
        other side, by design, and their length would swamp the figure."""
        km = number(data["zone_km"])
        return [
            (
                _("of the land within %(km)s km of borders between member states is protected")
                % {"km": km},
                _share(member_border_figures(data)),
            ),
            (
                _("along all members' land borders, non-members' included"),
                _share(data["countries"]),
            ),
        ]

    def map(self, data: dict) -> dict:
        """Each member state's border zone, the part along other member states' borders
        drawn darker, each labelled with the share of it protected."""
        names = Names.for_data(data)
        features = []
        for row, members in zip(data["countries"], member_border_figures(data), strict=True):
            country = names.country(row["country"], row.get("name"))
            for figures, along_members, label in (
                (
                    row,
                    False,
                    _("%(country)s: %(percent)s of the zone along all land borders protected"),
                ),
                (
                    members,
                    True,
                    _(
                        "%(country)s: %(percent)s of the zone along borders with member "
                        "states protected"
                    ),
                ),
            ):
                if not figures.get("zone_outline"):
                    continue
                share = percent_figure(figures["percent"])
                features.append(
                    {
                        "type": "Feature",
                        "geometry": east_of_antimeridian(figures["zone_outline"]),
                        "properties": {
                            "zone": True,
                            "members": along_members,
                            "label": label % {"country": country, "percent": share},
                        },
                    }
                )
        return {
            "features": {"type": "FeatureCollection", "features": features},
            "legend": [
                (
                    "zone zone-members",
                    _("land within %(km)s km of a border between member states")
                    % {"km": number(data["zone_km"])},
                ),
                (
                    "zone",
                    _("land within %(km)s km of a border with a non-member")
                    % {"km": number(data["zone_km"])},
                ),
            ],
        }


def _blank_if_none(value):
    return value if value is not None else ""


def _share(rows: list[dict]) -> str:
    zone = sum(row["zone_km2"] for row in rows)
    protected = sum(row["protected_km2"] for row in rows)
    return percent_figure(100 * protected / zone if zone else None, 1)


def _member_borders_first(borders: list[dict], members: set[str]) -> list[dict]:
    return sorted(borders, key=lambda border: not set(border["countries"]) <= members)
