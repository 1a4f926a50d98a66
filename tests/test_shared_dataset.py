"""The dataset loaded once per run (tests/conftest.py) is the same for every test that asks
for it, whatever the tests before it changed, and absent from every other test. (Its own
copy for a transactional test is used by the backup and browser tests.)"""

import pytest

from protected_areas.models import Country
from species.models import Species

pytestmark = pytest.mark.django_db


def test_a_test_changes_the_dataset(neaspec_dataset):
    assert neaspec_dataset.created["species"] == Species.objects.count() == 6
    Species.objects.update(common_name="Changed")
    Country.objects.filter(iso_a3="RUS").update(name="Changed")


def test_the_next_sees_it_as_loaded(neaspec_dataset):
    assert not Species.objects.filter(common_name="Changed").exists()
    assert Country.objects.get(iso_a3="RUS").name == "Russian Federation"


def test_an_edit_queues_its_own_dashboard_rebuild(
    neaspec_dataset, django_capture_on_commit_callbacks
):
    # The load's own on-commit work must not be found waiting in the transaction.
    with django_capture_on_commit_callbacks() as callbacks:
        Species.objects.get(slug="amur-tiger").save()
    # The dashboards' batch (and the open-data archive's rebuild): none left from the load.
    assert [c for c in callbacks if "dashboards" in c.__module__] and len(callbacks) == 2


def test_a_test_without_it_sees_none_of_it():
    assert not Species.objects.exists()
