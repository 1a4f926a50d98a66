"""Small hand-checkable geometry near the equator, where one degree of longitude is
111.3195 km and one degree of latitude 110.5743 km on the WGS 84 ellipsoid.

    country A (member) [100, 101] × [0, 1]   |   country B (member) [101, 102] × [0, 1]
    p1 = [100.8, 101.0] × [0.2, 0.4]   (touches the border)
    p2 = [100.9, 101.0] × [0.3, 0.6]   (overlaps p1 on [100.9, 101.0] × [0.3, 0.4])
    p3 = [100.4, 100.6] × [0.6, 0.7]   (straddles the edge of the 50 km zone)
    q1 = [101.0, 101.2] × [0.3, 0.5]   in B, shares 0.1° of border with p1, linked to p1
    q2 = point (101.05, 0.25)          in B, 0.05° east of p1
"""

import importlib
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.db import connection

from common.models import PublicationState
from tests.factories import CountryFactory, ProtectedAreaFactory, TransboundaryLinkFactory

KM_PER_DEGREE_LON = 111.3195
KM_PER_DEGREE_LAT = 110.5743


def box(xmin, ymin, xmax, ymax) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((xmin, ymin, xmax, ymax)), srid=4326)


def km2(width_deg: float, height_deg: float) -> float:
    return width_deg * KM_PER_DEGREE_LON * height_deg * KM_PER_DEGREE_LAT


@dataclass
class World:
    a: object
    b: object
    p1: object
    p2: object
    p3: object
    q1: object
    q2: object


@pytest.fixture
def world(db) -> World:
    a = CountryFactory(iso_a3="AAA", name="Aland", boundary=box(100, 0, 101, 1))
    b = CountryFactory(iso_a3="BBB", name="Beland", boundary=box(101, 0, 102, 1))
    CountryFactory(iso_a3="FAR", name="Farland", is_member=False, boundary=box(120, 30, 121, 31))
    p1 = ProtectedAreaFactory(name="P1", country=a, boundary=box(100.8, 0.2, 101.0, 0.4))
    p2 = ProtectedAreaFactory(name="P2", country=a, boundary=box(100.9, 0.3, 101.0, 0.6))
    p3 = ProtectedAreaFactory(name="P3", country=a, boundary=box(100.4, 0.6, 100.6, 0.7))
    q1 = ProtectedAreaFactory(name="Q1", country=b, boundary=box(101.0, 0.3, 101.2, 0.5))
    q2 = ProtectedAreaFactory(
        name="Q2", country=b, boundary=None, location=Point(101.05, 0.25, srid=4326)
    )
    # A draft next to p1 must not appear anywhere.
    ProtectedAreaFactory(
        name="Draft",
        country=b,
        boundary=box(101.0, 0.2, 101.1, 0.3),
        publication_state=PublicationState.DRAFT,
    )
    link = TransboundaryLinkFactory(name="P1–Q1 complex", cooperation_status="informal")
    link.protected_areas.set([p1, q1])
    return World(a, b, p1, p2, p3, q1, q2)


@pytest.fixture
def dashboard_defaults(db):
    """The rows the data migration creates (rebuild requests, the periodic task): a
    transactional test elsewhere empties the tables, so they are put back here."""
    migration = importlib.import_module("dashboards.migrations.0002_rebuild_schedule")
    # The migration writes to the database its schema editor is connected to.
    migration.create(apps, SimpleNamespace(connection=connection))
