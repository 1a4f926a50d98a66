"""Case 4 of the attack review (issue 15): a focal point must not file a point of another
country under its own country's protected area. The point must lie in its protected area's
country (a model rule), and a record's scope is checked on both the area's country and the
country containing its point."""

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance.selectors import record_in_scope, record_visible_to
from governance.services import focal_point_assign
from species.models import Occurrence
from tests import factories
from tests.security.test_regressions import OCCURRENCE_ADD, occurrence_form

pytestmark = pytest.mark.django_db

PRIMORYE = "POINT(131.9 43.8)"  # in tests/conftest.py's Russia, far from its Mongolia


@pytest.fixture
def mongolian_area(mongolia):
    return factories.ProtectedAreaFactory(name="Khustain Nuruu", country=mongolia)


@pytest.fixture
def amur_leopard():
    return factories.SpeciesFactory(
        scientific_name="Panthera pardus orientalis", common_name="Amur leopard"
    )


def test_case_4_focal_point_cannot_file_a_russian_point_under_a_mongolian_area(
    focal_client, mongolian_area, amur_leopard
):
    form = occurrence_form(
        species=amur_leopard.pk, location=PRIMORYE, protected_area=mongolian_area.pk
    )
    response = focal_client.post(reverse(OCCURRENCE_ADD), form)
    assert response.status_code == 200
    (message,) = response.context["adminform"].form.errors["location"]
    assert "outside Mongolia, the country of Khustain Nuruu" in message
    assert "must lie in the country of its protected area" in message
    assert not Occurrence.objects.exists()


def test_case_4_the_secretariat_is_refused_as_well(editor_client, mongolian_area, amur_leopard):
    form = occurrence_form(
        species=amur_leopard.pk, location=PRIMORYE, protected_area=mongolian_area.pk
    )
    response = editor_client.post(reverse(OCCURRENCE_ADD), form)
    assert response.status_code == 200
    assert "location" in response.context["adminform"].form.errors
    assert not Occurrence.objects.exists()


def test_case_4_model_rule(mongolian_area, amur_leopard):
    occurrence = factories.OccurrenceFactory.build(
        species=amur_leopard, protected_area=mongolian_area, location=Point(131.9, 43.8)
    )
    with pytest.raises(ValidationError) as raised:
        occurrence.full_clean()
    assert "location" in raised.value.message_dict
    # In the area's country it is fine.
    occurrence.location = Point(106.9, 47.9, srid=4326)
    occurrence.full_clean()


def test_case_4_a_focal_point_keeps_its_own_points(focal_client, mongolian_area, amur_leopard):
    form = occurrence_form(
        species=amur_leopard.pk, location="POINT(106.9 47.9)", protected_area=mongolian_area.pk
    )
    response = focal_client.post(reverse(OCCURRENCE_ADD), form)
    assert response.status_code == 302
    assert Occurrence.objects.get().protected_area == mongolian_area


def test_case_4_scope_is_checked_on_both_countries(
    mongolia_focal_point, russia, mongolian_area, amur_leopard, django_user_model
):
    """A record made before the rule (or by a bulk path that skipped it): both focal points
    see it, neither changes it (each would reach into the other's country); once the
    Secretariat has unlinked the area it is Russia's alone."""
    misfiled = factories.OccurrenceFactory(
        species=amur_leopard, protected_area=mongolian_area, location=Point(131.9, 43.8)
    )
    russia_focal_point = django_user_model.objects.create_user("ru-focal")
    focal_point_assign(user=russia_focal_point, countries=[russia])
    russia_focal_point = django_user_model.objects.get(pk=russia_focal_point.pk)

    assert not record_in_scope(mongolia_focal_point, misfiled)
    assert record_visible_to(mongolia_focal_point, misfiled)
    assert record_visible_to(russia_focal_point, misfiled)
    assert not record_in_scope(russia_focal_point, misfiled)
    misfiled.protected_area = None
    misfiled.save()
    assert record_in_scope(russia_focal_point, misfiled)
    assert not record_visible_to(mongolia_focal_point, misfiled)
