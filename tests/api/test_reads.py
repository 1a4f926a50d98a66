"""Read endpoints: lists and details, filters, ordering, pagination, and a number of
queries that does not grow with the data."""

import pytest

from tests import factories

from .conftest import ENDPOINTS as LISTS

pytestmark = pytest.mark.django_db


def get(client, path, **params):
    response = client.get(f"/api/v1/{path}", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def items(page):
    return page["features"] if page.get("type") == "FeatureCollection" else page["results"]


def test_the_root_lists_every_endpoint(api_client):
    root = get(api_client, "")
    assert set(root) == set(LISTS)


def test_projects_list_and_detail(api_client, world):
    page = get(api_client, "projects/")
    assert page["count"] == 1
    [project] = page["results"]
    assert project["slug"] == "tiger-corridor"
    assert project["countries"] == ["RUS"]
    assert project["species"] == ["amur-tiger"]
    assert project["approved_at"]["slug"] == "som-20"
    assert project["protected_areas"] == [
        {"id": world["land"].pk, "name": "Land of the Leopard", "country": "RUS"}
    ]
    assert [output["title"] for output in project["outputs"]] == ["Corridor report"]
    assert project["sites"]["type"] == "GeometryCollection"
    assert project["page_url"] == "http://testserver/projects/tiger-corridor/"
    assert get(api_client, "projects/tiger-corridor/") == project


def test_outputs_meetings_decisions(api_client, world):
    [output] = get(api_client, "outputs/")["results"]
    assert output["project"] == {"slug": "tiger-corridor", "acronym": "", "title": "Tiger corridor"}
    [meeting] = get(api_client, "meetings/")["results"]
    assert (meeting["slug"], meeting["host_country"]) == ("som-20", "RUS")
    assert get(api_client, "meetings/som-20/")["title"] == "Twentieth SOM"
    [decision] = get(api_client, "decisions/")["results"]
    assert decision["meeting"]["slug"] == "som-20"
    assert decision["related_projects"] == ["tiger-corridor"]


def test_species_and_estimates(api_client, world):
    species = get(api_client, "species/")["results"]
    assert {s["slug"] for s in species} == {"amur-tiger", "amur-leopard"}
    tiger = get(api_client, "species/amur-tiger/")
    assert tiger["range_countries"] == ["RUS"]
    assert tiger["iucn_category"] == "EN"
    [estimate] = get(api_client, "population-estimates/")["results"]
    assert estimate["species"] == "amur-tiger"
    assert estimate["protected_area"]["name"] == "Land of the Leopard"
    assert estimate["count"] == 120


def test_protected_areas_are_geojson_features(api_client, world):
    collection = get(api_client, "protected-areas/")
    assert collection["type"] == "FeatureCollection"
    assert collection["count"] == 2
    feature = next(f for f in collection["features"] if f["id"] == world["land"].pk)
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "Point"
    assert feature["properties"]["country"] == "RUS"
    assert "boundary" not in feature["properties"]
    detail = get(api_client, f"protected-areas/{world['land'].pk}/")
    assert detail["geometry"]["type"] == "Point"
    assert detail["properties"]["boundary"]["type"] == "MultiPolygon"


def test_occurrences_are_geojson_features(api_client, world):
    collection = get(api_client, "occurrences/")
    assert collection["type"] == "FeatureCollection"
    tiger = next(f for f in collection["features"] if f["id"] == world["tiger_record"].pk)
    assert tiger["geometry"] == {"type": "Point", "coordinates": [131.5, 43.5]}
    assert tiger["properties"]["species"] == "amur-tiger"
    assert tiger["properties"]["location_generalised"] is False
    assert tiger["properties"]["protected_area"]["name"] == "Land of the Leopard"


@pytest.mark.parametrize(
    ("path", "params", "expected"),
    [
        ("projects/", {"country": "RUS"}, 1),
        ("projects/", {"country": "MNG"}, 0),
        ("projects/", {"species": "amur-tiger"}, 1),
        ("projects/", {"status": "ongoing"}, 0),
        ("projects/", {"year": 2021}, 1),
        ("projects/", {"year": 2024}, 0),
        ("outputs/", {"project": "tiger-corridor", "year": 2022}, 1),
        ("outputs/", {"country": "MNG"}, 0),
        ("meetings/", {"country": "RUS", "year": 2016}, 1),
        ("meetings/", {"kind": "workshop"}, 0),
        ("decisions/", {"country": "RUS", "status": "pending"}, 1),
        ("decisions/", {"project": "tiger-corridor", "meeting": "som-20"}, 1),
        ("decisions/", {"year": 2017}, 0),
        ("species/", {"iucn_category": "CR"}, 1),
        ("species/", {"country": "RUS"}, 1),
        ("species/", {"sensitive": "true"}, 1),
        ("population-estimates/", {"country": "RUS", "year_min": 2019}, 1),
        ("population-estimates/", {"species": "amur-leopard"}, 0),
        ("population-estimates/", {"iucn_category": "EN", "scope": "site"}, 1),
        ("protected-areas/", {"country": "MNG"}, 1),
        ("protected-areas/", {"iucn_category": "II"}, 1),
        ("protected-areas/", {"species": "amur-tiger"}, 1),
        ("occurrences/", {"species": "amur-tiger"}, 1),
        ("occurrences/", {"country": "RUS", "year": 2023}, 1),
        ("occurrences/", {"country": "MNG"}, 0),
        ("occurrences/", {"iucn_category": "CR"}, 1),
        ("occurrences/", {"bbox": "131.4,43.4,131.6,43.6"}, 1),
        ("occurrences/", {"bbox": "100,42,115,57"}, 0),
    ],
)
def test_filters(api_client, world, path, params, expected):
    assert get(api_client, path, **params)["count"] == expected


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("projects/", {"country": "Mongolia"}),
        ("projects/", {"status": "finished"}),
        ("projects/", {"year": "twenty"}),
        ("species/", {"iucn_category": "XX"}),
        ("occurrences/", {"bbox": "131,43,130,44"}),
        ("occurrences/", {"bbox": "1,2,3"}),
        ("occurrences/", {"bbox": "nan,1,2,3"}),
        ("occurrences/", {"year": "99999"}),
        ("population-estimates/", {"species": "no-such-species"}),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(api_client, world, path, params):
    response = api_client.get(f"/api/v1/{path}", params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_pagination_and_ordering(api_client):
    for year in range(2001, 2008):
        factories.MeetingFactory(year=year)
    first = get(api_client, "meetings/", page_size=3, ordering="year")
    assert first["count"] == 7
    assert [m["year"] for m in first["results"]] == [2001, 2002, 2003]
    assert first["next"].startswith("http://testserver/api/v1/meetings/?")
    last = get(api_client, "meetings/", page_size=3, page=3, ordering="-year")
    assert [m["year"] for m in last["results"]] == [2001]
    assert last["next"] is None
    assert api_client.get("/api/v1/meetings/", {"page": 9}).status_code == 404


def test_the_page_size_has_a_ceiling(api_client, settings):
    settings.API_MAX_PAGE_SIZE = 2
    for _n in range(3):
        factories.SpeciesFactory()
    assert len(get(api_client, "species/", page_size=100)["results"]) == 2


def test_unknown_records_are_404(api_client, world):
    for path in ("projects/nothing/", "occurrences/999999/", "protected-areas/abc/"):
        assert api_client.get(f"/api/v1/{path}").status_code == 404


@pytest.mark.parametrize("path", LISTS)
def test_queries_do_not_grow_with_the_records(
    api_client, world, path, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        get(api_client, f"{path}/")
    for n in range(5):
        project = factories.ProjectFactory(title=f"More {n}")
        project.countries.set([world["land"].country])
        factories.OutputFactory(project=project)
        factories.DecisionFactory(meeting=world["meeting"]).related_projects.set([project])
        factories.PopulationEstimateFactory(species=world["tiger"], protected_area=world["land"])
        factories.OccurrenceFactory(species=world["leopard"], protected_area=world["land"])
        factories.ProtectedAreaFactory(country=world["land"].country)
    with django_assert_max_num_queries(12):
        get(api_client, f"{path}/")
