import io

import pytest
from django.core.management import call_command

from common.models import PublicationState
from tests.factories import (
    OccurrenceFactory,
    PopulationEstimateFactory,
    ProjectFactory,
    ProtectedAreaFactory,
    SpeciesFactory,
    SpeciesRangeFactory,
)

pytestmark = pytest.mark.django_db


def test_unpublished_species_are_not_listed_and_their_pages_404(client):
    SpeciesFactory(common_name="Shown")
    hidden = SpeciesFactory(common_name="Hidden", publication_state=PublicationState.DRAFT)
    html = client.get("/species/").text
    assert "Shown" in html and "Hidden" not in html
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_species_page_shows_estimates_with_sources_chart_areas_and_projects(client):
    species = SpeciesFactory(common_name="Amur leopard", iucn_category="CR")
    PopulationEstimateFactory(
        species=species,
        year=2015,
        count=None,
        count_min=57,
        count_max=60,
        source_citation="Census 2015",
        source_url="https://example.org/census",
    )
    PopulationEstimateFactory(species=species, year=2022, count=120, source_citation="Park 2022")
    area = ProtectedAreaFactory(name="Kedrovaya Pad")
    OccurrenceFactory(species=species, protected_area=area)
    project = ProjectFactory(title="Leopard monitoring")
    project.species.add(species)
    ProjectFactory(title="Draft project", publication_state="draft").species.add(species)

    response = client.get(species.get_absolute_url())
    html = response.text
    assert "Critically Endangered" in html
    assert "57–60 individuals" in html
    assert '<a href="https://example.org/census">Census 2015</a>' in html
    assert len(response.context["chart"]) == 2
    assert "chart__bar--range" in html
    assert f'<a href="{area.get_absolute_url()}">Kedrovaya Pad</a>' in html
    assert "Leopard monitoring" in html
    assert "Draft project" not in html
    assert "IUCN range maps may not be redistributed" in html


def test_the_page_lists_the_areas_where_the_species_is_recorded_not_its_range(client):
    species = SpeciesFactory()
    SpeciesRangeFactory(species=species)  # a 2° square from 130°E, 43°N
    in_range_only = ProtectedAreaFactory(name="Inside the range")
    in_range_only.location = in_range_only.location.__class__(131, 44, srid=4326)
    in_range_only.save()
    recorded = ProtectedAreaFactory(name="Recorded there")
    OccurrenceFactory(species=species, protected_area=recorded)
    response = client.get(species.get_absolute_url())
    assert [a.name for a in response.context["protected_areas"]] == ["Recorded there"]
    assert "IUCN range maps may not be redistributed" not in response.text


@pytest.mark.usefixtures("neaspec_dataset")
def test_species_names_from_the_dataset_appear_in_the_reader_s_language(client):
    assert "<h1>アムールトラ" in client.get("/ja/species/amur-tiger/").text
    assert "<h1>Амурский тигр" in client.get("/ru/species/amur-tiger/").text
    # No Mongolian name in the dataset for the tiger: English is shown instead.
    assert "<h1>Amur tiger" in client.get("/mn/species/amur-tiger/").text


def test_species_pages_use_a_constant_number_of_queries(client, django_assert_max_num_queries):
    species = SpeciesFactory()
    for year in range(2000, 2015):
        PopulationEstimateFactory(
            species=species, year=year, scope="site", protected_area=ProtectedAreaFactory()
        )
        ProjectFactory().species.add(species)
        SpeciesFactory()
    with django_assert_max_num_queries(8):
        client.get("/species/")
    # Estimates, projects, ranges, the sites it is present at (issue 10), its records and
    # their count (issue 14), GBIF downloads and census series (issue 11), dashboard figures,
    # its individual animals (issue 12): a fixed number whatever the data.
    with django_assert_max_num_queries(18):
        client.get(species.get_absolute_url())


def test_species_page_shows_the_latest_dashboard_figures(client):
    crane = SpeciesFactory(slug="hooded-crane", common_name="Hooded crane")
    PopulationEstimateFactory(species=crane, year=2010, count=100)
    PopulationEstimateFactory(species=crane, year=2020, count=150)
    page = client.get(crane.get_absolute_url()).content.decode()
    assert "From the dashboards" not in page  # nothing computed yet: nothing claimed
    call_command("rebuild_dashboards", "--indicator", "population-trends", stdout=io.StringIO())
    page = client.get(crane.get_absolute_url()).content.decode()
    assert "From the dashboards" in page
    assert "up 50.0 % from the 2010 estimate" in page


def test_species_page_lists_its_published_records_generalised_when_sensitive(client):
    leopard = SpeciesFactory(
        slug="snow-leopard-page", common_name="Snow leopard", is_sensitive=True
    )
    park = ProtectedAreaFactory(name="Secret small park")
    OccurrenceFactory(
        species=leopard, location="SRID=4326;POINT(88.3171 49.5672)", count=3, protected_area=park
    )
    crane = SpeciesFactory(slug="crane-page", common_name="Crane")
    OccurrenceFactory(species=crane, location="SRID=4326;POINT(126.4567 37.1234)", count=7)

    page = client.get(leopard.get_absolute_url()).content.decode()
    assert "1 published record" in page
    assert "88.32" not in page and "49.57" not in page
    crane_page = client.get(crane.get_absolute_url()).content.decode()
    assert "126.46, 37.12" in crane_page
    assert '<td data-label="Individuals">7</td>' in crane_page


def test_a_record_s_place_reads_unambiguously_with_russian_decimal_commas(client):
    crane = SpeciesFactory(slug="crane-page", common_name="Crane")
    OccurrenceFactory(species=crane, location="SRID=4326;POINT(126.4567 37.1234)", count=7)
    page = client.get(f"/ru{crane.get_absolute_url()}").content.decode()
    # Not "126,46, 37,12": a semicolon parts the two numbers.
    assert ">126,46; 37,12</td>" in page
