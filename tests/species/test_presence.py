"""The one rule for "a protected area holds a species" (`SpeciesQuerySet.present_at`), and
the pages and the map that must all follow it."""

import json

import pytest
from django.core.exceptions import ValidationError

from common.models import PublicationState
from protected_areas.models import ProtectedArea
from species.models import Species, SpeciesPresence
from species.selectors import protected_areas_holding
from tests.factories import (
    OccurrenceFactory,
    PopulationEstimateFactory,
    ProjectFactory,
    ProtectedAreaFactory,
    SpeciesFactory,
    SpeciesPresenceFactory,
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


def test_a_sourced_presence_alone_makes_a_species_present_everywhere_it_is_read(client):
    crane = SpeciesFactory(slug="hooded-crane", common_name="Hooded crane")
    izumi = ProtectedAreaFactory(name="Izumi")
    SpeciesPresenceFactory(
        species=crane,
        protected_area=izumi,
        role="wintering",
        period="since 2000",
        source_citation="Ramsar Sites Information Service: site 2462",
        source_year=2021,
    )
    assert list(Species.objects.present_at(izumi)) == [crane]
    listed = client.get("/protected-areas/", {"species": "hooded-crane"}).context["object_list"]
    layer = json.loads(client.get("/api/map/protected-areas.geojson?species=hooded-crane").content)
    assert [area.name for area in listed] == ["Izumi"]
    assert [f["properties"]["name"] for f in layer["features"]] == ["Izumi"]

    area_page = client.get(izumi.get_absolute_url())
    assert area_page.context["species_recorded"] == [crane]
    species_page = client.get(crane.get_absolute_url())
    assert [area.name for area in species_page.context["protected_areas"]] == ["Izumi"]
    for page, link in (
        (area_page, crane.get_absolute_url()),
        (species_page, izumi.get_absolute_url()),
    ):
        html = page.content.decode()
        assert f'href="{link}"' in html
        assert "Wintering" in html and "since 2000" in html
        assert "Ramsar Sites Information Service: site 2462</a>, 2021" in html


def test_a_presence_is_public_only_with_its_species_and_its_area():
    draft_area = ProtectedAreaFactory(publication_state=PublicationState.DRAFT)
    draft_species = SpeciesFactory(publication_state=PublicationState.DRAFT)
    SpeciesPresenceFactory(protected_area=draft_area)
    SpeciesPresenceFactory(species=draft_species)
    shown = SpeciesPresenceFactory()
    assert list(SpeciesPresence.objects.published()) == [shown]


def test_one_statement_per_species_area_and_role():
    presence = SpeciesPresenceFactory()
    duplicate = SpeciesPresence(
        species=presence.species,
        protected_area=presence.protected_area,
        role=presence.role,
        source_citation="Another source",
    )
    with pytest.raises(ValidationError, match="already has this role"):
        duplicate.full_clean()


def test_the_admin_edits_presences_inline_on_the_species_and_on_the_area(admin_client):
    presence = SpeciesPresenceFactory(source_citation="EAAFP workshop report")
    for url in (
        f"/admin/species/species/{presence.species.pk}/change/",
        f"/admin/protected_areas/protectedarea/{presence.protected_area.pk}/change/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert "EAAFP workshop report" in response.content.decode()
