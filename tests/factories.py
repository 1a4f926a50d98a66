"""Factories for every domain model, shared by the app test packages."""

import datetime

import factory
from django.contrib.gis.geos import GeometryCollection, MultiPolygon, Point, Polygon

from common.models import PublicationState
from meetings.models import Decision, Meeting, MeetingDocument
from monitoring.models import MonitoringDataset
from programme.models import StrategyDocument
from projects.models import Output, Project
from protected_areas.models import Country, ProtectedArea, TransboundaryLink
from species.models import Occurrence, PopulationEstimate, Species, SpeciesRange


def save_validated(instance) -> None:
    """Save a record the way the portal's write paths do (services, the dataset loader, admin
    forms): validated first, so a record that fails validation is never written."""
    instance.full_clean()
    instance.save()


def square(lon: float, lat: float, size: float = 1.0) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((lon, lat, lon + size, lat + size)), srid=4326)


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["iso_a3"]

    iso_a3 = factory.Sequence(lambda n: f"X{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    name = factory.Sequence(lambda n: f"Country {n}")
    is_member = True
    boundary = factory.Sequence(lambda n: square(100 + n % 50, 40, 1.0))


class ProtectedAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProtectedArea

    name = factory.Sequence(lambda n: f"Protected area {n}")
    country = factory.SubFactory(CountryFactory)
    designation = "National park"
    iucn_category = "II"
    boundary = factory.LazyAttribute(lambda o: square(*o.country.boundary.extent[:2], 0.2))
    location = factory.LazyAttribute(lambda o: o.boundary.point_on_surface if o.boundary else None)
    publication_state = PublicationState.PUBLISHED


class TransboundaryLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TransboundaryLink

    name = factory.Sequence(lambda n: f"Complex {n}")
    slug = factory.Sequence(lambda n: f"complex-{n}")
    publication_state = PublicationState.PUBLISHED


class SpeciesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Species
        django_get_or_create = ["scientific_name"]

    scientific_name = factory.Sequence(lambda n: f"Testus species{n}")
    slug = factory.Sequence(lambda n: f"test-species-{n}")
    common_name = factory.Sequence(lambda n: f"Test species {n}")
    taxon_group = "mammal"
    iucn_category = "EN"
    movement = "resident"
    publication_state = PublicationState.PUBLISHED


class PopulationEstimateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PopulationEstimate

    species = factory.SubFactory(SpeciesFactory)
    scope = "global"
    year = 2020
    count = 100
    source_citation = "Test source (2020)"
    publication_state = PublicationState.PUBLISHED


class SpeciesRangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpeciesRange

    species = factory.SubFactory(SpeciesFactory)
    geometry = factory.LazyFunction(lambda: square(130, 43, 2))
    source_citation = "Test range"


class OccurrenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occurrence

    species = factory.SubFactory(SpeciesFactory)
    event_date = datetime.date(2023, 4, 1)
    location = factory.LazyFunction(lambda: Point(131.3, 43.2, srid=4326))
    count = 1
    basis_of_record = "camera_trap"
    dataset = "Test camera traps"
    publication_state = PublicationState.PUBLISHED


class SpeciesPresenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "species.SpeciesPresence"

    species = factory.SubFactory(SpeciesFactory)
    protected_area = factory.SubFactory(ProtectedAreaFactory)
    role = "wintering"
    source_citation = "Ramsar Sites Information Service"
    source_url = "https://rsis.ramsar.org/"
    source_year = 2021


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    kind = "som"
    number = factory.Sequence(lambda n: f"SOM-{n + 30}")
    title = factory.LazyAttribute(lambda o: f"{o.number} meeting")
    slug = factory.LazyAttribute(lambda o: o.number.lower())
    year = 2020
    publication_state = PublicationState.PUBLISHED


class MeetingDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingDocument

    meeting = factory.SubFactory(MeetingFactory)
    title = "Report of the meeting"
    url = "https://example.org/report.pdf"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    start_year = 2020
    end_year = 2023
    status = "ongoing"
    summary = "A test project."
    sites = factory.LazyFunction(lambda: GeometryCollection(Point(131, 43), srid=4326))
    publication_state = PublicationState.PUBLISHED


class OutputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Output

    project = factory.SubFactory(ProjectFactory)
    kind = "report"
    title = "Final report"
    url = "https://example.org/final.pdf"
    year = 2023
    publication_state = PublicationState.PUBLISHED


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    reference = factory.Sequence(lambda n: f"Decision {n}")
    text = "The meeting endorsed the project."


class StrategyDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyDocument

    kind = "strategic_plan"
    title = factory.Sequence(lambda n: f"Strategic plan {n}")
    slug = factory.Sequence(lambda n: f"strategic-plan-{n}")
    start_year = 2016
    end_year = 2020
    publication_state = PublicationState.PUBLISHED


class MonitoringDatasetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringDataset

    kind = "camera_trap"
    identifier = factory.Sequence(lambda n: f"test-camera-traps-{n}")
    title = factory.Sequence(lambda n: f"Test camera-trap network {n}")
    licence = "CC-BY-4.0"
    publication_state = PublicationState.PUBLISHED
