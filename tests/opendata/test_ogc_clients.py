"""OGC API – Features as real GIS clients read it from a live server: GDAL's OAPIF driver
(ogrinfo, ogr2ogr to a GeoPackage) and OWSLib.

(QGIS 3.22 from Debian's python3-qgis installs here, but its OAPIF provider crashes when
created headless (QT_QPA_PLATFORM=offscreen) as soon as it reaches the server; no test.)"""

import shutil
import subprocess

import pytest
from django.contrib.gis.gdal import DataSource
from owslib.ogcapi.features import Features

from tests.opendata.conftest import LEOPARD_POINT

pytestmark = pytest.mark.django_db(transaction=True)

needs_gdal = pytest.mark.skipif(shutil.which("ogr2ogr") is None, reason="GDAL's tools missing")


def run(*command: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=True, **options
    )


@pytest.fixture
def ogc_url(live_server) -> str:
    return f"{live_server.url}/ogc/"


@needs_gdal
def test_ogrinfo_lists_the_collections(world, ogc_url):
    listing = run("ogrinfo", "-ro", "-q", f"OAPIF:{ogc_url}").stdout
    for collection in ("protected-areas", "transboundary-links", "occurrences", "countries"):
        assert collection in listing


@needs_gdal
def test_ogr2ogr_copies_published_generalised_occurrences(world, ogc_url, tmp_path):
    target = tmp_path / "occurrences.gpkg"
    # A small page size, so that the driver follows the `next` links.
    run(
        "ogr2ogr", "-f", "GPKG", str(target), f"OAPIF:{ogc_url}", "occurrences",
        "-oo", "PAGE_SIZE=2",
    )  # fmt: skip
    layer = DataSource(str(target))[0]
    features = {feature["species"].value: feature for feature in layer}
    assert len(layer) == 4
    assert set(features) == {"amur-leopard", "hooded-crane"}
    leopard = features["amur-leopard"]
    assert leopard["generalised"].value
    assert (round(leopard.geom.x, 2), round(leopard.geom.y, 2)) != tuple(
        round(c, 2) for c in LEOPARD_POINT
    )


def test_owslib_reads_collections_items_by_bbox_and_pages(world, ogc_url):
    api = Features(ogc_url)
    assert "occurrences" in [c["id"] for c in api.collections()["collections"]]
    assert api.collection("countries")["id"] == "countries"
    khanka = api.collection_items("occurrences", bbox=[132, 44.5, 132.6, 45])
    assert [f["id"] for f in khanka["features"]] == [world.crane_survey.pk]
    first = api.collection_items("occurrences", limit=3)
    assert (first["numberMatched"], first["numberReturned"]) == (4, 3)
    rest = api.collection_items("occurrences", limit=3, offset=3)
    ids = [f["id"] for f in first["features"] + rest["features"]]
    assert len(set(ids)) == 4
    assert api.conformance()["conformsTo"]
