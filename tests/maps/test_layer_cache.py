"""Public map layers kept per data version (issue 16): a repeated view and a revalidation
cost no data query, and an edit is seen on the next request."""

import gzip
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import ProtectedAreaFactory

pytestmark = pytest.mark.django_db

URL = "/api/map/protected-areas.geojson?bbox=100,30,140,60&zoom=8"


@pytest.fixture(autouse=True)
def response_cache_on(settings):
    settings.RESPONSE_CACHE_ENABLED = True


def get(client, url=URL, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, [query["sql"] for query in queries.captured_queries]


def only_the_version_was_read(sql):
    return len(sql) == 1 and "common_dataversion" in sql[0]


def test_a_repeated_view_reads_no_data(client, russia):
    ProtectedAreaFactory(country=russia)
    first, _ = get(client)
    again, sql = get(client)
    assert again.status_code == 200 and again.content == first.content
    assert only_the_version_was_read(sql)
    assert again["ETag"] == first["ETag"]
    assert "Cookie" not in again["Vary"]
    assert "public" in again["Cache-Control"]


def test_a_revalidation_is_a_304_without_a_data_query(client, russia):
    ProtectedAreaFactory(country=russia)
    first, _ = get(client)
    not_modified, sql = get(client, If_None_Match=first["ETag"])
    assert not_modified.status_code == 304
    assert only_the_version_was_read(sql)


def test_gzip_is_served_from_the_kept_copy(client, russia):
    for number in range(5):
        ProtectedAreaFactory(country=russia, name=f"Area {number}")
    plain, _ = get(client)
    zipped, sql = get(client, Accept_Encoding="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert zipped["ETag"] == f"W/{plain['ETag']}"
    assert only_the_version_was_read(sql)


def test_an_edit_shows_on_the_next_request(client, russia):
    area = ProtectedAreaFactory(country=russia, name="Khanka")
    before, _ = get(client)
    area.name = "Lake Khanka"
    area.save()
    after, _ = get(client, If_None_Match=before["ETag"])
    assert after.status_code == 200
    names = [f["properties"].get("name") for f in json.loads(after.content)["features"]]
    assert "Lake Khanka" in names
    area.delete()
    gone, _ = get(client)
    assert "Lake Khanka" not in gone.text


def test_staff_get_their_own_layer(staff_client, russia):
    ProtectedAreaFactory(country=russia)
    anonymous, _ = get(Client())
    assert "public" in anonymous["Cache-Control"]
    staff, sql = get(staff_client)
    assert len(sql) > 1
    assert "private" in staff["Cache-Control"] and "Cookie" in staff["Vary"]


def test_a_repeated_view_is_served_before_the_sessions_and_the_user(client, russia):
    ProtectedAreaFactory(country=russia)
    first, _ = get(client, Accept_Encoding="gzip")
    again, sql = get(client, Accept_Encoding="gzip")
    assert again.content == first.content
    assert only_the_version_was_read(sql)
    assert not hasattr(again.wsgi_request, "session")
    assert not hasattr(again.wsgi_request, "user")
    for header in ("Content-Encoding", "ETag", "Vary", "Cache-Control", "Content-Type"):
        assert again[header] == first[header]


def test_gzip_and_plain_clients_each_get_their_own_copy(client, russia):
    for number in range(5):
        ProtectedAreaFactory(country=russia, name=f"Area {number}")
    for _visit in range(2):
        zipped, _ = get(client, Accept_Encoding="gzip")
        plain, _ = get(client)
        assert zipped["Content-Encoding"] == "gzip"
        assert not plain.has_header("Content-Encoding")
        assert gzip.decompress(zipped.content) == plain.content
    not_modified, sql = get(client, Accept_Encoding="gzip", If_None_Match=zipped["ETag"])
    assert not_modified.status_code == 304
    assert only_the_version_was_read(sql)
