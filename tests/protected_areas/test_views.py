import pytest
from django.contrib.gis.geos import Point

from common.models import PublicationState
from tests.factories import (
    CountryFactory,
    OccurrenceFactory,
    PopulationEstimateFactory,
    ProjectFactory,
    ProtectedAreaFactory,
    SpeciesFactory,
    TransboundaryLinkFactory,
    square,
)

pytestmark = pytest.mark.django_db


def _names(response):
    return sorted(area.name for area in response.context["object_list"])


def test_unpublished_areas_are_not_listed_and_their_pages_404(client):
    ProtectedAreaFactory(name="Shown")
    hidden = ProtectedAreaFactory(name="Hidden", publication_state=PublicationState.DRAFT)
    assert _names(client.get("/protected-areas/")) == ["Shown"]
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_areas_filter_by_country_iucn_category_and_species(client):
    china = CountryFactory(iso_a3="CHN", name="China")
    russia = CountryFactory(iso_a3="RUS", name="Russian Federation")
    leopard = SpeciesFactory(slug="amur-leopard")
    a = ProtectedAreaFactory(name="A", country=china, iucn_category="II")
    b = ProtectedAreaFactory(name="B", country=russia, iucn_category="Ia")
    ProtectedAreaFactory(name="C", country=russia, iucn_category="II")
    OccurrenceFactory(species=leopard, protected_area=a)
    PopulationEstimateFactory(species=leopard, scope="site", protected_area=b)

    assert _names(client.get("/protected-areas/", {"country": "RUS"})) == ["B", "C"]
    assert _names(client.get("/protected-areas/", {"iucn_category": "II"})) == ["A", "C"]
    assert _names(client.get("/protected-areas/", {"species": "amur-leopard"})) == ["A", "B"]
    assert _names(
        client.get("/protected-areas/", {"species": "amur-leopard", "country": "CHN"})
    ) == ["A"]


def test_area_page_shows_partners_across_the_border_species_and_projects(client):
    russia = CountryFactory(iso_a3="RUS", name="Russian Federation")
    china = CountryFactory(iso_a3="CHN", name="China")
    area = ProtectedAreaFactory(name="Land of the Leopard", country=russia)
    partner = ProtectedAreaFactory(name="Northeast China Tiger and Leopard NP", country=china)
    link = TransboundaryLinkFactory(name="Leopard complex", cooperation_status="informal")
    link.protected_areas.add(area, partner)
    leopard = SpeciesFactory(common_name="Amur leopard")
    OccurrenceFactory(species=leopard, protected_area=area)
    project = ProjectFactory(title="Big cats")
    project.protected_areas.add(area)

    html = client.get(area.get_absolute_url()).text
    assert "Leopard complex" in html
    assert "Informal cooperation" in html
    assert (
        f'<a href="{partner.get_absolute_url()}">Northeast China Tiger and Leopard NP</a>' in html
    )
    assert "Amur leopard" in html
    assert "Big cats" in html


def test_an_approximate_boundary_is_labelled_as_such(client):
    area = ProtectedAreaFactory(boundary_quality="approximate")
    html = client.get(area.get_absolute_url()).text
    assert "not the legal boundary" in html
    surveyed = ProtectedAreaFactory(boundary_quality="surveyed")
    assert "not the legal boundary" not in client.get(surveyed.get_absolute_url()).text


def test_area_content_is_translated_with_english_fallback(client):
    area = ProtectedAreaFactory(name="Khanka Nature Reserve", name_zh_hans="兴凯湖自然保护区")
    url = area.get_absolute_url()
    assert "兴凯湖自然保护区" in client.get(f"/zh-hans{url}").text
    assert "Khanka Nature Reserve" in client.get(f"/ko{url}").text


def test_area_pages_use_a_constant_number_of_queries(client, django_assert_max_num_queries):
    area = ProtectedAreaFactory()
    for _ in range(12):
        other = ProtectedAreaFactory()
        link = TransboundaryLinkFactory()
        link.protected_areas.add(area, other)
        OccurrenceFactory(species=SpeciesFactory(), protected_area=area)
        ProjectFactory().protected_areas.add(area)
    with django_assert_max_num_queries(10):
        client.get("/protected-areas/")
    with django_assert_max_num_queries(12):
        client.get(area.get_absolute_url())


def test_a_point_only_area_does_not_call_its_missing_boundary_approximate(client):
    country = CountryFactory(iso_a3="MNG", boundary=square(105, 45, 3))
    area = ProtectedAreaFactory(
        country=country, boundary=None, location=Point(106, 46), boundary_quality="approximate"
    )
    html = client.get(area.get_absolute_url()).text
    assert "No boundary is recorded: the point marks the area&#x27;s location." in html
    assert "Approximate" not in html and "stand-in" not in html
    assert "<dt>Boundary</dt><dd>Not recorded</dd>" in html


def test_an_approximate_boundary_is_explained_once_under_the_map(client):
    area = ProtectedAreaFactory(boundary_quality="approximate")
    html = client.get(area.get_absolute_url()).text
    assert "<dt>Boundary</dt><dd>Approximate</dd>" in html
    assert html.count("a stand-in of the reported area") == 1
    assert "No boundary is recorded" not in html
