"""The spatial indicators against values computed by hand (see conftest.py)."""

import math

import pytest

from common.models import PublicationState
from dashboards.indicators import border_protection, range_protection, transboundary_pairs
from dashboards.indicators import transboundary as transboundary_module
from dashboards.indicators.ranges import RangeProtection
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
    assert data["species_without_range"] == ["No range"]

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
    assert data["species_without_range"] == ["Only recorded"]

    indicator = RangeProtection()
    headers, rows = indicator.table(data)
    assert headers[-1] == "Based on"
    assert rows[0][-1] == "From 2 records on a half-degree grid, not a range map"
    headline = dict(indicator.headline(data))
    assert headline["species measured on the cells of their records instead"] == 1
