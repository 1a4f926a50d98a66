"""The spatial indicators against values computed by hand (see conftest.py)."""

import json
import math

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from common.models import PublicationState
from dashboards.indicators import (
    BorderProtection,
    border_protection,
    range_protection,
    transboundary_pairs,
)
from dashboards.indicators import transboundary as transboundary_module
from dashboards.indicators.base import east_of_antimeridian
from dashboards.indicators.border import member_border_figures
from dashboards.indicators.ranges import RangeProtection
from dashboards.selectors import member_outlines
from protected_areas.models import ProtectedArea
from tests.factories import (
    CountryFactory,
    OccurrenceFactory,
    SpeciesFactory,
    SpeciesRangeFactory,
)

from .conftest import KM_PER_DEGREE_LAT, KM_PER_DEGREE_LON, box, km2

P1 = km2(0.2, 0.2)
P2 = km2(0.1, 0.3)
P1_AND_P2 = P1 + P2 - km2(0.1, 0.1)
ZONE_DEG = 50 / KM_PER_DEGREE_LON  # the 50 km zone west of the border at 101°E
P3_IN_ZONE = km2(100.6 - (101 - ZONE_DEG), 0.1)


@pytest.fixture(params=["database", "geos"])
def pairs(request, world, monkeypatch):
    """Both ways of finding pairs (PostGIS in production, GEOS for SpatiaLite) must agree."""
    if request.param == "geos":
        monkeypatch.setattr(
            transboundary_module,
            "_pairs_postgis",
            lambda km: transboundary_module._pairs_geos(
                list(ProtectedArea.objects.published()), km
            ),
        )
    return transboundary_pairs(max_distance_km=10)


def by_names(data):
    return {(p["a"]["name"], p["b"]["name"]): p for p in data["pairs"]}


def test_pairs_touching_and_near(pairs):
    found = by_names(pairs)
    assert set(found) == {("P1", "Q1"), ("P2", "Q1"), ("P1", "Q2"), ("P2", "Q2")}
    linked = found[("P1", "Q1")]
    assert linked["distance_km"] == 0
    assert linked["touching"] is True
    # p1 and q1 share the border from 0.3° to 0.4°N; p2 and q1 from 0.3° to 0.5°N.
    assert linked["shared_border_km"] == pytest.approx(0.1 * KM_PER_DEGREE_LAT, rel=2e-3)
    assert linked["linked"] is True
    assert linked["links"] == [
        {
            "id": linked["links"][0]["id"],
            "name": "P1–Q1 complex",
            "cooperation_status": "informal",
            "cooperation": "Informal cooperation",
        }
    ]
    touching = found[("P2", "Q1")]
    assert touching["shared_border_km"] == pytest.approx(0.2 * KM_PER_DEGREE_LAT, rel=2e-3)
    assert touching["linked"] is False
    near = found[("P1", "Q2")]
    assert near["distance_km"] == pytest.approx(0.05 * KM_PER_DEGREE_LON, rel=2e-3)
    assert near["shared_border_km"] == 0
    assert near["touching"] is False
    diagonal = found[("P2", "Q2")]  # from p2's corner (101°E, 0.3°N) to q2 (101.05, 0.25)
    expected = math.hypot(0.05 * KM_PER_DEGREE_LON, 0.05 * KM_PER_DEGREE_LAT)
    assert diagonal["distance_km"] == pytest.approx(expected, rel=2e-3)
    assert pairs["pair_count"] == 4
    assert pairs["unlinked_count"] == 3
    # Candidates (no link yet) come first, nearest first.
    assert [(p["a"]["name"], p["b"]["name"]) for p in pairs["pairs"]] == [
        ("P2", "Q1"),
        ("P1", "Q2"),
        ("P2", "Q2"),
        ("P1", "Q1"),
    ]


def test_pairs_distance_is_a_parameter(world):
    assert transboundary_pairs(max_distance_km=5)["pair_count"] == 2
    assert transboundary_pairs(max_distance_km=6)["pair_count"] == 3
    assert transboundary_pairs(max_distance_km=6)["max_distance_km"] == 6


def test_pairs_same_country_never_pair(world):
    names = {
        frozenset((p["a"]["name"], p["b"]["name"]))
        for p in transboundary_pairs(max_distance_km=100)["pairs"]
    }
    assert frozenset(("P1", "P2")) not in names
    assert not any("Draft" in pair for pair in names)


