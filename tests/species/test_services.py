"""The species services write estimates and occurrences under the admin's rules, whatever
calls them (the REST API, an import): a refusal leaves no row and no history."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied, ValidationError

from common.models import PublicationState
from governance.services import REVIEWER, focal_point_assign, roles_setup
from species.models import Occurrence, PopulationEstimate
from species.services import occurrence_create, population_estimate_create
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def focal_point(django_user_model):
    roles_setup()
    mongolia = factories.CountryFactory(iso_a3="MNG", boundary=factories.square(100, 42, 15))
    factories.CountryFactory(iso_a3="RUS", boundary=factories.square(125, 40, 15))
    user = django_user_model.objects.create_user("mn-focal", "mn@example.org", "pw")
    focal_point_assign(user=user, countries=[mongolia])
    return django_user_model.objects.get(pk=user.pk)


def values(species, lon: float, lat: float) -> dict:
    return {
        "species": species,
        "event_date": "2024-01-05",
        "location": Point(lon, lat, srid=4326),
        "basis_of_record": "survey",
        "dataset": "Steppe survey",
    }


def nothing_written() -> bool:
    return not (Occurrence.objects.exists() or Occurrence.history.exists())


def test_a_record_in_the_users_country_is_saved_as_a_draft_by_that_user(focal_point):
    species = factories.SpeciesFactory()
    record = occurrence_create(
        user=focal_point,
        values={**values(species, 106, 47), "publication_state": PublicationState.PUBLISHED},
        reason="Test",
    )
    assert record.publication_state == PublicationState.DRAFT
    assert record.history.get().history_user == focal_point


def test_a_record_in_another_country_is_refused_and_rolled_back(focal_point):
    with pytest.raises(PermissionDenied):
        occurrence_create(user=focal_point, values=values(factories.SpeciesFactory(), 131, 43))
    assert nothing_written()


def test_an_invalid_record_is_refused_with_the_models_messages(focal_point):
    species = factories.SpeciesFactory()
    with pytest.raises(ValidationError) as refused:
        population_estimate_create(
            user=focal_point,
            values={"species": species, "scope": "country", "year": 2020, "count": 5},
        )
    assert set(refused.value.message_dict) == {"country", "source_citation"}
    assert not PopulationEstimate.objects.exists()


def test_a_user_who_may_not_add_records_is_refused(django_user_model):
    roles_setup()
    reviewer = django_user_model.objects.create_user("rev", "r@example.org", "pw", is_staff=True)
    reviewer.groups.add(Group.objects.get(name=REVIEWER))
    species = factories.SpeciesFactory()
    with pytest.raises(PermissionDenied):
        occurrence_create(user=reviewer, values=values(species, 106, 47))
    assert nothing_written()
