"""The OGC API's HTML pages and the downloads page in a browser at 1280 px: they render
under the portal's Content-Security-Policy and load nothing from outside."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from tests.factories import CountryFactory, OccurrenceFactory, ProtectedAreaFactory, SpeciesFactory


@pytest.fixture
def records(settings, tmp_path):
    settings.OPENDATA_ROOT = tmp_path / "opendata"
    russia = CountryFactory(
        iso_a3="RUS",
        name="Russian Federation",
        boundary=MultiPolygon(Polygon.from_bbox((130, 42, 134, 46)), srid=4326),
    )
    ProtectedAreaFactory(name="Khanka Nature Reserve", country=russia)
    leopard = SpeciesFactory(slug="amur-leopard", common_name="Amur leopard", is_sensitive=True)
    OccurrenceFactory(species=leopard, location=Point(131.4582, 43.2371, srid=4326))


def test_ogc_collections_page(page, live_server, records, screenshot, external_requests):
    page.goto(f"{live_server.url}/ogc/collections?f=html")
    assert page.locator("h1").inner_text() == "Collections"
    assert page.locator("table tbody tr").count() == 5
    screenshot("ogc-collections-desktop", full_page=True)
    page.click("text=Occurrences")
    page.click("text=Browse the items")
    assert page.locator("table tbody tr").count() == 1
    assert external_requests == []


def test_downloads_page(page, live_server, records, screenshot, external_requests):
    page.goto(f"{live_server.url}/downloads/")
    assert page.locator("h1").inner_text() == "Downloads"
    assert page.locator("a[download]").count() == 5 * 3 + 1
    screenshot("downloads-desktop", full_page=True)
    page.goto(f"{live_server.url}/ja/downloads/")
    assert page.locator("h1").inner_text() == "ダウンロード"
    screenshot("downloads-ja-desktop", full_page=True)
    assert external_requests == []
