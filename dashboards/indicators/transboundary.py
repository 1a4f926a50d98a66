"""Indicator 1: protected areas in different countries that touch or lie within a distance
of each other, and whether a transboundary link already records them."""

import math

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from protected_areas.models import CooperationStatus, ProtectedArea, TransboundaryLink

from ..geodesy import geodesic_distance_km, geodesic_length_km, linework
from ..models import Indicator
from .base import DashboardIndicator, Names, Table, bar_chart, choice_label, number

# A degree of latitude is at least 110.5 km; a degree of longitude at latitude φ is at least
# 111.2·cos φ km. Used only to pick candidate pairs cheaply, never as a measure.
KM_PER_DEGREE_LAT = 110.5
KM_PER_DEGREE_LON_EQUATOR = 111.2


def transboundary_pairs(*, max_distance_km: float = 10.0) -> dict:
    """Every pair of published protected areas in different countries whose shapes (the
    boundary, or the location where no boundary is known) are at most `max_distance_km`
    apart on the ground, with the distance, the length of border they share and the
    published transboundary links that already join them."""
    areas = {
        area.pk: area
        for area in ProtectedArea.objects.published()
        .select_related("country")
        .only(
            "pk",
            "name",
            "country__iso_a3",
            "location",
            "boundary_quality",
            "boundary",
        )
    }
    if connection.vendor == "postgresql":
        measured = _pairs_postgis(max_distance_km)
    else:
        measured = _pairs_geos(list(areas.values()), max_distance_km)

    links = _links_by_pair()
    pairs = []
    for (a_id, b_id), (distance_km, shared_km) in sorted(measured.items()):
        a, b = areas[a_id], areas[b_id]
        pair_links = links.get(frozenset((a_id, b_id)), [])
        pairs.append(
            {
                "a": _describe(a),
                "b": _describe(b),
                "distance_km": round(distance_km, 3),
                "touching": distance_km == 0,
                "shared_border_km": round(shared_km, 3),
                "linked": bool(pair_links),
                "links": pair_links,
            }
        )
    pairs.sort(key=lambda p: (p["linked"], p["distance_km"], p["a"]["name"], p["b"]["name"]))
    return {
        "max_distance_km": max_distance_km,
        "protected_areas_considered": len(areas),
        "pair_count": len(pairs),
        "unlinked_count": sum(1 for p in pairs if not p["linked"]),
        "pairs": pairs,
    }


def _describe(area: ProtectedArea) -> dict:
    point = area.location or (area.boundary.point_on_surface if area.boundary else None)
    return {
        "id": area.pk,
        "name": area.name,
        "country": area.country.iso_a3,
        "url": area.get_absolute_url(),
        "lon": round(point.x, 5) if point else None,
        "lat": round(point.y, 5) if point else None,
        "shape": "boundary" if area.boundary else "point",
        "boundary_quality": area.boundary_quality,
    }


def _links_by_pair() -> dict[frozenset, list[dict]]:
    links: dict[frozenset, list[dict]] = {}
    for link in TransboundaryLink.objects.published().prefetch_related("protected_areas"):
        members = [area.pk for area in link.protected_areas.all()]
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                links.setdefault(frozenset((a, b)), []).append(
                    {
                        "id": link.pk,
                        "name": link.name,
                        "cooperation_status": link.cooperation_status,
                        "cooperation": str(link.get_cooperation_status_display()),
                    }
                )
    return links


def _pairs_postgis(max_distance_km: float) -> dict[tuple[int, int], tuple[float, float]]:
    """The pairs found by PostGIS on the geography type (distances on the spheroid), using a
    GiST index on a temporary geography table so 25,000 areas need no n² comparison."""
    published_sql, params = ProtectedArea.objects.published().values("pk").query.sql_with_params()
    table = connection.ops.quote_name(ProtectedArea._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        # Dropped on commit; dropped first too, for when this runs inside a longer transaction.
        cursor.execute("DROP TABLE IF EXISTS pg_temp.dashboards_pa")
        cursor.execute(
            "CREATE TEMPORARY TABLE dashboards_pa ON COMMIT DROP AS "
            "SELECT pa.id, pa.country_id, "
            "COALESCE(pa.boundary::geometry, pa.location::geometry) AS geom, "
            "COALESCE(pa.boundary::geometry, pa.location::geometry)::geography AS geog "
            f"FROM {table} AS pa WHERE pa.id IN ({published_sql})",
            params,
        )
        cursor.execute("CREATE INDEX ON dashboards_pa USING gist (geog)")
        cursor.execute("ANALYZE dashboards_pa")
        cursor.execute(
            """
            SELECT a.id, b.id,
                   ST_Distance(a.geog, b.geog) / 1000.0,
                   CASE WHEN ST_Intersects(a.geom, b.geom) THEN COALESCE(ST_Length(
                       ST_CollectionExtract(
                           ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom)), 2
                       )::geography) / 1000.0, 0) ELSE 0 END
            FROM dashboards_pa a
            JOIN dashboards_pa b
              ON a.id < b.id AND a.country_id <> b.country_id
             AND ST_DWithin(a.geog, b.geog, %s)
            """,
            [max_distance_km * 1000],
        )
        found = {(a, b): (distance, shared) for a, b, distance, shared in cursor.fetchall()}
        cursor.execute("DROP TABLE pg_temp.dashboards_pa")
        return found


def _pairs_geos(
    areas: list[ProtectedArea], max_distance_km: float
) -> dict[tuple[int, int], tuple[float, float]]:
    """The same pairs computed with GEOS in an equal-area projection, for SpatiaLite (`make
    run`). Candidates come from a sweep over longitude-sorted bounding boxes widened by a
    margin that is never smaller than the distance."""
    shapes = []
    for area in areas:
        geom = area.boundary or area.location
        xmin, ymin, xmax, ymax = geom.extent
        shapes.append((xmin, xmax, ymin, ymax, area, geom))
    shapes.sort(key=lambda s: s[0])
    found = {}
    for i, (_xmin, xmax, ymin, ymax, area, geom) in enumerate(shapes):
        max_lat = min(89.0, max(abs(ymin), abs(ymax)) + max_distance_km / KM_PER_DEGREE_LAT)
        lon_margin = max_distance_km / (KM_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(max_lat)))
        lat_margin = max_distance_km / KM_PER_DEGREE_LAT
        for oxmin, _oxmax, oymin, oymax, other, other_geom in shapes[i + 1 :]:
            if oxmin > xmax + lon_margin:
                break
            if other.country_id == area.country_id:
                continue
            if oymin > ymax + lat_margin or oymax < ymin - lat_margin:
                continue
            distance = geodesic_distance_km(geom, other_geom)
            if distance > max_distance_km:
                continue
            shared = 0.0
            if geom.intersects(other_geom):
                distance = 0.0
                if geom.dims == 2 and other_geom.dims == 2:
                    shared = geodesic_length_km(
                        linework(geom.boundary.intersection(other_geom.boundary))
                    )
            key = (min(area.pk, other.pk), max(area.pk, other.pk))
            found[key] = (distance, shared)
    return found


