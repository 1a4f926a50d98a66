"""Fixtures of the REST API tests: clients with tokens, and a small world of records with a
published one of each kind beside drafts, records in review, archived and deleted ones, and
a sensitive species' occurrence whose exact point must never be answered."""

import datetime

import pytest
from django.contrib.gis.geos import Point
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from common.models import PublicationState
from tests import factories
from tests.governance import conftest as governance

# The role fixtures of the governance tests: one definition for both packages.
roles = governance.roles
mongolia_focal_point = governance.mongolia_focal_point
secretariat_editor = governance.secretariat_editor

ENDPOINTS = [
    "projects",
    "outputs",
    "meetings",
    "decisions",
    "species",
    "population-estimates",
    "protected-areas",
    "occurrences",
]
NOT_PUBLIC = [
    PublicationState.DRAFT,
    PublicationState.IN_REVIEW,
    PublicationState.ARCHIVED,
    PublicationState.DELETED,
]
# A camera-trap point of the Amur leopard in Russia, and where it must never appear.
LEOPARD_POINT = (131.28731, 43.10993)


@pytest.fixture
def api_client():
    return APIClient()


def token_client(user) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def focal_client(mongolia_focal_point):
    """The Mongolia focal point, with its token."""
    return token_client(mongolia_focal_point)


@pytest.fixture
def editor_client(secretariat_editor):
    return token_client(secretariat_editor)


@pytest.fixture
def world(mongolia, russia):
    """One published record of each kind, linked to each other, in Russia and Mongolia."""
    tiger = factories.SpeciesFactory(
        scientific_name="Panthera tigris altaica",
        slug="amur-tiger",
        common_name="Amur tiger",
        iucn_category="EN",
    )
    leopard = factories.SpeciesFactory(
        scientific_name="Panthera pardus orientalis",
        slug="amur-leopard",
        common_name="Amur leopard",
        iucn_category="CR",
        is_sensitive=True,
    )
    tiger.range_countries.set([russia])
    land = factories.ProtectedAreaFactory(
        name="Land of the Leopard", country=russia, iucn_category="II"
    )
    steppe = factories.ProtectedAreaFactory(
        name="Dornod steppe", country=mongolia, iucn_category="Ia"
    )
    meeting = factories.MeetingFactory(
        number="SOM-20", title="Twentieth SOM", slug="som-20", year=2016, host_country=russia
    )
    project = factories.ProjectFactory(
        title="Tiger corridor", slug="tiger-corridor", approved_at=meeting, status="completed"
    )
    project.countries.set([russia])
    project.species.set([tiger])
    project.protected_areas.set([land])
    output = factories.OutputFactory(project=project, title="Corridor report", year=2022)
    decision = factories.DecisionFactory(meeting=meeting, reference="SOM-20/1")
    decision.related_projects.set([project])
    estimate = factories.PopulationEstimateFactory(
        species=tiger, scope="site", protected_area=land, year=2020, count=120
    )
    leopard_record = factories.OccurrenceFactory(
        species=leopard,
        location=Point(*LEOPARD_POINT, srid=4326),
        event_date=datetime.date(2023, 5, 2),
        protected_area=land,
        notes="Camera 14 by the spring",
    )
    tiger_record = factories.OccurrenceFactory(
        species=tiger,
        location=Point(131.5, 43.5, srid=4326),
        event_date=datetime.date(2021, 3, 1),
        protected_area=land,
    )
    return {
        "tiger": tiger,
        "leopard": leopard,
        "land": land,
        "steppe": steppe,
        "meeting": meeting,
        "project": project,
        "output": output,
        "decision": decision,
        "estimate": estimate,
        "leopard_record": leopard_record,
        "tiger_record": tiger_record,
    }
