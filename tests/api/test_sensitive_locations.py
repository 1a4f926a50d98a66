"""A sensitive species' exact point is in no response of the API, for an anonymous reader
or for a focal point of another country with its token: occurrences are read through
`Occurrence.objects.published().for_viewer(user)` and written at their `shown_location`."""

import re

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point

from common.geometry import snap_to_equal_area_grid
from species.models import generalised_uncertainty_m

from .conftest import LEOPARD_POINT

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"-?\d+\.\d+")
LON, LAT = LEOPARD_POINT
# Closer than this (degrees, ~100 m) to the true longitude or latitude counts as giving it.
TOO_CLOSE = 0.001


def shown_point() -> tuple[float, float]:
    shown = snap_to_equal_area_grid(Point(*LEOPARD_POINT, srid=4326), settings.SENSITIVE_GRID_M)
    return shown.x, shown.y


def responses(client, world):
    shown_lon, shown_lat = shown_point()
    record = world["leopard_record"].pk
    area = world["land"].pk
    paths = [
        "occurrences/",
        "occurrences/?species=amur-leopard",
        "occurrences/?country=RUS&ordering=-event_date",
        f"occurrences/?bbox={LON - 0.01},{LAT - 0.01},{LON + 0.01},{LAT + 0.01}",
        f"occurrences/?bbox={shown_lon - 0.01},{shown_lat - 0.01},{shown_lon + 0.01},"
        f"{shown_lat + 0.01}",
        f"occurrences/{record}/",
        "protected-areas/",
        f"protected-areas/{area}/",
        "species/amur-leopard/",
        "population-estimates/",
        "projects/",
        "schema/?format=json",
    ]
    for path in paths:
        response = client.get(f"/api/v1/{path}")
        assert response.status_code == 200, (path, response.content)
        yield path, response


def assert_no_exact_point(client, world):
    for path, response in responses(client, world):
        body = response.content.decode()
        for number in map(float, NUMBER.findall(body)):
            assert abs(number - LON) > TOO_CLOSE, (path, number)
            assert abs(number - LAT) > TOO_CLOSE, (path, number)


def test_the_fixture_point_and_its_shown_node_differ_on_both_axes():
    shown_lon, shown_lat = shown_point()
    assert abs(shown_lon - LON) > 0.01 and abs(shown_lat - LAT) > 0.01


def test_anonymous_readers_never_get_the_exact_point(api_client, world):
    assert_no_exact_point(api_client, world)


def test_a_focal_point_of_another_country_never_gets_it_either(focal_client, world):
    assert_no_exact_point(focal_client, world)


def test_the_shown_point_is_the_grid_node_and_says_so(api_client, world):
    feature = api_client.get(f"/api/v1/occurrences/{world['leopard_record'].pk}/").json()
    assert feature["geometry"]["coordinates"] == pytest.approx(list(shown_point()))
    properties = feature["properties"]
    assert properties["location_generalised"] is True
    assert properties["coordinate_uncertainty_m"] == generalised_uncertainty_m(
        settings.SENSITIVE_GRID_M
    )
    # The link to a protected area, and free-text notes, could place it more precisely.
    assert properties["protected_area"] is None
    assert properties["notes"] == ""


def test_a_box_around_the_true_point_does_not_find_the_record(api_client, world):
    response = api_client.get(
        "/api/v1/occurrences/",
        {"bbox": f"{LON - 0.01},{LAT - 0.01},{LON + 0.01},{LAT + 0.01}"},
    )
    assert response.json()["count"] == 0