def test_border_protection_by_hand(world):
    data = border_protection(zone_km=50)
    countries = {row["country"]: row for row in data["countries"]}
    zone = ZONE_DEG * KM_PER_DEGREE_LON * KM_PER_DEGREE_LAT  # 50 km × the 1° border
    protected = P1_AND_P2 + P3_IN_ZONE
    assert countries["AAA"]["zone_km2"] == pytest.approx(zone, rel=3e-3)
    assert countries["AAA"]["protected_km2"] == pytest.approx(protected, rel=3e-3)
    assert countries["AAA"]["percent"] == pytest.approx(100 * protected / zone, rel=3e-3)
    assert countries["AAA"]["neighbours"] == ["BBB"]
    # q1 lies wholly in B's zone; q2 has no boundary and adds nothing.
    assert countries["BBB"]["protected_km2"] == pytest.approx(km2(0.2, 0.2), rel=3e-3)
    assert countries["BBB"]["areas_without_boundary"] == 1  # q2 is only a point
    assert "FAR" not in countries  # not a member state

    [border] = data["borders"]
    assert sorted(border["countries"]) == ["AAA", "BBB"]
    assert border["length_km"] == pytest.approx(KM_PER_DEGREE_LAT, rel=2e-3)
    assert border["zone_km2"] == pytest.approx(2 * zone, rel=3e-3)
    both = protected + km2(0.2, 0.2)
    assert border["protected_km2"] == pytest.approx(both, rel=3e-3)
    assert border["percent"] == pytest.approx(100 * both / (2 * zone), rel=3e-3)


def test_border_protection_country_without_land_border(world):
    CountryFactory(iso_a3="ISL", name="Island", boundary=box(110, 10, 111, 11))
    islands = {r["country"]: r for r in border_protection(zone_km=50)["countries"]}["ISL"]
    assert islands["neighbours"] == []
    assert islands["zone_km2"] == 0
    assert islands["percent"] is None


def test_range_protection_by_hand(world):
    inside_a = SpeciesFactory(common_name="Inside", slug="inside")
    SpeciesRangeFactory(species=inside_a, geometry=box(100, 0, 101, 1))
    across = SpeciesFactory(common_name="Across", slug="across")
    # Two seasons overlapping: counted once.
    SpeciesRangeFactory(species=across, geometry=box(100.5, 0, 101.5, 1), season="breeding")
    SpeciesRangeFactory(species=across, geometry=box(100.5, 0, 101.0, 1), season="non_breeding")
    SpeciesFactory(common_name="No range", slug="no-range")
    draft = SpeciesFactory(
        common_name="Draft", slug="draft", publication_state=PublicationState.DRAFT
    )
    SpeciesRangeFactory(species=draft, geometry=box(100, 0, 101, 1))

    data = range_protection()
    rows = {(row["species"], row["country"]): row for row in data["rows"]}
    assert set(rows) == {("inside", "AAA"), ("across", "AAA"), ("across", "BBB")}
    assert data["species_without_range"] == ["no-range"]  # slugs: named when shown

    inside = rows[("inside", "AAA")]
    p3 = km2(0.2, 0.1)
    assert inside["range_km2"] == pytest.approx(km2(1, 1), rel=2e-3)
    assert inside["protected_km2"] == pytest.approx(P1_AND_P2 + p3, rel=2e-3)
    assert inside["percent"] == pytest.approx(100 * (P1_AND_P2 + p3) / km2(1, 1), rel=2e-3)
    assert [a["name"] for a in inside["top_areas"]] == ["P1", "P2", "P3"]
    assert inside["top_areas"][0]["km2"] == pytest.approx(P1, rel=2e-3)

    west = rows[("across", "AAA")]
    assert west["range_km2"] == pytest.approx(km2(0.5, 1), rel=2e-3)
    assert west["protected_km2"] == pytest.approx(P1_AND_P2 + km2(0.1, 0.1), rel=2e-3)
    east = rows[("across", "BBB")]
    assert east["range_km2"] == pytest.approx(km2(0.5, 1), rel=2e-3)
    # q1 lies in the eastern half of the range: 0.2° × 0.2°.
    assert east["protected_km2"] == pytest.approx(km2(0.2, 0.2), rel=2e-3)
    assert [a["name"] for a in east["top_areas"]] == ["Q1"]


@pytest.fixture
def non_member_neighbour(world):
    """N, not a member, shares A's northern edge (1°N, 100°–101°E); it touches B at a point."""
    return CountryFactory(
        iso_a3="NNN", name="Norland", is_member=False, boundary=box(100, 1, 101, 2)
    )


