"""An anonymous crawl of every /ogc/ path and every download, with draft and sensitive
records present, finds no draft's name and no exact sensitive coordinate (to 2–6 decimals)."""

import io
import json
import re
import sqlite3
import zipfile

import pytest
from django.contrib.gis.geos import GeometryCollection, Point

from common.models import PublicationState
from opendata.collections import COLLECTIONS
from opendata.layer_files import layer_file_path, layer_files_publish
from tests.factories import ProjectFactory, TransboundaryLinkFactory
from tests.opendata.conftest import LEOPARD_POINT

pytestmark = pytest.mark.django_db

DRAFT_NAMES = ["Secret Draft Reserve", "Hiddenus", "Hidden ", "Draft Complex", "Draft Project"]


def exact_coordinate_texts() -> list[str]:
    lon, lat = LEOPARD_POINT
    return [f"{lon:.{digits}f}" for digits in range(2, 7)] + [
        f"{lat:.{digits}f}" for digits in range(2, 7)
    ]


@pytest.fixture
def drafts(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        link = TransboundaryLinkFactory(
            name="Draft Complex", publication_state=PublicationState.DRAFT
        )
        link.protected_areas.set(world.leopard_record.protected_area.__class__.objects.all())
        ProjectFactory(
            title="Draft Project",
            publication_state=PublicationState.DRAFT,
            sites=GeometryCollection(Point(*LEOPARD_POINT), srid=4326),
        )


def crawl(client) -> dict[str, str]:
    """Every /ogc/ resource (JSON and HTML), following every link under /ogc/."""
    seen: dict[str, str] = {}
    waiting = ["/ogc/", "/ogc/api", "/ogc/conformance"]
    for collection in COLLECTIONS:
        waiting.append(f"/ogc/collections/{collection}/items?limit=10000")
    while waiting:
        path = waiting.pop()
        if path in seen or len(seen) > 400:
            continue
        response = client.get(path)
        assert response.status_code in (200, 404), path
        text = response.content.decode()
        seen[path] = text
        for href in re.findall(r'(?:href"?:?\s*=?\s*)"(http://testserver)?(/ogc/[^"]*)"', text):
            waiting.append(href[1].replace("&amp;", "&"))
    return seen


def download_texts(client) -> dict[str, str]:
    layer_files_publish()
    texts = {}
    for collection in COLLECTIONS:
        for extension in ("csv", "geojson"):
            path = f"/downloads/{collection}.{extension}"
            texts[path] = b"".join(client.get(path).streaming_content).decode()
        # The GeoPackage as its rows' text: names, and each point's coordinates.
        connection = sqlite3.connect(layer_file_path(collection, "gpkg"))
        rows = connection.execute(f'SELECT * FROM "{collection}"').fetchall()
        connection.close()
        texts[f"/downloads/{collection}.gpkg"] = repr(rows)
    archive = b"".join(client.get("/downloads/occurrences-dwca.zip").streaming_content)
    with zipfile.ZipFile(io.BytesIO(archive)) as files:
        for name in files.namelist():
            texts[f"dwca:{name}"] = files.read(name).decode()
    texts["/downloads/"] = client.get("/downloads/").content.decode()
    return texts


def test_no_draft_and_no_exact_sensitive_point_anywhere(drafts, client):
    texts = {**crawl(client), **download_texts(client)}
    assert any("occurrences" in path for path in texts)
    for path, text in texts.items():
        for name in DRAFT_NAMES:
            assert name not in text, (path, name)
        for coordinate in exact_coordinate_texts():
            assert coordinate not in text, (path, coordinate)


def test_the_crawl_reaches_the_features(drafts, client):
    pages = crawl(client)
    occurrences = json.loads(pages["/ogc/collections/occurrences/items?limit=10000"])
    assert occurrences["numberMatched"] == 4
    assert any("/items/" in path for path in pages)
