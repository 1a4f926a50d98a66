"""Points of sensitive species are generalised to an equal-area grid for everyone but staff."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import Point
from django.test import override_settings

from common.geometry import EQUAL_AREA_GRID_SRID, distance_km
from species.models import Occurrence, Species
from species.selectors import occurrence_location_for
from tests import factories

pytestmark = pytest.mark.django_db

TRAP = Point(131.2871, 43.1129, srid=4326)


@pytest.fixture
def leopard_and_crane():
    leopard = factories.SpeciesFactory(
        scientific_name="Panthera pardus orientalis", is_sensitive=True
    )
    crane = factories.SpeciesFactory(scientific_name="Grus monacha", is_sensitive=False)
    return (
        factories.OccurrenceFactory(species=leopard, location=TRAP, coordinate_uncertainty_m=30),
        factories.OccurrenceFactory(species=crane, location=TRAP, coordinate_uncertainty_m=30),
    )


def shown(user, occurrence):
    return Occurrence.objects.for_viewer(user).get(pk=occurrence.pk)


def on_grid(point, cell_m):
    projected = point.transform(EQUAL_AREA_GRID_SRID, clone=True)
    return all(abs(v / cell_m - round(v / cell_m)) < 1e-6 for v in (projected.x, projected.y))


def test_the_public_sees_a_sensitive_point_on_the_10_km_grid(leopard_and_crane):
    leopard, _crane = leopard_and_crane
    row = shown(AnonymousUser(), leopard)
    assert row.location_generalised
    assert not row.shown_location.equals_exact(TRAP, tolerance=1e-6)
    assert on_grid(row.shown_location, 10_000)
    assert 0 < distance_km(TRAP, row.shown_location) <= 10 * 2**0.5 / 2 + 0.01
    assert row.shown_uncertainty_m == 7072


def test_the_database_and_python_agree(leopard_and_crane):
    leopard, _crane = leopard_and_crane
    in_database = shown(AnonymousUser(), leopard).shown_location
    in_python = occurrence_location_for(AnonymousUser(), leopard)
    assert in_database.distance(in_python) < 1e-7


def test_other_species_and_staff_see_exact_points(leopard_and_crane, admin_user):
    leopard, crane = leopard_and_crane
    crane_row = shown(AnonymousUser(), crane)
    assert not crane_row.location_generalised
    assert crane_row.shown_location.equals_exact(TRAP, tolerance=1e-9)
    assert crane_row.shown_uncertainty_m == 30
    staff_row = shown(admin_user, leopard)
    assert not staff_row.location_generalised
    assert staff_row.shown_location.equals_exact(TRAP, tolerance=1e-9)
    assert occurrence_location_for(admin_user, leopard).equals_exact(TRAP, tolerance=1e-9)


def test_a_logged_in_non_staff_user_is_treated_as_the_public(leopard_and_crane, django_user_model):
    leopard, _crane = leopard_and_crane
    visitor = django_user_model.objects.create_user("visitor")
    assert shown(visitor, leopard).location_generalised


@override_settings(SENSITIVE_GRID_M=50_000)
def test_the_grid_size_is_a_setting(leopard_and_crane):
    leopard, _crane = leopard_and_crane
    row = shown(AnonymousUser(), leopard)
    assert on_grid(row.shown_location, 50_000)
    assert occurrence_location_for(AnonymousUser(), leopard).distance(row.shown_location) < 1e-7


def test_chains_with_published(leopard_and_crane):
    leopard, _crane = leopard_and_crane
    leopard.species.publication_state = "draft"
    leopard.species.save()
    rows = Occurrence.objects.published().for_viewer(AnonymousUser())
    assert [r.species.scientific_name for r in rows] == ["Grus monacha"]


@pytest.mark.usefixtures("neaspec_dataset")
def test_the_dataset_flags_the_big_cats():
    assert set(
        Species.objects.filter(is_sensitive=True).values_list("scientific_name", flat=True)
    ) == {
        "Panthera tigris altaica",
        "Panthera pardus orientalis",
        "Panthera uncia",
    }
