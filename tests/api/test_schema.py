"""The API against its own OpenAPI schema (schemathesis): for every operation, generated
requests — valid and invalid filters, paths and bodies, reads without and writes with a
Secretariat token — get no server error, and every answer has a status, a content type and
a body the schema documents. Bounded so the whole runs in well under a minute."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .conftest import ENDPOINTS

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 12


# The schema as /api/v1/schema/ serves it (test_the_served_schema_is_this_one), built when
# the tests are collected: schemathesis's fixture-loaded schemas do not work with pytest 9.
SCHEMA = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True)))
schema = schemathesis.openapi.from_dict(SCHEMA)


@pytest.fixture
def wsgi_app(db):
    """The portal's WSGI application, answering inside the test's transaction: like Django's
    test client, requests must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def unthrottled():
    # Generated requests come quickly from one address: throttling is tested elsewhere.
    from django.conf import settings  # noqa: PLC0415

    rates = {"anon": "100000/minute", "user": "100000/minute"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        yield


@pytest.fixture
def secretariat_token(secretariat_editor):
    return Token.objects.create(user=secretariat_editor).key


def test_the_served_schema_is_this_one(api_client):
    assert api_client.get("/api/v1/schema/", {"format": "json"}).json() == SCHEMA


def test_the_schema_is_valid_openapi_3_with_every_endpoint():
    assert SCHEMA["openapi"].startswith("3.")
    assert {path.split("/")[3] for path in SCHEMA["paths"]} == set(ENDPOINTS)


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema(case, wsgi_app, unthrottled, world, secretariat_token):
    case.call_and_validate(
        app=wsgi_app, headers={"Authorization": f"Token {secretariat_token}"}, checks=CHECKS
    )
