"""The database router: anonymous reads from a replica, writes and staff from the primary
(issue 16). The "replica" alias is a test mirror of the test database."""

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from common.replicas import ReplicaRouter, _replica
from protected_areas.models import ProtectedArea
from tests.factories import ProtectedAreaFactory

pytestmark = pytest.mark.django_db(databases=["default", "replica"])


@pytest.fixture(autouse=True)
def one_replica(settings):
    settings.DATABASE_REPLICAS = ["replica"]


def queries_by_alias(client, method: str, url: str, **kwargs) -> dict[str, int]:
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        getattr(client, method)(url, **kwargs)
    return {"default": len(primary), "replica": len(replica)}


def test_anonymous_reads_go_to_the_replica(client):
    counts = queries_by_alias(client, "get", "/protected-areas/")
    assert counts["replica"] > 0 and counts["default"] == 0


def test_staff_requests_use_the_primary(django_user_model):
    staff = Client()
    staff.force_login(django_user_model.objects.create_superuser("sec", "s@example.org", "pw"))
    counts = queries_by_alias(staff, "get", "/protected-areas/")
    assert counts["default"] > 0 and counts["replica"] == 0


def test_posts_use_the_primary(client):
    counts = queries_by_alias(client, "post", "/csp-report/", data="{}", content_type="x/y")
    assert counts["replica"] == 0


def test_writes_go_to_the_primary_even_inside_an_anonymous_request():
    router = ReplicaRouter()
    token = _replica.set("replica")
    try:
        assert router.db_for_read(ProtectedArea) == "replica"
        area = ProtectedAreaFactory()
        assert area._state.db == "default"
        area._state.db = "replica"  # as if read from the replica, then saved
        assert router.db_for_write(ProtectedArea, instance=area) == "default"
    finally:
        _replica.reset(token)


def test_outside_a_request_everything_uses_the_primary():
    router = ReplicaRouter()
    assert router.db_for_read(ProtectedArea) is None
    assert ProtectedArea.objects.all().db == "default"
    assert router.allow_migrate("replica", "protected_areas") is False


def test_anonymous_vector_tiles_are_read_from_the_replica(client):
    """ST_AsMVT is raw SQL: it must follow the request's database like the ORM's queries."""
    ProtectedAreaFactory()
    counts = queries_by_alias(client, "get", "/tiles/protected-areas/4/13/5.pbf")
    assert counts["replica"] >= 2 and counts["default"] == 0
