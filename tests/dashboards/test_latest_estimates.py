""" "Latest estimate" on a species page: one row per area, no stale figure beside a newer one,
approximate figures said to be approximate (issue 10)."""

import pytest

from dashboards.indicators import population_trends
from dashboards.indicators.populations import PopulationTrends
from tests.factories import (
    CountryFactory,
    PopulationEstimateFactory,
    ProtectedAreaFactory,
    SpeciesFactory,
)

pytestmark = pytest.mark.django_db


def latest(slug):
    return PopulationTrends().species_latest_by_area(population_trends(), slug)


def test_one_global_row_and_no_stale_country_figure_beside_a_newer_site_count():
    russia = CountryFactory(iso_a3="RUS", name="Russia")
    leopard = SpeciesFactory(slug="leopard")
    park = ProtectedAreaFactory(name="Land of the Leopard", country=russia)
    PopulationEstimateFactory(species=leopard, year=2015, count=None, count_min=60, count_max=70)
    PopulationEstimateFactory(species=leopard, year=2016, count=90, unit="mature individuals")
    PopulationEstimateFactory(
        species=leopard, scope="country", country=russia, year=2007, count=None, count_min=14,
        count_max=20, unit="adults",
    )  # fmt: skip
    PopulationEstimateFactory(
        species=leopard, scope="site", country=russia, protected_area=park, year=2024, count=129,
        unit="adults",
    )  # fmt: skip
    rows = latest("leopard")
    assert [(row["area"], row["year"]) for row in rows] == [
        ("Global", 2016),
        ("Land of the Leopard", 2024),
    ]


def test_a_recent_country_figure_stays_beside_a_site_count():
    russia = CountryFactory(iso_a3="RUS", name="Russia")
    irbis = SpeciesFactory(slug="irbis")
    park = ProtectedAreaFactory(name="Sailyugemsky", country=russia)
    PopulationEstimateFactory(species=irbis, scope="country", country=russia, year=2022, count=74)
    PopulationEstimateFactory(species=irbis, scope="site", protected_area=park, year=2023, count=39)
    assert [row["area"] for row in latest("irbis")] == ["Russia", "Sailyugemsky"]


def test_an_approximate_figure_reads_about(client):
    crane = SpeciesFactory(slug="hooded-crane")
    estimate = PopulationEstimateFactory(species=crane, year=2012, count=11600, approximate=True)
    assert estimate.figure == "about 11,600 individuals"
    assert latest("hooded-crane")[0]["figure"] == "about 11,600 individuals"
    page = client.get(crane.get_absolute_url()).content.decode()
    assert "about 11,600" in page
