"""A sensitive record's link to a protected area smaller than a grid cell would place it more
precisely than the cell it is generalised to (issue 15): the public does not learn that link
— not on the species' or the area's page, the protected-area list, the map's species filter,
nor in the Darwin Core Archive. A larger area's link is public as before."""

import io
import zipfile

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.test import Client
from django.urls import reverse

from opendata.services import occurrence_archive_write
from tests import factories

pytestmark = pytest.mark.django_db


def area_of_side(country, name: str, side_deg: float):
    return factories.ProtectedAreaFactory(
        name=name, country=country, boundary=factories.square(131.0, 43.0, side_deg)
    )


@pytest.fixture
def small_and_large(russia):
    leopard = factories.SpeciesFactory(
        slug="amur-leopard", common_name="Amur leopard", is_sensitive=True
    )
    small = area_of_side(russia, "Tinyglade Refuge", 0.02)  # ~3.6 km²
    large = area_of_side(russia, "Broadland Park", 0.5)  # ~2,200 km²
    assert float(small.computed_area_km2) < (settings.SENSITIVE_GRID_M / 1000) ** 2
    assert float(large.computed_area_km2) > (settings.SENSITIVE_GRID_M / 1000) ** 2
    factories.OccurrenceFactory(
        species=leopard, protected_area=small, location=Point(131.01, 43.01)
    )
    return leopard, small, large


def public_bodies(client, leopard, area) -> dict[str, str]:
    urls = [
        leopard.get_absolute_url(),
        f"/ru{leopard.get_absolute_url()}",
        area.get_absolute_url(),
        reverse("protected_areas:list") + "?species=amur-leopard",
        reverse("maps_api:layer", args=["protected-areas"]) + "?species=amur-leopard&zoom=8",
    ]
    bodies = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = response.content.decode()
    return bodies


def test_sensitive_record_in_a_small_area_does_not_name_it(small_and_large):
    leopard, small, _large = small_and_large
    client = Client()
    for url, body in public_bodies(client, leopard, small).items():
        if url == small.get_absolute_url():
            # The area's own page names itself, but not the leopard.
            assert "Amur leopard" not in body, url
        else:
            assert "Tinyglade" not in body, url
    archive = io.BytesIO()
    occurrence_archive_write(destination=archive)
    with zipfile.ZipFile(archive) as opened:
        assert b"Tinyglade" not in opened.read("occurrence.txt")


def test_sensitive_record_in_a_large_area_still_names_it(small_and_large):
    leopard, _small, large = small_and_large
    factories.OccurrenceFactory(species=leopard, protected_area=large, location=Point(131.2, 43.2))
    bodies = public_bodies(Client(), leopard, large)
    assert "Broadland Park" in bodies[leopard.get_absolute_url()]
    assert "Amur leopard" in bodies[large.get_absolute_url()]


def test_a_species_that_is_not_sensitive_names_a_small_area(small_and_large):
    _leopard, small, _large = small_and_large
    crane = factories.SpeciesFactory(slug="crane", common_name="Red-crowned crane")
    factories.OccurrenceFactory(species=crane, protected_area=small, location=Point(131.01, 43.01))
    assert "Tinyglade Refuge" in Client().get(crane.get_absolute_url()).content.decode()
