import datetime

import pytest
from django.contrib.gis.geos import GeometryCollection, Point, Polygon
from django.core.exceptions import ValidationError

from projects.models import BUDGET_NEEDS_CURRENCY, END_YEAR_BEFORE_START, Output, Project
from tests.factories import ProjectFactory, save_validated
from tests.model_rules import assert_clean_and_constraint_say

pytestmark = pytest.mark.django_db


def project(**values):
    defaults = {"title": "Cranes", "slug": "cranes", "status": "approved", "summary": "S"}
    return Project(**{**defaults, **values})


def test_end_year_before_start_year_is_rejected():
    with pytest.raises(ValidationError) as error:
        save_validated(project(start_year=2016, end_year=2014))
    assert error.value.message_dict["end_year"] == [
        "The end year must be the same as or after the start year."
    ]
    assert Project.objects.count() == 0


def test_budget_needs_an_iso_currency():
    with pytest.raises(ValidationError) as error:
        project(budget=100_000).full_clean()
    assert "budget_currency" in error.value.message_dict
    with pytest.raises(ValidationError, match="ISO 4217"):
        project(budget=100_000, budget_currency="dollars").full_clean()
    project(budget=100_000, budget_currency="USD").full_clean()


def test_invalid_site_geometry_is_rejected():
    bowtie = Polygon(((0, 0), (1, 1), (1, 0), (0, 1), (0, 0)))
    with pytest.raises(ValidationError) as error:
        project(sites=GeometryCollection(bowtie, srid=4326)).full_clean()
    assert error.value.message_dict["sites"][0].startswith(
        "The drawing of the project sites crosses itself near 0.5° E, 0.5° N."
    )
    project(sites=GeometryCollection(Point(131, 43), srid=4326)).full_clean()


def test_output_needs_a_file_or_url():
    output = Output(project=ProjectFactory(), kind="report", title="Final report")
    with pytest.raises(ValidationError, match="file or give its URL"):
        output.full_clean()


def test_period_and_partners_read_as_shown_on_pages():
    assert project(start_year=2014, end_year=2016).period == "2014–2016"
    assert project(start_year=2020).period == "2020"
    assert project(partners="WWF-Russia\n\n Seoul National University ").partner_list == [
        "WWF-Russia",
        "Seoul National University",
    ]


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (lambda: project(start_year=2016, end_year=2014), END_YEAR_BEFORE_START),
        (lambda: project(budget=100_000), BUDGET_NEEDS_CURRENCY),
    ],
    ids=["end-year-before-start", "budget-needs-currency"],
)
def test_a_rule_checked_by_clean_and_by_its_constraint_says_one_thing(record, message):
    assert_clean_and_constraint_say(record, message)


def test_an_output_saved_without_clean_gets_the_year_of_its_date():
    output = Output(
        project=ProjectFactory(), kind="report", title="Report", date=datetime.date(2019, 5, 2)
    )
    output.save()
    output.refresh_from_db()
    assert output.year == 2019
