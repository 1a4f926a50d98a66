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
    # The page's formats, one separator between them and none trailing.
    assert page.locator(".ogc-formats").inner_text() == "Items (JSON) · Items (HTML)"
    screenshot("ogc-items-desktop", full_page=True)
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


def test_downloads_page_while_newer_files_wait_for_the_worker(
    page, live_server, records, screenshot, broker_down
):
    page.goto(f"{live_server.url}/downloads/")  # the first visit builds the files
    assert page.locator(".notice").count() == 0
    OccurrenceFactory(species=SpeciesFactory(), location=Point(132.1, 44.2, srid=4326))
    page.goto(f"{live_server.url}/downloads/")
    assert "Newer data may not be in these files yet" in page.locator(".notice").inner_text()
    screenshot("downloads-stale-desktop", full_page=True)
