import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from common.models import PublicationState
from maps.selectors import feature_details
from tests.factories import (
    CountryFactory,
    OccurrenceFactory,
    ProjectFactory,
    ProtectedAreaFactory,
    SpeciesFactory,
    square,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def leopard_park():
    russia = CountryFactory(iso_a3="RUS", name="Russian Federation", boundary=square(125, 40, 15))
    return ProtectedAreaFactory(
        name="Land of the Leopard National Park",
        name_local="Национальный парк «Земля леопарда»",
        country=russia,
        boundary=square(131, 43, 0.5),
    )


@pytest.mark.parametrize("query", ["Land of the Leopard", "leopard", "Земля леопарда"])
def test_search_finds_a_protected_area_by_any_of_its_names(client, leopard_park, query):
    (result,) = client.get("/api/map/search.json", {"q": query}).json()["results"]
    assert result["name"] == "Land of the Leopard National Park"
    assert result["url"] == leopard_park.get_absolute_url()
    assert result["bbox"] == pytest.approx([131, 43, 131.5, 43.5])


def test_search_finds_species_with_the_extent_of_their_records(client):
    crane = SpeciesFactory(common_name="Red-crowned crane", scientific_name="Grus japonensis")
    OccurrenceFactory(species=crane, location="SRID=4326;POINT(140 43)")
    OccurrenceFactory(species=crane, location="SRID=4326;POINT(126 37)")

    (result,) = client.get("/api/map/search.json", {"q": "grus"}).json()["results"]
    assert result["kind"] == "species"
    assert result["bbox"] == pytest.approx([126, 37, 140, 43])


def test_search_never_finds_unpublished_records(client, leopard_park):
    leopard_park.publication_state = PublicationState.DRAFT
    leopard_park.save()
    SpeciesFactory(common_name="Leopard cat", publication_state=PublicationState.DRAFT)
    assert client.get("/api/map/search.json", {"q": "leopard"}).json()["results"] == []


def test_search_needs_two_characters(client):
    response = client.get("/api/map/search.json", {"q": "a"})
    assert response.status_code == 400
    assert response.json()["parameter"] == "q"


def test_feature_details_link_to_the_page_and_to_admin_for_staff_only(staff_client, leopard_park):
    url = f"/api/map/features/protected-areas/{leopard_park.pk}.json"
    public = Client().get(url).json()
    assert public["title"] == "Land of the Leopard National Park"
    assert public["url"] == leopard_park.get_absolute_url()
    assert "admin_url" not in public
    assert ["Country", "Russian Federation"] in public["facts"]

    staff = staff_client.get(url).json()
    assert staff["admin_url"] == f"/admin/protected_areas/protectedarea/{leopard_park.pk}/change/"


def test_feature_details_of_an_unpublished_record_are_not_found(client, leopard_park):
    leopard_park.publication_state = PublicationState.DRAFT
    leopard_park.save()
    response = client.get(f"/api/map/features/protected-areas/{leopard_park.pk}.json")
    assert response.status_code == 404


def test_map_page_has_the_disclaimer_and_loads_nothing_from_elsewhere(client):
    ProjectFactory(title="Transboundary big cats", sites=None)
    html = client.get("/map/").content.decode()
    assert "Transboundary big cats</option>" in html, "every published project is a filter"
    assert "do not imply official endorsement or acceptance by the United Nations" in html
    assert "/static/leaflet/leaflet.js" in html
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', html)


def test_layers_answer_head_requests_and_refuse_writes(client):
    assert client.head("/api/map/countries.geojson").status_code == 200
    assert client.post("/api/map/countries.geojson").status_code == 405


def test_the_admin_link_is_built_for_staff_only(leopard_park, django_user_model):
    staff = django_user_model(username="editor", is_staff=True)
    assert "admin_url" not in feature_details(
        "protected-areas", leopard_park.pk, user=AnonymousUser()
    )
    assert feature_details("protected-areas", leopard_park.pk, user=staff)["admin_url"].endswith(
        f"/{leopard_park.pk}/change/"
    )


@pytest.mark.parametrize(
    ("query", "found"),
    [
        # The map's own placeholder examples, whatever the reader's language.
        ("두루미", {"White-naped crane", "Hooded crane"}),
        ("Дауры", {"Daursky Nature Reserve (Torey Lakes)", "White-naped crane"}),
    ],
)
def test_search_finds_its_placeholder_examples_in_every_language(
    client, neaspec_dataset, query, found
):
    results = client.get("/api/map/search.json", {"q": query}).json()["results"]
    assert found <= {result["name"] for result in results}


def test_map_search_and_site_search_share_the_multilingual_rule(client):
    crane = SpeciesFactory(common_name="Hooded crane", scientific_name="Grus monacha")
    crane.common_name_ko = "흑두루미"
    crane.save()
    russia = CountryFactory(iso_a3="RUS", name="Russian Federation")
    area = ProtectedAreaFactory(name="Daursky Nature Reserve", country=russia)
    area.name_ru = "Даурский заповедник"
    area.save()

    def map_names(query):
        return {
            r["name"] for r in client.get("/api/map/search.json", {"q": query}).json()["results"]
        }

    assert map_names("두루미") == {"Hooded crane"}
    assert map_names("Дауры") == {"Daursky Nature Reserve"}
    site = client.get("/search/", {"q": "Дауры"}).content.decode()
    assert "Daursky Nature Reserve" in site