def test_border_protection_headlines_borders_between_member_states(non_member_neighbour):
    data = border_protection(zone_km=50)
    countries = {row["country"]: row for row in data["countries"]}
    a, b = countries["AAA"], countries["BBB"]
    # A's zone along B: the 50 km strip west of 101°E; along N: the strip south of 1°N,
    # 1° wide; they overlap in the north-east corner.
    east = ZONE_DEG * KM_PER_DEGREE_LON * KM_PER_DEGREE_LAT
    zone_lat_deg = 50 / KM_PER_DEGREE_LAT
    north = KM_PER_DEGREE_LON * 50
    corner = km2(ZONE_DEG, zone_lat_deg)
    assert a["neighbours"] == ["BBB", "NNN"]
    assert a["zone_km2"] == pytest.approx(east + north - corner, rel=3e-3)
    # p3 ([100.4, 100.6] × [0.6, 0.7]) lies wholly in the northern strip (south to 0.548°N).
    all_protected = P1_AND_P2 + km2(0.2, 0.1)
    assert a["protected_km2"] == pytest.approx(all_protected, rel=3e-3)
    members = a["member_borders"]
    assert members["neighbours"] == ["BBB"]
    assert members["zone_km2"] == pytest.approx(east, rel=3e-3)
    assert members["protected_km2"] == pytest.approx(P1_AND_P2 + P3_IN_ZONE, rel=3e-3)
    assert b["member_borders"]["zone_km2"] == b["zone_km2"]  # B borders members only
    assert {tuple(sorted(x["countries"])): x["between_members"] for x in data["borders"]} == {
        ("AAA", "BBB"): True,
        ("AAA", "NNN"): False,
    }

    member_share = (members["protected_km2"] + b["protected_km2"]) / (east + b["zone_km2"])
    all_share = (all_protected + b["protected_km2"]) / (east + north - corner + b["zone_km2"])
    [(members_label, members_figure), (all_label, all_figure)] = BorderProtection().headline(data)
    assert "between member states" in members_label
    assert "non-members' included" in all_label
    assert float(members_figure.rstrip(" %")) == pytest.approx(100 * member_share, abs=0.051)
    assert float(all_figure.rstrip(" %")) == pytest.approx(100 * all_share, abs=0.051)

    # A snapshot computed before the member-state figures were kept gives them from its
    # per-border sides (no tripoint here, so the same figures).
    for row in data["countries"]:
        del row["member_borders"]
    old = {row["country"]: row for row in member_border_figures(data)}
    assert old["AAA"]["zone_km2"] == pytest.approx(members["zone_km2"], abs=0.2)
    assert old["AAA"]["protected_km2"] == pytest.approx(members["protected_km2"], abs=0.2)


def test_border_map_keeps_chukotka_next_to_russia():
    # Natural Earth cuts Russia at 180°: Chukotka's tip has longitudes near −170°.
    russia = {
        "type": "MultiPolygon",
        "coordinates": [
            [[[170, 60], [180, 60], [180, 70], [170, 70], [170, 60]]],
            [[[-180, 64], [-170, 64], [-170, 68], [-180, 68], [-180, 64]]],
            [[[20, 54], [22, 54], [22, 55], [20, 55], [20, 54]]],  # Kaliningrad stays put
        ],
    }
    shifted = east_of_antimeridian(russia)["coordinates"]
    assert shifted[1][0][0] == [180, 64] and shifted[1][0][1] == [190, 64]
    assert shifted[0] == russia["coordinates"][0] and shifted[2] == russia["coordinates"][2]
    america = {"type": "Polygon", "coordinates": [[[-120, 40], [-110, 40], [-110, 45], [-120, 40]]]}
    assert east_of_antimeridian(america) == america  # wholly west: left alone


def test_member_outlines_do_not_wrap_across_the_date_line(db):
    CountryFactory(
        iso_a3="RUS",
        name="Russian Federation",
        boundary=MultiPolygon(
            Polygon.from_bbox((170, 60, 180, 70)),
            Polygon.from_bbox((-180, 64, -170, 68)),
            srid=4326,
        ),
    )
    longitudes = [
        x
        for feature in json.loads(member_outlines())["features"]
        for polygon in feature["geometry"]["coordinates"]
        for ring in polygon
        for x, _y in ring
    ]
    assert min(longitudes) >= 170 and max(longitudes) == pytest.approx(190)


def test_range_protection_of_a_species_without_a_range_rests_on_its_records(world):
    seen = SpeciesFactory(common_name="Only recorded", slug="only-recorded")
    # Two records in one half-degree cell of Aland (100.5–101 E, 0–0.5 N): P1 and P2 lie in it.
    OccurrenceFactory(species=seen, location="SRID=4326;POINT(100.85 0.25)")
    OccurrenceFactory(species=seen, location="SRID=4326;POINT(100.95 0.35)")

    data = range_protection()
    (row,) = [row for row in data["rows"] if row["species"] == "only-recorded"]
    assert row["basis"] == "records" and row["records"] == 2
    assert row["country"] == "AAA"
    assert row["range_km2"] == pytest.approx(km2(0.5, 0.5), rel=2e-3)
    # P1 (0.2° × 0.2° from 0.2 N) and the part of P2 below 0.5 N, overlaps counted once.
    in_cell = km2(0.2, 0.2) + km2(0.1, 0.2) - km2(0.1, 0.1)
    assert row["protected_km2"] == pytest.approx(in_cell, rel=2e-3)
    assert data["species_without_range"] == ["only-recorded"]

    indicator = RangeProtection()
    headers, rows = indicator.table(data)
    assert headers[-1] == "Based on"
    assert rows[0][-1] == "From 2 records on a half-degree grid, not a range map"
    headline = dict(indicator.headline(data))
    assert headline["species measured on the cells of their records instead"] == 1
