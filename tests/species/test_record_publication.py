"""Population estimates and occurrences go through the publication workflow themselves: a
new one is a draft, and only published records of published species reach the public."""

import json

import pytest
from django.urls import reverse

from common.models import PublicationState
from governance.services import publication_publish, roles_setup
from species.models import Occurrence, PopulationEstimate
from tests.factories import (
    OccurrenceFactory,
    PopulationEstimateFactory,
    ProtectedAreaFactory,
    SpeciesFactory,
)

pytestmark = pytest.mark.django_db

NOT_PUBLIC = [
    PublicationState.DRAFT,
    PublicationState.IN_REVIEW,
    PublicationState.ARCHIVED,
    PublicationState.DELETED,
]


def test_a_new_record_is_a_draft():
    species = SpeciesFactory()
    estimate = PopulationEstimate.objects.create(
        species=species, scope="global", year=2020, count=5, source_citation="Survey"
    )
    occurrence = Occurrence.objects.create(
        species=species,
        event_date="2024-01-01",
        location="SRID=4326;POINT(131 43)",
        basis_of_record="survey",
        dataset="Survey",
    )
    assert estimate.publication_state == PublicationState.DRAFT
    assert occurrence.publication_state == PublicationState.DRAFT


@pytest.mark.parametrize("state", NOT_PUBLIC)
def test_only_published_records_of_published_species_are_published(state):
    published_species = SpeciesFactory()
    draft_species = SpeciesFactory(publication_state=PublicationState.DRAFT)
    shown = OccurrenceFactory(species=published_species)
    OccurrenceFactory(species=published_species, publication_state=state)
    OccurrenceFactory(species=draft_species)
    estimate = PopulationEstimateFactory(species=published_species)
    PopulationEstimateFactory(species=published_species, publication_state=state)
    PopulationEstimateFactory(species=draft_species)
    assert list(Occurrence.objects.published()) == [shown]
    assert list(PopulationEstimate.objects.published()) == [estimate]


@pytest.mark.parametrize("state", NOT_PUBLIC)
def test_the_species_page_and_the_map_leave_out_records_not_published(client, state):
    species = SpeciesFactory(slug="amur-tiger")
    area = ProtectedAreaFactory(name="Hidden Valley reserve")
    PopulationEstimateFactory(
        species=species, scope="site", protected_area=area, count=4321, publication_state=state
    )
    OccurrenceFactory(species=species, protected_area=area, publication_state=state)
    page = client.get(reverse("species:detail", args=["amur-tiger"]))
    assert page.status_code == 200
    assert "4,321" not in page.content.decode()
    assert "Hidden Valley reserve" not in page.content.decode()
    area_page = client.get(reverse("protected_areas:detail", args=[area.pk]))
    assert "amur-tiger" not in area_page.content.decode()
    layer = client.get("/api/map/occurrences.geojson", {"zoom": 14})
    assert json.loads(layer.content)["features"] == []


def test_publishing_a_draft_record_makes_it_public(client, django_user_model):
    roles_setup()
    editor = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    occurrence = OccurrenceFactory(publication_state=PublicationState.DRAFT)
    assert not Occurrence.objects.published().exists()
    publication_publish(user=editor, queryset=Occurrence.objects.filter(pk=occurrence.pk))
    assert list(Occurrence.objects.published()) == [occurrence]
    occurrence.refresh_from_db()
    assert occurrence.history.first().history_user == editor
