"""The API answers published records only: drafts, records in review, archived and deleted
ones never appear, neither as records nor as the related record of a published one — not
their name, not their slug. A token changes nothing about it."""

import pytest

from tests import factories

from .conftest import NOT_PUBLIC

pytestmark = pytest.mark.django_db

HIDDEN = "Hidden"
HIDDEN_SLUG = "hidden-record"


def every_response(client, world):
    """Every list and detail path of the API, with filters naming the published records."""
    paths = [
        "",
        "projects/",
        "projects/tiger-corridor/",
        "outputs/",
        f"outputs/{world['output'].pk}/",
        "meetings/",
        "meetings/som-20/",
        "decisions/",
        f"decisions/{world['decision'].pk}/",
        "species/",
        "species/amur-tiger/",
        "species/amur-leopard/",
        "population-estimates/",
        f"population-estimates/{world['estimate'].pk}/",
        "protected-areas/",
        f"protected-areas/{world['land'].pk}/",
        "occurrences/",
        f"occurrences/{world['tiger_record'].pk}/",
        f"occurrences/{world['leopard_record'].pk}/",
        "projects/?country=RUS&species=amur-tiger",
        "decisions/?country=RUS",
        "population-estimates/?country=RUS",
        "protected-areas/?species=amur-tiger",
        "occurrences/?country=RUS",
        "occurrences/?country=MNG",
    ]
    for path in paths:
        response = client.get(f"/api/v1/{path}")
        assert response.status_code == 200, (path, response.content)
        yield path, response.content.decode()


def assert_hidden_nowhere(client, world):
    for path, body in every_response(client, world):
        assert HIDDEN not in body, path
        assert HIDDEN_SLUG not in body, path


@pytest.fixture(params=NOT_PUBLIC)
def state(request):
    return request.param


def test_unpublished_records_of_every_kind_are_absent(api_client, focal_client, world, state):
    tiger, land, meeting = world["tiger"], world["land"], world["meeting"]
    hidden = {"publication_state": state}
    factories.SpeciesFactory(common_name=HIDDEN, slug=HIDDEN_SLUG, **hidden)
    factories.ProtectedAreaFactory(name=HIDDEN, country=land.country, **hidden)
    factories.MeetingFactory(title=HIDDEN, slug=HIDDEN_SLUG, **hidden)
    draft_project = factories.ProjectFactory(title=HIDDEN, slug=HIDDEN_SLUG, **hidden)
    factories.OutputFactory(project=world["project"], title=HIDDEN, **hidden)
    factories.OutputFactory(project=draft_project, title=f"{HIDDEN} output of a draft")
    factories.PopulationEstimateFactory(species=tiger, source_citation=HIDDEN, **hidden)
    factories.OccurrenceFactory(species=tiger, dataset=HIDDEN, **hidden)
    factories.DecisionFactory(
        meeting=factories.MeetingFactory(title="Other", slug="other", **hidden), text=HIDDEN
    )
    assert meeting.is_published
    for client in (api_client, focal_client):
        assert_hidden_nowhere(client, world)


def test_unpublished_related_records_are_not_named(api_client, world, state):
    """A published record linked to an unpublished one shows the link as absent."""
    hidden = {"publication_state": state}
    secret_meeting = factories.MeetingFactory(title=HIDDEN, slug=HIDDEN_SLUG, **hidden)
    secret_area = factories.ProtectedAreaFactory(
        name=HIDDEN, country=world["land"].country, **hidden
    )
    secret_species = factories.SpeciesFactory(common_name=HIDDEN, slug=HIDDEN_SLUG, **hidden)
    secret_project = factories.ProjectFactory(title=HIDDEN, slug=f"{HIDDEN_SLUG}-project", **hidden)
    project = world["project"]
    project.approved_at = secret_meeting
    project.save()
    project.protected_areas.add(secret_area)
    project.species.add(secret_species)
    world["decision"].related_projects.add(secret_project)
    estimate = factories.PopulationEstimateFactory(
        species=world["tiger"], scope="site", protected_area=secret_area, site_name=""
    )
    record = factories.OccurrenceFactory(species=world["tiger"], protected_area=secret_area)
    assert_hidden_nowhere(api_client, world)
    detail = api_client.get("/api/v1/projects/tiger-corridor/").json()
    assert detail["approved_at"] is None
    assert detail["species"] == ["amur-tiger"]
    assert [area["name"] for area in detail["protected_areas"]] == ["Land of the Leopard"]
    assert (
        api_client.get(f"/api/v1/population-estimates/{estimate.pk}/").json()["protected_area"]
        is None
    )
    feature = api_client.get(f"/api/v1/occurrences/{record.pk}/").json()
    assert feature["properties"]["protected_area"] is None


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("projects/", "species"),
        ("occurrences/", "species"),
        ("population-estimates/", "species"),
        ("protected-areas/", "species"),
        ("outputs/", "project"),
        ("decisions/", "project"),
        ("decisions/", "meeting"),
    ],
)
def test_a_filter_refuses_an_unpublished_records_slug_as_an_unknown_one(
    api_client, world, path, param
):
    factories.SpeciesFactory(slug=HIDDEN_SLUG, publication_state="draft")
    factories.ProjectFactory(slug=HIDDEN_SLUG, publication_state="draft")
    factories.MeetingFactory(slug=HIDDEN_SLUG, publication_state="draft")
    hidden = api_client.get(f"/api/v1/{path}", {param: HIDDEN_SLUG})
    unknown = api_client.get(f"/api/v1/{path}", {param: "never-existed"})
    assert hidden.status_code == unknown.status_code == 400
    assert hidden.json() == unknown.json()


def test_unpublished_details_are_404(api_client, focal_client, world, state):
    hidden = {"publication_state": state}
    paths = [
        f"projects/{factories.ProjectFactory(slug=HIDDEN_SLUG, **hidden).slug}/",
        f"meetings/{factories.MeetingFactory(slug=HIDDEN_SLUG, **hidden).slug}/",
        f"species/{factories.SpeciesFactory(slug=HIDDEN_SLUG, **hidden).slug}/",
        f"outputs/{factories.OutputFactory(**hidden).pk}/",
        f"protected-areas/{factories.ProtectedAreaFactory(**hidden).pk}/",
        f"population-estimates/{factories.PopulationEstimateFactory(**hidden).pk}/",
        f"occurrences/{factories.OccurrenceFactory(**hidden).pk}/",
        f"decisions/{factories.DecisionFactory(meeting=factories.MeetingFactory(**hidden)).pk}/",
    ]
    for client in (api_client, focal_client):
        for path in paths:
            assert client.get(f"/api/v1/{path}").status_code == 404, path
