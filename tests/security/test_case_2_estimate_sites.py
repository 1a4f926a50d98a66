"""Case 2 of the attack review (issue 15): a population estimate given for a protected area
that is not published must not name the area: not on the species page in any language, nor
in the population-trends dashboard's page, .json and .csv. The estimate itself stays public
(it belongs to a published species), as the figure of "a site in <country>"."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from tests import factories

pytestmark = pytest.mark.django_db

HIDDEN_NAME = "Secretvalley Nature Reserve"
HIDDEN_NAME_JA = "秘密谷自然保護区"
HIDDEN_SLUG = "secretvalley"

PUBLIC_PATHS = [
    "/dashboards/population-trends/",
    "/dashboards/population-trends.json",
    "/dashboards/population-trends.csv",
]


def language_prefixes() -> list[str]:
    return ["" if code == "en" else f"/{code}" for code, _name in settings.LANGUAGES]


@pytest.fixture
def estimate_at(mongolia):
    def make(state: str):
        area = factories.ProtectedAreaFactory(
            name=HIDDEN_NAME,
            name_ja=HIDDEN_NAME_JA,
            country=mongolia,
            publication_state=state,
        )
        species = factories.SpeciesFactory(common_name="Argali", slug="argali")
        factories.PopulationEstimateFactory(
            species=species, scope="site", protected_area=area, year=2019, count=180
        )
        factories.PopulationEstimateFactory(
            species=species, scope="site", protected_area=area, year=2022, count=240
        )
        call_command("rebuild_dashboards", stdout=io.StringIO())
        return species

    return make


@pytest.mark.parametrize("state", ["draft", "in_review", "archived", "deleted"])
def test_case_2_unpublished_protected_area_is_not_named_by_its_estimates(
    client, estimate_at, state
):
    species = estimate_at(state)
    paths = [
        f"{prefix}{path}"
        for prefix in language_prefixes()
        for path in [species.get_absolute_url(), *PUBLIC_PATHS]
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        for secret in (HIDDEN_NAME, HIDDEN_NAME_JA, HIDDEN_SLUG, "Secretvalley"):
            assert secret not in body, (path, secret)
    # The figures are still there, as those of a site in the area's country.
    page = client.get(species.get_absolute_url()).content.decode()
    assert "A site in Mongolia" in page
    assert "Mongoliaの一地点" in client.get(f"/ja/species/{species.slug}/").content.decode()
    assert "240" in page
    data = client.get("/dashboards/population-trends.json").json()
    (row,) = [r for r in data["data"]["species"] if r["species"] == "argali"]
    assert [s["area"] for s in row["series"]] == ["A site in Mongolia"]
    assert row["latest"]["value"] == 240


def test_case_2_published_protected_area_is_still_named(client, estimate_at):
    species = estimate_at("published")
    assert HIDDEN_NAME in client.get(species.get_absolute_url()).content.decode()
    assert HIDDEN_NAME_JA in client.get(f"/ja{species.get_absolute_url()}").content.decode()
    assert HIDDEN_NAME in client.get("/dashboards/population-trends.csv").content.decode()


def test_case_2_two_unnamed_sites_are_not_one_series(client, mongolia):
    species = factories.SpeciesFactory(slug="argali")
    for count in (10, 900):
        area = factories.ProtectedAreaFactory(country=mongolia, publication_state="draft")
        factories.PopulationEstimateFactory(
            species=species, scope="site", protected_area=area, count=count
        )
    call_command("rebuild_dashboards", stdout=io.StringIO())
    data = client.get("/dashboards/population-trends.json").json()
    (row,) = data["data"]["species"]
    assert len(row["series"]) == 2
    assert row["change"] is None
