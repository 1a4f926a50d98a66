"""Exact points of sensitive species go only to those entitled (issue 15): the permission
`species.view_exact_location` (the Secretariat's editors and focal points by the roles,
superusers), and for a focal point only in its own countries. Everyone else — the public,
reviewers, staff without the permission — sees them generalised, on the map API and in the
admin."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import Point
from django.test import Client
from django.urls import reverse

from species.models import Occurrence, exact_location_countries
from species.selectors import occurrence_location_for
from tests import factories

pytestmark = pytest.mark.django_db

RUSSIAN_TRAP = (131.91234, 43.81234)  # tests/conftest.py's Russia
MONGOLIAN_TRAP = (106.91234, 47.91234)  # tests/conftest.py's Mongolia


@pytest.fixture
def traps(russia, mongolia):
    leopard = factories.SpeciesFactory(slug="amur-leopard", is_sensitive=True)
    return {
        "ru": factories.OccurrenceFactory(species=leopard, location=Point(*RUSSIAN_TRAP)),
        "mn": factories.OccurrenceFactory(species=leopard, location=Point(*MONGOLIAN_TRAP)),
    }


def layer_points(client) -> set[tuple[float, float]]:
    response = client.get(
        reverse("maps_api:layer", args=["occurrences"]),
        {"bbox": "90,30,150,60", "zoom": "12"},
    )
    assert response.status_code == 200
    return {
        tuple(round(c, 5) for c in feature["geometry"]["coordinates"])
        for feature in response.json()["features"]
    }


def test_focal_point_sees_exact_points_only_in_its_countries(focal_client, traps):
    points = layer_points(focal_client)
    assert MONGOLIAN_TRAP in points
    assert RUSSIAN_TRAP not in points
    assert len(points) == 2  # the Russian one generalised


def test_secretariat_editor_sees_every_exact_point(editor_client, traps):
    assert {RUSSIAN_TRAP, MONGOLIAN_TRAP} <= layer_points(editor_client)


@pytest.fixture
def reviewer_client(client, roles, django_user_model):
    from governance.services import REVIEWER  # noqa: PLC0415
    from tests.governance.conftest import _user_in_group  # noqa: PLC0415

    client.force_login(_user_in_group(django_user_model, "reviewer", REVIEWER))
    return client


def test_reviewers_and_plain_staff_see_generalised_points(
    reviewer_client, traps, django_user_model
):
    assert not {RUSSIAN_TRAP, MONGOLIAN_TRAP} & layer_points(reviewer_client)
    staff = django_user_model.objects.create_user("plain-staff", is_staff=True)
    plain = Client()
    plain.force_login(staff)
    assert not {RUSSIAN_TRAP, MONGOLIAN_TRAP} & layer_points(plain)
    assert exact_location_countries(staff) == frozenset()


def test_anonymous_layer_bytes_are_unchanged_by_who_else_looks(client, focal_client, traps):
    anonymous = Client().get(
        reverse("maps_api:layer", args=["occurrences"]), {"bbox": "90,30,150,60", "zoom": "12"}
    )
    assert not {RUSSIAN_TRAP, MONGOLIAN_TRAP} & layer_points(Client())
    assert anonymous["Cache-Control"].startswith("public")
    focal = focal_client.get(
        reverse("maps_api:layer", args=["occurrences"]), {"bbox": "90,30,150,60", "zoom": "12"}
    )
    assert "private" in focal["Cache-Control"]


def test_one_record_rule_agrees_with_the_query(mongolia_focal_point, traps):
    for key, exact in (("mn", True), ("ru", False)):
        occurrence = traps[key]
        row = Occurrence.objects.for_viewer(mongolia_focal_point).get(pk=occurrence.pk)
        assert row.location_generalised is not exact
        shown = occurrence_location_for(mongolia_focal_point, occurrence)
        assert shown.distance(row.shown_location) < 1e-7
    anonymous = occurrence_location_for(AnonymousUser(), traps["mn"])
    assert (round(anonymous.x, 5), round(anonymous.y, 5)) != MONGOLIAN_TRAP


def admin_change(client, occurrence):
    return client.get(reverse("admin:species_occurrence_change", args=[occurrence.pk]))


def test_admin_shows_a_reviewer_the_generalised_point_read_only(reviewer_client, traps):
    response = admin_change(reviewer_client, traps["ru"])
    assert response.status_code == 200
    body = response.content.decode()
    assert "131.9123" not in body and "43.8123" not in body
    assert not response.context["has_change_permission"]


def test_admin_shows_a_focal_point_its_own_exact_point(focal_client, traps):
    response = admin_change(focal_client, traps["mn"])
    assert response.status_code == 200
    assert "106.91234" in response.content.decode()
    assert response.context["has_change_permission"]


def test_admin_shows_the_secretariat_the_exact_point(editor_client, traps):
    assert "131.91234" in admin_change(editor_client, traps["ru"]).content.decode()


def test_admin_history_of_a_generalised_record_is_refused(reviewer_client, traps):
    occurrence = traps["ru"]
    occurrence.location = Point(131.95, 43.85, srid=4326)
    occurrence.save()  # a past version with another exact point
    history = reverse("admin:species_occurrence_history", args=[occurrence.pk])
    assert reviewer_client.get(history).status_code == 403


def test_admin_history_stays_open_to_the_secretariat(editor_client, traps):
    history = reverse("admin:species_occurrence_history", args=[traps["ru"].pk])
    assert editor_client.get(history).status_code == 200


def test_admin_history_of_a_record_not_sensitive_stays_open_to_reviewers(reviewer_client, russia):
    crane = factories.OccurrenceFactory(species=factories.SpeciesFactory(slug="crane"))
    history = reverse("admin:species_occurrence_history", args=[crane.pk])
    assert reviewer_client.get(history).status_code == 200
