"""Amur leopards on either side of the China–Russia border near the Tumen, written by the
tests (the boundaries are simplified to two boxes meeting at 130.65° E):

    station CN-01 (130.61237 E, 42.80731 N) in China, station RU-01 (130.68761 E,
    42.70419 N) in Russia, of the camera network “Tumen camera network”;
    a scat sample (130.69453 E, 42.71289 N) in Russia, of “Tumen scat genotypes”.

    L1: CN-01 2015-03-01, CN-01 2015-03-20, RU-01 2015-04-05  (seen on both sides)
    L2: CN-01 2015-06-01                                       (China only)
    L3: CN-01 2015-05-01; RU-01 2015-05-09 as a draft occurrence (China only, publicly)
    G1: scat 2015-07-15 in Russia                              (genotype of the samples)
    D1: a draft dataset's leopard, on both sides               (never counted publicly)
"""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from common.models import PublicationState
from governance.services import SECRETARIAT_EDITOR, focal_point_assign, roles_setup
from monitoring.services import identity_match_propose
from tests.factories import CountryFactory, MonitoringDatasetFactory, SpeciesFactory

from .factories import (
    CameraObservationFactory,
    CameraStationFactory,
    GeneticSampleFactory,
    IndividualFactory,
    MediaFactory,
)

UTC = datetime.UTC
CN_STATION = (130.61237, 42.80731)
RU_STATION = (130.68761, 42.70419)
RU_SAMPLE = (130.69453, 42.71289)
EXACT_POINTS = [CN_STATION, RU_STATION, RU_SAMPLE]


def box(xmin, ymin, xmax, ymax) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((xmin, ymin, xmax, ymax)), srid=4326)


def at(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T21:30:00").replace(tzinfo=UTC)


def rendered_exact_points(body: str) -> list:
    """The exact points found in a response at 2 to 6 decimals (rounded or truncated)."""
    found = []
    for lon, lat in EXACT_POINTS:
        for value in (lon, lat):
            texts = {f"{value:.{d}f}" for d in range(3, 7)}
            texts |= {f"{int(value * 10**d) / 10**d:.{d}f}" for d in range(3, 7)}
            if any(re.search(rf"(?<![\d.]){re.escape(t)}", body) for t in texts):
                found.append(value)
    return found


@dataclass
class Tumen:
    leopard: object
    china: object
    russia: object
    cameras: object
    scats: object
    draft: object
    cn_station: object
    ru_station: object
    l1: object
    l2: object
    l3: object
    g1: object
    d1: object
    photo_l2: object


@pytest.fixture
def tumen(db) -> Tumen:
    leopard = SpeciesFactory(
        scientific_name="Panthera pardus orientalis",
        slug="amur-leopard",
        common_name="Amur leopard",
        is_sensitive=True,
    )
    china = CountryFactory(iso_a3="CHN", name="China", boundary=box(125, 40, 130.65, 45))
    russia = CountryFactory(
        iso_a3="RUS", name="Russian Federation", boundary=box(130.65, 40, 140, 50)
    )
    cameras = MonitoringDatasetFactory(identifier="tumen-cameras", title="Tumen camera network")
    scats = MonitoringDatasetFactory(
        kind="genetic", identifier="tumen-scats", title="Tumen scat genotypes"
    )
    draft = MonitoringDatasetFactory(
        identifier="draft-cameras",
        title="Unreleased draft camera network",
        publication_state=PublicationState.DRAFT,
    )
    cn_station = CameraStationFactory(
        dataset=cameras, deployment_id="CN-01", location=Point(*CN_STATION), country=china
    )
    ru_station = CameraStationFactory(
        dataset=cameras, deployment_id="RU-01", location=Point(*RU_STATION), country=russia
    )

    def seen(individual, station, day, **kwargs):
        return CameraObservationFactory(
            individual=individual,
            station=station,
            dataset=station.dataset,
            event_start=at(day),
            **kwargs,
        )

    l1, l2, l3 = (
        IndividualFactory(dataset=cameras, species=leopard, code=code)
        for code in ("L1", "L2", "L3")
    )
    seen(l1, cn_station, "2015-03-01")
    seen(l1, cn_station, "2015-03-20")
    seen(l1, ru_station, "2015-04-05")
    photo_l2 = MediaFactory(station=cn_station, media_id="IMG-L2-0601")
    seen(l2, cn_station, "2015-06-01", media=photo_l2)
    seen(l3, cn_station, "2015-05-01")
    seen(
        l3,
        ru_station,
        "2015-05-09",
        occurrence__publication_state=PublicationState.DRAFT,
    )
    g1 = IndividualFactory(dataset=scats, species=leopard, code="G1")
    GeneticSampleFactory(
        dataset=scats,
        individual=g1,
        location=Point(*RU_SAMPLE),
        country=russia,
        collected_on=datetime.date(2015, 7, 15),
    )
    draft_cn = CameraStationFactory(
        dataset=draft, deployment_id="D-CN", location=Point(*CN_STATION), country=china
    )
    draft_ru = CameraStationFactory(
        dataset=draft, deployment_id="D-RU", location=Point(*RU_STATION), country=russia
    )
    d1 = IndividualFactory(dataset=draft, species=leopard, code="D1")
    seen(d1, draft_cn, "2015-02-01", occurrence__dataset="Camera traps")
    seen(d1, draft_ru, "2015-02-02", occurrence__dataset="Camera traps")
    return Tumen(
        leopard,
        china,
        russia,
        cameras,
        scats,
        draft,
        cn_station,
        ru_station,
        l1,
        l2,
        l3,
        g1,
        d1,
        photo_l2,
    )


@pytest.fixture
def roles(db):
    roles_setup()


def _staff(django_user_model, username):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    user.is_staff = True
    user.first_name = username.capitalize()
    user.save()
    user.groups.add(Group.objects.get(name=SECRETARIAT_EDITOR))
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def alice(roles, django_user_model):
    return _staff(django_user_model, "alice")


@pytest.fixture
def boris(roles, django_user_model):
    return _staff(django_user_model, "boris")


def focal_point(django_user_model, username, countries):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    focal_point_assign(user=user, countries=countries)
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def russia_focal_point(roles, tumen, django_user_model):
    return focal_point(django_user_model, "ru-focal", [tumen.russia])


@pytest.fixture
def mongolia_focal(roles, tumen, django_user_model):
    mongolia = CountryFactory(iso_a3="MNG", name="Mongolia", boundary=box(100, 42, 115, 52))
    return focal_point(django_user_model, "mn-focal", [mongolia])


def propose_l2_is_g1(tumen: Tumen, user):
    """L2 (China's camera) and G1 (Russia's scat) proposed as one leopard, by `user`."""
    return identity_match_propose(
        user=user,
        individual=tumen.l2,
        other=tumen.g1,
        evidence_kind="genotype",
        evidence_note="Hair from the camera site has G1's genotype.",
    )
