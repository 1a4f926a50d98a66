"""The downloads page (/downloads/, in each language) and its layer files: GeoJSON,
GeoPackage and CSV of each collection, built by the task, rebuilt on change, served with
ETags."""

import csv
import io
import json

import pytest
from django.contrib.gis.gdal import DataSource
from django.contrib.gis.geos import Point
from django.core.management import call_command

from opendata.layer_files import layer_file_path, layer_files_publish, read_manifest
from tests.factories import OccurrenceFactory
from tests.opendata.conftest import COLLECTION_IDS

pytestmark = pytest.mark.django_db


def content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_page_builds_the_files_the_first_time(world, client):
    assert read_manifest() is None
    page = client.get("/downloads/")
    assert page.status_code == 200
    text = page.content.decode()
    for collection in COLLECTION_IDS:
        for extension in ("csv", "geojson", "gpkg"):
            assert f"/downloads/{collection}.{extension}" in text
    assert "occurrences-dwca.zip" in text
    assert "creativecommons.org/licenses/by/4.0" in text
    assert "How to cite" in text
    assert read_manifest()["layers"]["occurrences"]["features"] == 4


@pytest.mark.parametrize("language", ["ja", "ko", "mn", "ru", "zh-hans"])
def test_the_page_in_each_language(world, client, language):
    layer_files_publish()
    page = client.get(f"/{language}/downloads/")
    assert page.status_code == 200
    assert f'lang="{language}"' in page.content.decode()


def test_files_are_served_with_etags(world, client):
    layer_files_publish()
    response = client.get("/downloads/occurrences.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(content(response))
    assert len(collection["features"]) == 4
    again = client.get(
        "/downloads/occurrences.geojson", headers={"if-none-match": response["ETag"]}
    )
    assert again.status_code == 304
    assert client.get("/downloads/nothing.geojson").status_code == 404
    assert client.get("/downloads/occurrences.exe").status_code == 404


def test_geopackage_and_csv_hold_the_published_generalised_records(world, client):
    layer_files_publish()
    layer = DataSource(str(layer_file_path("occurrences", "gpkg")))[0]
    assert sorted(feature["species"].value for feature in layer) == [
        "amur-leopard", "hooded-crane", "hooded-crane", "hooded-crane",
    ]  # fmt: skip
    rows = list(
        csv.DictReader(io.StringIO(content(client.get("/downloads/occurrences.csv")).decode()))
    )
    leopard = next(row for row in rows if row["species"] == "amur-leopard")
    assert leopard["generalised"].lower() in {"1", "true"}
    assert {"X", "Y"} <= set(leopard)
    areas = DataSource(str(layer_file_path("protected-areas", "gpkg")))[0]
    assert "Secret Draft Reserve" not in [feature["name"].value for feature in areas]


def test_rebuilding_the_same_data_keeps_the_files(world):
    layer_files_publish()
    before = {ext: layer_file_path("countries", ext).stat().st_mtime_ns for ext in ("csv", "gpkg")}
    layer_files_publish()
    after = {ext: layer_file_path("countries", ext).stat().st_mtime_ns for ext in ("csv", "gpkg")}
    assert before == after


def test_an_edit_leaves_the_files_and_the_next_download_rebuilds_them(
    world, client, django_capture_on_commit_callbacks
):
    layer_files_publish()
    with django_capture_on_commit_callbacks(execute=True):
        OccurrenceFactory(species=world.crane, location=Point(132.5, 44.8, srid=4326))
    # Nothing built in the edit's request, even with tasks eager (no broker).
    assert read_manifest()["layers"]["occurrences"]["features"] == 4
    collection = json.loads(content(client.get("/downloads/occurrences.geojson")))
    assert len(collection["features"]) == 5
    assert read_manifest()["layers"]["occurrences"]["features"] == 5


def test_the_command_builds_the_files(world):
    out = io.StringIO()
    call_command("build_layer_files", stdout=out)
    assert "occurrences 4" in out.getvalue()
    assert layer_file_path("countries", "gpkg").exists()
