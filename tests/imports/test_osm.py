"""OpenStreetMap extracts (OSM XML, read by GDAL's OSM driver as .osm.pbf is) and Overpass
GeoJSON: boundaries proposed for existing records, applied only when accepted."""

import pytest

from common.models import BoundaryQuality
from imports.models import ImportStatus
from protected_areas.models import ProtectedArea
from tests import factories

from .files import polygon, write_geojson, write_osm
from .runs import apply, dry_run, rows_by_outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def valley(countries):
    return factories.ProtectedAreaFactory(
        name="Tiger Valley Nature Reserve",
        country=countries["RUS"],
        boundary=factories.square(131.05, 43.05, 0.05),
        boundary_quality=BoundaryQuality.APPROXIMATE,
        location_estimated=True,
    )


@pytest.fixture
def marsh(countries):
    return factories.ProtectedAreaFactory(
        name="Big marsh",
        wdpa_id=555,
        country=countries["RUS"],
        boundary=factories.square(140.0, 50.0, 0.05),
        boundary_quality=BoundaryQuality.APPROXIMATE,
    )


def extract(tmp_path):
    return write_osm(
        tmp_path / "far-eastern.osm",
        [
            {
                "kind": "way",
                "id": 11,
                "square": (131.0, 43.0, 0.2),
                "tags": {"leisure": "nature_reserve", "name": "Tiger Valley", "wikidata": "Q1"},
            },
            {
                "kind": "relation",
                "id": 22,
                "square": (132.0, 44.0, 0.2),
                "tags": {"boundary": "protected_area", "name": "Crane", "ref:WDPA": "555"},
            },
            {"kind": "way", "id": 33, "square": (133.0, 44.0, 0.01), "tags": {"building": "yes"}},
            {
                "kind": "way",
                "id": 44,
                "square": (135.0, 45.0, 0.1),
                "tags": {"boundary": "national_park", "name": "Unknown park"},
            },
        ],
    )


def test_proposals_then_accepted_boundaries(tmp_path, valley, marsh):
    path = extract(tmp_path)

    run = dry_run(path, format="osm")

    assert run.status == ImportStatus.CHECKED, run.report
    grouped = rows_by_outcome(run)
    proposed = {row["label"]: row["candidates"] for row in grouped["proposed"]}
    assert proposed["Tiger Valley · OSM way 11"][0]["id"] == valley.pk
    assert proposed["Crane · OSM relation 22"][0] == {
        "id": marsh.pk,
        "record": str(marsh),
        "reason": "same WDPA ID",
    }
    assert grouped["skipped"][0]["issues"][0]["rule"] == "no_match"
    assert any("1 other polygon(s)" in note for note in run.report["notes"])
    assert any("© OpenStreetMap contributors" in note for note in run.report["notes"])

    row_of = {row["label"]: row["row"] for row in grouped["proposed"]}
    applied = apply(run, decisions={str(row_of["Tiger Valley · OSM way 11"]): str(valley.pk)})

    assert applied.counts["updated"] == 1
    valley.refresh_from_db()
    assert valley.boundary_quality == BoundaryQuality.OSM
    assert valley.boundary_source == (
        "OpenStreetMap way 11, wikidata Q1 (© OpenStreetMap contributors, ODbL 1.0)"
    )
    assert valley.boundary.extent == pytest.approx((131.0, 43.0, 131.2, 43.2))
    marsh.refresh_from_db()
    assert marsh.boundary_quality == BoundaryQuality.APPROXIMATE

    again = dry_run(path, format="osm")
    assert rows_by_outcome(again)["unchanged"][0]["label"] == "Tiger Valley · OSM way 11"


def test_the_page_credits_openstreetmap(tmp_path, client, valley):
    run = dry_run(extract(tmp_path), format="osm")
    row = rows_by_outcome(run)["proposed"][0]["row"]
    apply(run, decisions={str(row): str(valley.pk)})

    page = client.get(valley.get_absolute_url()).content.decode()

    assert "From OpenStreetMap" in page
    assert "© OpenStreetMap contributors, ODbL 1.0" in page
    assert 'href="https://www.openstreetmap.org/copyright"' in page


def test_overpass_geojson(tmp_path, valley):
    features = [
        {
            "type": "Feature",
            "id": "relation/77",
            "properties": {
                "@id": "relation/77",
                "boundary": "protected_area",
                "name": "Tiger Valley",
                "protect_class": "1",
            },
            "geometry": polygon(131.0, 43.0, 0.3),
        }
    ]

    run = dry_run(write_geojson(tmp_path / "overpass.geojson", features), format="osm")

    [row] = run.report["rows"]
    assert row["outcome"] == "proposed"
    assert row["label"] == "Tiger Valley · OSM relation 77"


def test_a_surveyed_boundary_is_not_replaced(tmp_path, valley):
    ProtectedArea.objects.filter(pk=valley.pk).update(boundary_quality=BoundaryQuality.SURVEYED)
    run = dry_run(extract(tmp_path), format="osm")
    row = rows_by_outcome(run)["proposed"][0]["row"]

    applied = apply(run, decisions={str(row): str(valley.pk)})

    assert applied.counts["updated"] == 0
    assert "replaces only an approximate one" in str(applied.report["rows"])
    valley.refresh_from_db()
    assert valley.boundary_quality == BoundaryQuality.SURVEYED
