"""The prepared occurrence grid (PostgreSQL): it answers low zooms as the live count would,
and never shows what the live count would hide — unpublished species, exact sensitive
points — even when it is out of date."""

import json
from unittest import mock

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from common.models import PublicationState
from maps.models import OccurrenceGridState
from maps.selectors import occurrences
from maps.services import occurrence_grid_rebuild
from species.models import Species
from tests.factories import OccurrenceFactory, SpeciesFactory

pytestmark = pytest.mark.django_db

LEOPARD_POINT = (131.2345, 43.1234)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("The grid and its staleness triggers exist on PostgreSQL only.")


@pytest.fixture
def records():
    crane = SpeciesFactory(slug="red-crowned-crane", common_name="Red-crowned crane")
    for offset in range(5):
        OccurrenceFactory(species=crane, location=Point(140 + offset * 0.01, 43, srid=4326))
    OccurrenceFactory(species=crane, location=Point(126, 37.7, srid=4326))
    leopard = SpeciesFactory(slug="amur-leopard", is_sensitive=True)
    OccurrenceFactory(species=leopard, location=Point(*LEOPARD_POINT, srid=4326))
    return crane, leopard


def features(client, **params):
    response = client.get("/api/map/occurrences.geojson", params)
    assert response.status_code == 200
    return json.loads(response.content)["features"]


def read_from_grid(client, **params):
    """The features, asserting they came from the grid and not from a live count."""
    with CaptureQueriesContext(connection) as queries:
        result = features(client, **params)
    assert any("maps_occurrencecell" in query["sql"] for query in queries.captured_queries)
    return result


def counted_live(client, **params):
    with mock.patch.object(occurrences, "occurrence_grid_answers", return_value=False):
        return features(client, **params)


def points(collection, slug):
    return [f["geometry"]["coordinates"] for f in collection if f["properties"]["species"] == slug]


@pytest.mark.parametrize("zoom", [0, 4, 8])
def test_the_grid_answers_as_the_live_count_does(staff_client, records, zoom):
    occurrence_grid_rebuild()

    public = Client()  # staff_client is pytest-django's `client`, logged in
    assert read_from_grid(public, zoom=zoom) == counted_live(public, zoom=zoom)
    assert read_from_grid(staff_client, zoom=zoom) == counted_live(staff_client, zoom=zoom)


def test_the_public_reads_cells_counted_from_generalised_points(staff_client, records):
    occurrence_grid_rebuild()

    [public] = points(read_from_grid(Client(), zoom=8), "amur-leopard")
    [staff] = points(read_from_grid(staff_client, zoom=8), "amur-leopard")
    assert staff == pytest.approx(LEOPARD_POINT, abs=1e-3)
    assert public != pytest.approx(LEOPARD_POINT, abs=1e-3)


def test_any_write_marks_the_grid_stale_and_views_count_live(client, records):
    crane, _leopard = records
    occurrence_grid_rebuild()
    assert OccurrenceGridState.objects.get().stale is False

    OccurrenceFactory(species=crane, location=Point(100, 45, srid=4326))
    assert OccurrenceGridState.objects.get().stale is True
    assert len(points(features(client, zoom=4), "red-crowned-crane")) == 3

    occurrence_grid_rebuild()
    Species.objects.filter(pk=crane.pk).update(common_name="Japanese crane")
    assert OccurrenceGridState.objects.get().stale is True


def test_an_unpublished_species_never_appears_even_from_an_out_of_date_grid(client, records):
    crane, _leopard = records
    occurrence_grid_rebuild()
    Species.objects.filter(pk=crane.pk).update(publication_state=PublicationState.DRAFT)
    OccurrenceGridState.objects.update(stale=False)  # as if the trigger had been missed

    assert points(read_from_grid(client, zoom=4), "red-crowned-crane") == []


def test_a_species_made_sensitive_after_the_count_shows_nothing_rather_than_exact(
    staff_client, records
):
    crane, _leopard = records
    occurrence_grid_rebuild()
    Species.objects.filter(pk=crane.pk).update(is_sensitive=True)
    OccurrenceGridState.objects.update(stale=False)  # as if the trigger had been missed

    assert points(read_from_grid(Client(), zoom=4), "red-crowned-crane") == []
    assert len(points(read_from_grid(staff_client, zoom=4), "red-crowned-crane")) == 2


def test_a_year_filter_is_counted_live(records):
    occurrence_grid_rebuild()
    with CaptureQueriesContext(connection) as queries:
        features(Client(), zoom=4, year="2020-2024")
    assert not any("maps_occurrencecell" in query["sql"] for query in queries.captured_queries)


def test_the_periodic_task_rebuilds_only_a_stale_grid(records):
    from maps.tasks import rebuild_stale_occurrence_grid  # noqa: PLC0415

    assert rebuild_stale_occurrence_grid() > 0
    assert rebuild_stale_occurrence_grid() == 0
