import pytest
from django.contrib.gis.geos import GeometryCollection, Point, Polygon
from django.core.exceptions import ValidationError

from projects.models import Output, Project
from tests.factories import ProjectFactory, save_validated

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
    with pytest.raises(ValidationError, match="Self-intersection"):
        project(sites=GeometryCollection(bowtie, srid=4326)).full_clean()
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
