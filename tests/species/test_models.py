import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from species.models import (
    ESTIMATE_MIN_ABOVE_MAX,
    ESTIMATE_NEEDS_FIGURE,
    PHOTO_NEEDS_CREDIT,
    Occurrence,
    PopulationEstimate,
    Species,
)
from tests.factories import (
    CountryFactory,
    OccurrenceFactory,
    PopulationEstimateFactory,
    SpeciesFactory,
    save_validated,
)
from tests.model_rules import assert_clean_and_constraint_say

pytestmark = pytest.mark.django_db


def estimate(**values):
    defaults = {
        "species": SpeciesFactory(),
        "scope": "global",
        "year": 2024,
        "source_citation": "Census 2024",
    }
    return PopulationEstimate(**{**defaults, **values})


def test_negative_count_is_rejected():
    with pytest.raises(ValidationError) as error:
        estimate(count=-1).full_clean()
    assert "count" in error.value.message_dict


def test_range_minimum_above_maximum_is_rejected_and_not_saved():
    with pytest.raises(ValidationError) as error:
        save_validated(estimate(count_min=1_127, count_max=806))
    assert error.value.message_dict["count_max"] == ["The maximum must be at least the minimum."]
    assert PopulationEstimate.objects.count() == 0


def test_estimate_needs_a_figure():
    with pytest.raises(ValidationError, match="Give a count"):
        estimate().full_clean()


def test_figures_read_as_published():
    assert estimate(count=7_081, unit="birds").figure == "7,081 birds"
    assert estimate(count_min=806, count_max=1_127, unit="adults").figure == "806–1,127 adults"
    assert estimate(count_min=750).figure == "≥ 750 individuals"


def test_country_estimate_needs_its_country():
    with pytest.raises(ValidationError) as error:
        estimate(scope="country", count=10).full_clean()
    assert "country" in error.value.message_dict
    estimate(scope="country", count=10, country=CountryFactory()).full_clean()


def test_database_refuses_an_estimate_without_figure():
    with pytest.raises(IntegrityError):
        estimate().save()


def test_records_of_an_unpublished_species_are_not_public():
    hidden = SpeciesFactory(publication_state="draft")
    PopulationEstimateFactory(species=hidden)
    OccurrenceFactory(species=hidden)
    shown = OccurrenceFactory()
    assert PopulationEstimate.objects.published().count() == 0
    assert list(Occurrence.objects.published()) == [shown]


def test_year_precision_occurrence_reads_as_its_year():
    occurrence = OccurrenceFactory(date_precision="year")
    assert occurrence.date_label == "2023"


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (estimate, ESTIMATE_NEEDS_FIGURE),
        (lambda: estimate(count_min=1_127, count_max=806), ESTIMATE_MIN_ABOVE_MAX),
        (
            lambda: Species(scientific_name="P. t.", slug="p-t", photo="species/tiger.jpg"),
            PHOTO_NEEDS_CREDIT,
        ),
    ],
    ids=["estimate-needs-figure", "estimate-min-above-max", "photo-needs-credit"],
)
def test_a_rule_checked_by_clean_and_by_its_constraint_says_one_thing(record, message):
    assert_clean_and_constraint_say(record, message)
