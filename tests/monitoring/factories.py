"""Factories of monitoring records, written directly (as an import would leave them): a
detection comes with its occurrence, at the station's or sample's point."""

import datetime

import factory
from django.contrib.gis.geos import Point

from monitoring.models import (
    CameraObservation,
    CameraStation,
    GeneticSample,
    Individual,
    Media,
)
from tests.factories import (
    CountryFactory,
    MonitoringDatasetFactory,
    OccurrenceFactory,
    SpeciesFactory,
)

UTC = datetime.UTC


class CameraStationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CameraStation

    dataset = factory.SubFactory(MonitoringDatasetFactory)
    deployment_id = factory.Sequence(lambda n: f"dep-{n}")
    location = factory.LazyFunction(lambda: Point(130.62, 42.8, srid=4326))
    start = datetime.datetime(2015, 1, 1, tzinfo=UTC)
    end = datetime.datetime(2016, 12, 31, tzinfo=UTC)
    country = factory.SubFactory(CountryFactory)


class MediaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Media

    station = factory.SubFactory(CameraStationFactory)
    dataset = factory.LazyAttribute(lambda o: o.station.dataset)
    media_id = factory.Sequence(lambda n: f"media-{n}")
    timestamp = datetime.datetime(2015, 3, 1, 22, 0, tzinfo=UTC)
    file_path = factory.Sequence(lambda n: f"https://example.org/media/{n}.jpg")
    file_mediatype = "image/jpeg"


class IndividualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Individual

    dataset = factory.SubFactory(MonitoringDatasetFactory)
    species = factory.SubFactory(SpeciesFactory, is_sensitive=True)
    code = factory.Sequence(lambda n: f"L{n}")


class CameraObservationFactory(factory.django.DjangoModelFactory):
    """An observation of `individual` at `station` on `event_start`; its occurrence at the
    station's point, published unless `occurrence__publication_state` says otherwise."""

    class Meta:
        model = CameraObservation

    station = factory.SubFactory(CameraStationFactory)
    dataset = factory.LazyAttribute(lambda o: o.station.dataset)
    individual = factory.SubFactory(IndividualFactory, dataset=factory.SelfAttribute("..dataset"))
    species = factory.LazyAttribute(lambda o: o.individual.species)
    observation_id = factory.Sequence(lambda n: f"obs-{n}")
    event_start = datetime.datetime(2015, 3, 1, 22, 0, tzinfo=UTC)
    event_end = factory.LazyAttribute(lambda o: o.event_start + datetime.timedelta(minutes=1))
    count = 1
    occurrence = factory.SubFactory(
        OccurrenceFactory,
        species=factory.SelfAttribute("..species"),
        location=factory.LazyAttribute(lambda o: o.factory_parent.station.location),
        event_date=factory.LazyAttribute(lambda o: o.factory_parent.event_start.date()),
        basis_of_record="camera_trap",
        dataset=factory.LazyAttribute(lambda o: o.factory_parent.dataset.title),
    )


class GeneticSampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GeneticSample

    dataset = factory.SubFactory(MonitoringDatasetFactory, kind="genetic")
    individual = factory.SubFactory(IndividualFactory, dataset=factory.SelfAttribute("..dataset"))
    species = factory.LazyAttribute(lambda o: o.individual.species)
    sample_id = factory.Sequence(lambda n: f"sample-{n}")
    collected_on = datetime.date(2015, 7, 15)
    location = factory.LazyFunction(lambda: Point(130.68, 42.7, srid=4326))
    sample_type = "scat"
    genotype_id = factory.LazyAttribute(lambda o: o.individual.code)
    laboratory = "Test laboratory"
    country = factory.SubFactory(CountryFactory)
    occurrence = factory.SubFactory(
        OccurrenceFactory,
        species=factory.SelfAttribute("..species"),
        location=factory.SelfAttribute("..location"),
        event_date=factory.SelfAttribute("..collected_on"),
        basis_of_record="specimen",
        dataset=factory.LazyAttribute(lambda o: o.factory_parent.dataset.title),
    )
