"""Issue 15, case 1: the map search's extent of a sensitive species gave away its records'
exact points (one record: the bbox *was* the point; several: each axis's extreme)."""

import re

import pytest

from tests.factories import OccurrenceFactory, SpeciesFactory, SpeciesRangeFactory, square

pytestmark = pytest.mark.django_db

TRUE_POINTS = [(88.3171, 49.5672), (87.9123, 49.8841), (89.0457, 50.2219)]


def _written(value: float) -> set[str]:
    """`value` as it could appear in an answer: to two to six decimals, truncated or
    rounded, and in full. (One decimal is as coarse as the answer's own half-degree cells.)"""
    whole, decimals = f"{value:.6f}".split(".")
    written = {repr(value)}
    for places in range(2, 7):
        written.add(f"{whole}.{decimals[:places]}".rstrip("0"))
        written.add(f"{round(value, places):.{places}f}".rstrip("0"))
    return written


@pytest.fixture
def snow_leopard():
    snow_leopard = SpeciesFactory(
        common_name="Snow leopard", scientific_name="Panthera uncia", is_sensitive=True
    )
    for lon, lat in TRUE_POINTS:
        OccurrenceFactory(species=snow_leopard, location=f"SRID=4326;POINT({lon} {lat})")
    return snow_leopard


@pytest.mark.parametrize("as_staff", [False, True])
def test_a_sensitive_species_extent_gives_no_true_coordinate(
    client, staff_client, snow_leopard, as_staff
):
    reader = staff_client if as_staff else client
    response = reader.get("/api/map/search.json", {"q": "snow"})
    (result,) = response.json()["results"]
    min_lon, min_lat, max_lon, max_lat = result["bbox"]
    # The records are inside, and the box is made of whole half-degree cells.
    for lon, lat in TRUE_POINTS:
        assert min_lon < lon < max_lon and min_lat < lat < max_lat
    for edge in result["bbox"]:
        assert edge * 2 == int(edge * 2)
    numbers = set(re.findall(r"-?\d+\.\d+", response.content.decode()))
    for lon, lat in TRUE_POINTS:
        for value in (lon, lat):
            assert not _written(value) & numbers


def test_a_single_sensitive_record_is_not_its_own_extent(client):
    snow_leopard = SpeciesFactory(common_name="Snow leopard", is_sensitive=True)
    OccurrenceFactory(species=snow_leopard, location="SRID=4326;POINT(88.317 49.567)")
    (result,) = client.get("/api/map/search.json", {"q": "snow"}).json()["results"]
    min_lon, min_lat, max_lon, max_lat = result["bbox"]
    assert max_lon - min_lon >= 0.5 and max_lat - min_lat >= 0.5
    assert 88.317 not in result["bbox"] and 49.567 not in result["bbox"]


def test_a_non_sensitive_species_keeps_its_exact_extent(client):
    crane = SpeciesFactory(common_name="Red-crowned crane", scientific_name="Grus japonensis")
    OccurrenceFactory(species=crane, location="SRID=4326;POINT(140 43)")
    OccurrenceFactory(species=crane, location="SRID=4326;POINT(126 37)")
    SpeciesRangeFactory(species=crane, geometry=square(120, 30))
    (result,) = client.get("/api/map/search.json", {"q": "grus"}).json()["results"]
    assert result["bbox"] == pytest.approx([120, 30, 140, 43])
