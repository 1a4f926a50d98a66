"""An individual's detections: camera observations and genetic samples together, with the
first and last, how many, and the countries — in a fixed number of queries."""

import datetime

import pytest

from monitoring.models import CrossBorderIdentity
from monitoring.selectors import (
    animals_detected,
    identity_detection_summaries,
    individual_detection_summaries,
    individual_detection_summary,
    species_transborder_summary,
)

from .factories import CameraObservationFactory, IndividualFactory

pytestmark = pytest.mark.django_db
day = datetime.date.fromisoformat


def test_an_individuals_detections_by_country(tumen):
    summary = individual_detection_summary(tumen.l1)
    assert (summary.first, summary.last, summary.count) == (
        day("2015-03-01"),
        day("2015-04-05"),
        3,
    )
    assert [(c.iso_a3, c.first, c.last, c.count) for c in summary.countries] == [
        ("CHN", day("2015-03-01"), day("2015-03-20"), 2),
        ("RUS", day("2015-04-05"), day("2015-04-05"), 1),
    ]
    assert summary.crosses_border


def test_a_genetic_sample_is_a_detection_in_its_country(tumen):
    summary = individual_detection_summary(tumen.g1)
    assert summary.country_codes == ["RUS"]
    assert (summary.first, summary.count) == (day("2015-07-15"), 1)


def test_staff_summaries_count_drafts_and_public_ones_do_not(tumen):
    assert individual_detection_summary(tumen.l3).country_codes == ["CHN", "RUS"]
    public = individual_detection_summaries([tumen.l3.pk, tumen.d1.pk], public=True)
    assert public[tumen.l3.pk].country_codes == ["CHN"]  # the RU occurrence is a draft
    assert tumen.d1.pk not in public  # a draft dataset's animal


def test_an_identity_is_the_union_of_its_individuals(tumen):
    identity = CrossBorderIdentity.objects.create(species=tumen.leopard, label="L2 = G1")
    for individual in (tumen.l2, tumen.g1):
        individual.identity = identity
        individual.save()
    summary = identity_detection_summaries([identity.pk])[identity.pk]
    assert [(c.iso_a3, c.first, c.count) for c in summary.countries] == [
        ("CHN", day("2015-06-01"), 1),
        ("RUS", day("2015-07-15"), 1),
    ]
    assert (summary.first, summary.last) == (day("2015-06-01"), day("2015-07-15"))
    animals = {a.key: a for a in animals_detected(public=True)}
    assert f"identity-{identity.pk}" in animals
    assert f"individual-{tumen.l2.pk}" not in animals
    assert sorted(m.code for m in animals[f"identity-{identity.pk}"].members) == ["G1", "L2"]


def test_summaries_take_one_query_whatever_the_number_of_individuals(
    tumen, django_assert_num_queries
):
    for _ in range(30):
        CameraObservationFactory(
            individual=IndividualFactory(dataset=tumen.cameras, species=tumen.leopard),
            station=tumen.cn_station,
            dataset=tumen.cameras,
        )
    with django_assert_num_queries(1):
        summaries = individual_detection_summaries()
    assert len(summaries) == 30 + 5


def test_species_page_figures_count_published_animals_once(tumen):
    figures = species_transborder_summary(tumen.leopard)
    # L1, L2, L3, G1 (D1 is a draft dataset's); only L1 seen on both sides publicly.
    assert (figures["animals"], figures["crossing"]) == (4, 1)
    assert [d.identifier for d in figures["datasets"]] == ["tumen-cameras", "tumen-scats"]
