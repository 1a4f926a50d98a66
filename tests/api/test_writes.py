"""Writes (occurrences, population estimates): a staff user's token, the admin's checks —
permission, every field, the user's countries — and a draft as the result. A refused write
changes nothing: the tables are counted before and after."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token

from common.models import PublicationState
from governance.services import REVIEWER
from species.models import Occurrence, PopulationEstimate

from .conftest import token_client

pytestmark = pytest.mark.django_db

OCCURRENCES = "/api/v1/occurrences/"
ESTIMATES = "/api/v1/population-estimates/"
IN_MONGOLIA = {"type": "Point", "coordinates": [106.9, 47.9]}
IN_RUSSIA = {"type": "Point", "coordinates": [131.9, 43.1]}


def occurrence(**fields):
    return {
        "species": "amur-tiger",
        "event_date": "2024-02-10",
        "location": IN_MONGOLIA,
        "basis_of_record": "camera_trap",
        "dataset": "Dornod camera traps",
        "count": 1,
        **fields,
    }


def estimate(**fields):
    return {
        "species": "amur-tiger",
        "scope": "country",
        "country": "MNG",
        "year": 2023,
        "count": 12,
        "source_citation": "National survey 2023",
        **fields,
    }


def rows() -> tuple[int, ...]:
    return (
        Occurrence.objects.count(),
        PopulationEstimate.objects.count(),
        Occurrence.history.count(),
        PopulationEstimate.history.count(),
    )


@pytest.fixture
def unchanged(world):
    """Asserts that the test leaves every write table as it found it."""
    before = rows()
    yield
    assert rows() == before


def test_a_focal_point_adds_a_draft_occurrence_in_its_country(focal_client, world):
    response = focal_client.post(OCCURRENCES, occurrence(), format="json")
    assert response.status_code == 201, response.content
    created = Occurrence.objects.get(pk=response.json()["id"])
    assert created.publication_state == PublicationState.DRAFT
    assert response.json()["publication_state"] == "draft"
    assert response.json()["location"] == IN_MONGOLIA
    assert (created.location.x, created.location.y) == (106.9, 47.9)
    version = created.history.get()
    assert version.history_user.username == "mn-focal"
    assert version.history_change_reason == "Created through the API"
    # A draft: not public, on the API or anywhere else.
    assert not Occurrence.objects.published().filter(pk=created.pk).exists()
    assert focal_client.get(f"{OCCURRENCES}{created.pk}/").status_code == 404


def test_a_focal_point_adds_a_draft_estimate_for_its_country(focal_client, world):
    response = focal_client.post(ESTIMATES, estimate(publication_state="published"), format="json")
    assert response.status_code == 201, response.content
    created = PopulationEstimate.objects.get(pk=response.json()["id"])
    assert created.publication_state == PublicationState.DRAFT
    assert created.country.iso_a3 == "MNG"
    assert created.history.get().history_user.username == "mn-focal"


def test_the_secretariat_adds_a_global_estimate(editor_client, world):
    response = editor_client.post(ESTIMATES, estimate(scope="global", country=None), format="json")
    assert response.status_code == 201, response.content
    assert PopulationEstimate.objects.get(pk=response.json()["id"]).is_published is False


@pytest.mark.usefixtures("unchanged")
class TestRefusalsChangeNothing:
    def test_without_a_token(self, api_client):
        response = api_client.post(OCCURRENCES, occurrence(), format="json")
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"

    def test_with_an_unknown_token(self, api_client):
        api_client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
        assert api_client.post(OCCURRENCES, occurrence(), format="json").status_code == 401

    def test_with_the_token_of_an_inactive_user(self, mongolia_focal_point):
        client = token_client(mongolia_focal_point)
        mongolia_focal_point.is_active = False
        mongolia_focal_point.save()
        assert client.post(OCCURRENCES, occurrence(), format="json").status_code == 401

    def test_with_the_token_of_a_user_who_is_not_staff(self, django_user_model):
        user = django_user_model.objects.create_user("reader", "r@example.org", "pw")
        client = token_client(user)
        assert client.post(OCCURRENCES, occurrence(), format="json").status_code == 403

    def test_with_the_token_of_a_reviewer(self, roles, django_user_model):
        user = django_user_model.objects.create_user("rev", "rev@example.org", "pw", is_staff=True)
        user.groups.add(Group.objects.get(name=REVIEWER))
        response = token_client(user).post(ESTIMATES, estimate(), format="json")
        assert response.status_code == 403

    def test_a_mongolian_focal_point_cannot_create_a_russian_occurrence(self, focal_client):
        response = focal_client.post(OCCURRENCES, occurrence(location=IN_RUSSIA), format="json")
        assert response.status_code == 403
        assert "not a record of your countries" in response.json()["detail"]

    def test_nor_one_in_a_russian_protected_area(self, focal_client, world):
        response = focal_client.post(
            OCCURRENCES,
            occurrence(location=IN_RUSSIA, protected_area=world["land"].pk),
            format="json",
        )
        assert response.status_code == 400
        assert set(response.json()) == {"protected_area"}

    def test_nor_a_russian_estimate(self, focal_client, world):
        response = focal_client.post(ESTIMATES, estimate(country="RUS"), format="json")
        assert response.status_code == 400
        assert set(response.json()) == {"country"}

    def test_nor_a_mongolian_estimate_for_a_russian_area(self, focal_client, world):
        response = focal_client.post(
            ESTIMATES, estimate(scope="site", protected_area=world["land"].pk), format="json"
        )
        assert response.status_code == 400
        assert set(response.json()) == {"protected_area"}

    def test_nor_a_global_estimate(self, focal_client):
        response = focal_client.post(
            ESTIMATES, estimate(scope="global", country=None), format="json"
        )
        assert response.status_code == 403

    @pytest.mark.parametrize(
        ("fields", "named"),
        [
            ({"location": {"type": "Polygon", "coordinates": []}}, {"location"}),
            ({"location": "POINT(106 47)"}, {"location"}),
            ({"location": {"type": "Point", "coordinates": [106, 47, 1200]}}, {"location"}),
            ({"species": "no-such-species"}, {"species"}),
            ({"event_date": "yesterday", "count": -1}, {"event_date", "count"}),
            ({"basis_of_record": "rumour"}, {"basis_of_record"}),
            ({"notes": "a\x00b"}, {"notes"}),
            ({"dataset": ""}, {"dataset"}),
        ],
    )
    def test_bad_occurrences_are_400s_naming_the_fields(self, focal_client, fields, named):
        response = focal_client.post(OCCURRENCES, occurrence(**fields), format="json")
        assert response.status_code == 400, response.content
        assert set(response.json()) == named

    def test_a_location_off_the_globe_is_refused_by_the_models_rule(self, focal_client):
        location = {"type": "Point", "coordinates": [200, 47]}
        response = focal_client.post(OCCURRENCES, occurrence(location=location), format="json")
        assert response.status_code == 400, response.content
        assert "coordinates outside longitude" in str(response.json())

    @pytest.mark.parametrize(
        ("fields", "named", "message"),
        [
            ({"count": None}, {"count"}, "Give a count, a minimum"),
            ({"count": None, "count_min": 9, "count_max": 3}, {"count_max"}, "maximum"),
            ({"year": 1500}, {"year"}, "1800"),
            ({"scope": "site", "country": None}, {"site_name"}, "A site estimate needs"),
            ({"scope": "country", "country": None}, {"country"}, "needs its country"),
        ],
    )
    def test_bad_estimates_are_400s_with_the_models_messages(
        self, focal_client, fields, named, message
    ):
        response = focal_client.post(ESTIMATES, estimate(**fields), format="json")
        assert response.status_code == 400, response.content
        assert named <= set(response.json())
        assert message in str(response.json())

    def test_a_body_that_is_not_json(self, focal_client):
        response = focal_client.post(OCCURRENCES, "species=amur-tiger", content_type="text/plain")
        assert response.status_code == 415

    def test_writes_only_create(self, focal_client, world):
        record = world["tiger_record"]
        for method in ("put", "patch", "delete"):
            response = getattr(focal_client, method)(f"{OCCURRENCES}{record.pk}/", {})
            assert response.status_code == 405


def test_tokens_are_issued_in_the_admin(staff_client, mongolia_focal_point):
    response = staff_client.post(
        "/admin/authtoken/tokenproxy/add/", {"user": mongolia_focal_point.pk}
    )
    assert response.status_code == 302, response.content
    assert Token.objects.filter(user=mongolia_focal_point).exists()
