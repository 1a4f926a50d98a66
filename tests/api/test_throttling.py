"""Throttling: anonymous readers per address, token holders per user, at the rates in the
settings; past a rate, 429 with Retry-After."""

import pytest
from django.test import override_settings

from .conftest import token_client
from .test_writes import OCCURRENCES, occurrence

pytestmark = pytest.mark.django_db


def rates(anon: str, user: str):
    from django.conf import settings  # noqa: PLC0415

    return override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user},
        }
    )


def test_anonymous_reads_are_throttled_per_address(api_client):
    with rates(anon="3/minute", user="100/minute"):
        answers = [api_client.get("/api/v1/species/").status_code for _n in range(4)]
        assert answers == [200, 200, 200, 429]
        refused = api_client.get("/api/v1/species/")
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 0
        # Another address has its own allowance.
        assert api_client.get("/api/v1/species/", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_a_forwarded_for_header_does_not_buy_a_new_allowance(api_client):
    with rates(anon="1/minute", user="100/minute"):
        assert api_client.get("/api/v1/meetings/").status_code == 200
        spoofed = api_client.get("/api/v1/meetings/", HTTP_X_FORWARDED_FOR="198.51.100.9")
        assert spoofed.status_code == 429


def test_writes_are_throttled_per_user(mongolia_focal_point, world):
    client = token_client(mongolia_focal_point)
    with rates(anon="100/minute", user="2/minute"):
        answers = [
            client.post(OCCURRENCES, occurrence(), format="json").status_code for _n in range(3)
        ]
    assert answers == [201, 201, 429]
