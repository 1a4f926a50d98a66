"""Camera-trap points of big cats must not be published exactly: the map layer is the
portal's most exposed path to them."""

import json

import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from common.geometry import snap_to_equal_area_grid
from tests.factories import OccurrenceFactory, SpeciesFactory

pytestmark = pytest.mark.django_db

TRUE_POINT = (131.2345, 43.1234)
STREET_ZOOM = 14  # single records, not counts per cell


@pytest.fixture
def leopard_record():
    leopard = SpeciesFactory(
        scientific_name="Panthera pardus orientalis", slug="amur-leopard", is_sensitive=True
    )
    return OccurrenceFactory(species=leopard, location=Point(*TRUE_POINT, srid=4326))


@pytest.fixture
def crane_record():
    crane = SpeciesFactory(scientific_name="Grus monacha", slug="hooded-crane")
    return OccurrenceFactory(species=crane, location=Point(130.2671, 32.0997, srid=4326))


def occurrences(client, **params):
    response = client.get("/api/map/occurrences.geojson", {"zoom": STREET_ZOOM, **params})
    assert response.status_code == 200
    return response, json.loads(response.content)["features"]


def coordinates(features, slug):
    return [
        tuple(f["geometry"]["coordinates"]) for f in features if f["properties"]["species"] == slug
    ]


def test_the_public_sees_sensitive_points_generalised_and_others_exact(
    client, leopard_record, crane_record
):
    response, features = occurrences(client)
    [shown] = coordinates(features, "amur-leopard")
    assert shown != pytest.approx(TRUE_POINT, abs=1e-3)
    # On a 10 km grid the shown node is within about 7 km (half the cell diagonal).
    assert abs(shown[0] - TRUE_POINT[0]) < 0.1 and abs(shown[1] - TRUE_POINT[1]) < 0.07
    assert coordinates(features, "hooded-crane") == [pytest.approx((130.2671, 32.0997), abs=1e-4)]
    assert "public" in response["Cache-Control"]


def test_staff_see_sensitive_points_exactly_and_their_copy_stays_private(
    staff_client, leopard_record
):
    response, features = occurrences(staff_client)
    assert coordinates(features, "amur-leopard") == [pytest.approx(TRUE_POINT, abs=1e-4)]
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_a_tiny_box_around_the_true_point_reveals_nothing_to_the_public(
    staff_client, leopard_record
):
    lon, lat = TRUE_POINT
    tiny = f"{lon - 0.001},{lat - 0.001},{lon + 0.001},{lat + 0.001}"
    _response, features = occurrences(Client(), bbox=tiny)  # staff_client logs in `client`
    assert features == []
    _response, features = occurrences(staff_client, bbox=tiny)
    assert len(features) == 1


def test_counts_per_cell_at_low_zoom_use_the_generalised_points(client, leopard_record):
    response = client.get("/api/map/occurrences.geojson", {"zoom": 4})
    [feature] = json.loads(response.content)["features"]
    assert tuple(feature["geometry"]["coordinates"]) != pytest.approx(TRUE_POINT, abs=1e-3)


@pytest.mark.parametrize("true_point", [TRUE_POINT, (131.2345, 73.9), (-179.99, 50.0)])
def test_the_public_finds_a_sensitive_record_by_a_tiny_box_around_its_shown_point(
    true_point, settings
):
    leopard = SpeciesFactory(slug="amur-leopard", is_sensitive=True)
    OccurrenceFactory(species=leopard, location=Point(*true_point, srid=4326))
    shown = snap_to_equal_area_grid(Point(*true_point, srid=4326), settings.SENSITIVE_GRID_M)
    tiny = f"{shown.x - 0.001},{shown.y - 0.001},{shown.x + 0.001},{shown.y + 0.001}"

    _response, features = occurrences(Client(), bbox=tiny)

    assert len(features) == 1
