"""The one rule for "a protected area holds a species" (`SpeciesQuerySet.present_at`), and
the pages and the map that must all follow it."""

import json

import pytest

from common.models import PublicationState
from protected_areas.models import ProtectedArea
from species.models import Species
from species.selectors import protected_areas_holding
from tests.factories import (
    OccurrenceFactory,
    PopulationEstimateFactory,
    ProjectFactory,
    ProtectedAreaFactory,
    SpeciesFactory,
    SpeciesRangeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    """A leopard recorded in one park, estimated in a second, worked on by a project in a
    third, and ranging over a fourth; a draft species recorded in the first."""
    leopard = SpeciesFactory(slug="amur-leopard", common_name="Amur leopard")
    draft = SpeciesFactory(slug="draft-cat", publication_state=PublicationState.DRAFT)
    recorded = ProtectedAreaFactory(name="Recorded")
    estimated = ProtectedAreaFactory(name="Estimated")
    project_only = ProtectedAreaFactory(name="Project only")
    range_only = ProtectedAreaFactory(name="Range only")
    OccurrenceFactory(species=leopard, protected_area=recorded)
    OccurrenceFactory(species=draft, protected_area=recorded)
    PopulationEstimateFactory(species=leopard, scope="site", protected_area=estimated)
    project = ProjectFactory()
    project.protected_areas.add(project_only)
    project.species.add(leopard)
    SpeciesRangeFactory(species=leopard, geometry=range_only.boundary)
    return leopard, draft, recorded, estimated


def test_a_record_or_an_estimate_in_the_area_makes_a_species_present(places):
    leopard, _draft, recorded, estimated = places
    assert list(Species.objects.present_at(recorded)) == [leopard]
    assert list(Species.objects.present_at(estimated.pk)) == [leopard]
    held = protected_areas_holding(ProtectedArea.objects.all(), ["amur-leopard"])
    assert sorted(area.name for area in held) == ["Estimated", "Recorded"]


def test_a_draft_species_is_present_nowhere(places):
    assert not protected_areas_holding(ProtectedArea.objects.all(), ["draft-cat"]).exists()


def test_the_list_page_the_map_and_both_record_pages_agree(client, places):
    leopard, _draft, recorded, estimated = places

    listed = client.get("/protected-areas/", {"species": "amur-leopard"}).context["object_list"]
    layer = json.loads(client.get("/api/map/protected-areas.geojson?species=amur-leopard").content)
    on_species_page = client.get(leopard.get_absolute_url()).context["protected_areas"]

    expected = ["Estimated", "Recorded"]
    assert sorted(area.name for area in listed) == expected
    assert sorted(f["properties"]["name"] for f in layer["features"]) == expected
    assert sorted(area.name for area in on_species_page) == expected
    for area in (recorded, estimated):
        assert client.get(area.get_absolute_url()).context["species_recorded"] == [leopard]