class TransboundaryPairs(DashboardIndicator):
    slug = Indicator.TRANSBOUNDARY_PAIRS
    sources = gettext_lazy(
        "Published protected areas (boundary, or location where no boundary is "
        "recorded) and published transboundary links."
    )
    depends_on = ("protected_areas.ProtectedArea", "protected_areas.TransboundaryLink")
    compute = staticmethod(transboundary_pairs)

    def parameters(self) -> dict:
        return {"max_distance_km": settings.DASHBOARDS_PAIR_DISTANCE_KM}

    def table(self, data: dict) -> Table:
        headers = [
            _("Protected area A"),
            _("Country A"),
            _("Protected area B"),
            _("Country B"),
            _("Distance (km)"),
            _("Shared border (km)"),
            _("Recorded link"),
        ]
        names = Names.for_data(data)
        rows = [
            [
                names.protected_area(p["a"]["id"], p["a"].get("name")),
                names.country(p["a"]["country"], p["a"].get("country_name")),
                names.protected_area(p["b"]["id"], p["b"].get("name")),
                names.country(p["b"]["country"], p["b"].get("country_name")),
                p["distance_km"],
                p["shared_border_km"],
                "; ".join(
                    f"{names.link(link.get('id'), link.get('name'))}"
                    f" ({choice_label(CooperationStatus, link['cooperation_status'])})"
                    for link in p["links"]
                )
                or _("none: candidate"),
            ]
            for p in data["pairs"]
        ]
        return headers, rows

    def charts(self, data: dict) -> list[dict]:
        linked = data["pair_count"] - data["unlinked_count"]
        return [
            bar_chart(
                _("Pairs within reach, by whether a link records them"),
                [_("Recorded in a transboundary link"), _("Candidate: no link yet")],
                [{"label": _("Pairs"), "data": [linked, data["unlinked_count"]]}],
            )
        ]

    def headline(self, data: dict) -> list[tuple[str, object]]:
        pairs, unlinked = data["pair_count"], data["unlinked_count"]
        return [
            (
                ngettext(
                    "protected-area pair within %(km)s km across a border",
                    "protected-area pairs within %(km)s km across a border",
                    pairs,
                )
                % {"km": number(data["max_distance_km"])},
                pairs,
            ),
            (
                ngettext(
                    "of them not yet in any transboundary link",
                    "of them not yet in any transboundary link",
                    unlinked,
                ),
                unlinked,
            ),
        ]

    def map(self, data: dict) -> dict:
        """Each pair as a line between its two areas, coloured by whether a link records it."""
        features = []
        names = Names.for_data(data)
        for pair in data["pairs"]:
            a, b = pair["a"], pair["b"]
            if a["lon"] is None or b["lon"] is None:
                continue
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [[a["lon"], a["lat"]], [b["lon"], b["lat"]]],
                    },
                    "properties": {
                        "linked": pair["linked"],
                        "label": f"{names.protected_area(a['id'], a.get('name'))} "
                        f"({names.country(a['country'])}) – "
                        f"{names.protected_area(b['id'], b.get('name'))} "
                        f"({names.country(b['country'])}): {number(pair['distance_km'])} km",
                    },
                }
            )
            for end in (a, b):
                features.append(
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [end["lon"], end["lat"]]},
                        "properties": {
                            "linked": pair["linked"],
                            "label": names.protected_area(end["id"], end.get("name")),
                        },
                    }
                )
        return {
            "features": {"type": "FeatureCollection", "features": features},
            "legend": [
                ("candidate", _("candidate pair, no link yet")),
                ("linked", _("recorded in a transboundary link")),
            ],
        }
