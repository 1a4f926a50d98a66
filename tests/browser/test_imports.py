"""Admin → Imports in the browser: upload a WDPA file, read the dry run's report, decide a
proposed match, confirm; and a boundary pasted on a protected area's page, previewed on a
map, then applied. Tasks run eagerly (no broker), as with `make run`."""

import json
import subprocess

import pytest

from common.models import BoundaryQuality, PublicationState
from imports.models import Import, ImportStatus
from imports.services import import_apply, import_check, import_confirm, import_create_from_path
from protected_areas.models import ProtectedArea
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def wdpa_file(folder):
    def feature(wdpa_id, name, lon, lat, **extra):
        ring = [[lon, lat], [lon + 0.2, lat], [lon + 0.2, lat + 0.2], [lon, lat + 0.2], [lon, lat]]
        properties = {
            "WDPAID": wdpa_id,
            "WDPA_PID": str(wdpa_id),
            "NAME": name,
            "ORIG_NAME": name,
            "DESIG_ENG": "Strict Nature Reserve",
            "IUCN_CAT": "Ia",
            "REP_AREA": 300.0,
            "STATUS_YR": 1990,
            "ISO3": "RUS",
            "MANG_AUTH": "Ministry of Natural Resources",
            **extra,
        }
        return {
            "type": "Feature",
            "properties": properties,
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }

    features = [
        feature(555001, "Tiger Valley", 131.0, 43.0),
        feature(555002, "Crane Marsh", 132.0, 44.0),
        feature(555003, "Hills", 133.0, 44.5, ISO3="CHN"),
    ]
    source = folder / "source.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    target = folder / "WDPA_Jun2024_Public_RUS.gpkg"
    subprocess.run(["ogr2ogr", "-f", "GPKG", str(target), str(source)], check=True)
    return target


@pytest.fixture
def russia(db):
    factories.CountryFactory(iso_a3="CHN", name="China", boundary=factories.square(115, 40, 5))
    return factories.CountryFactory(
        iso_a3="RUS", name="Russian Federation", boundary=factories.square(128, 40, 12)
    )


def test_upload_report_confirm(staff_page, live_server, tmp_path, russia, screenshot):
    shipped = factories.ProtectedAreaFactory(
        name="Tiger Valley",
        country=russia,
        boundary=factories.square(131.05, 43.05, 0.05),
        boundary_quality=BoundaryQuality.APPROXIMATE,
        publication_state=PublicationState.PUBLISHED,
    )
    page = staff_page
    page.goto(f"{live_server.url}/admin/imports/import/")
    page.get_by_role("link", name="Add import").click()
    page.select_option("#id_format", "wdpa")
    page.set_input_files("#id_file", str(wdpa_file(tmp_path)))
    page.fill("#id_iso3", "RUS")
    page.get_by_role("button", name="Upload and check").click()

    page.wait_for_selector("text=What the import would do")
    assert page.locator(".import-status").inner_text() == "Dry run done: ready to apply"
    assert page.locator(".outcome-row--created").count() == 1
    assert page.locator(".outcome-row--skipped").count() == 1
    assert "Outside the countries asked for (RUS)" in page.content()
    decision = page.locator("#proposal-1")
    assert decision.locator("option").all_inner_texts() == [
        "Skip this row",
        "Update “Tiger Valley (RUS)” (same name in the same country; its point lies inside "
        "this boundary)",
        "Create a new record",
    ]
    screenshot("imports-dry-run-report", full_page=True)

    decision.select_option(str(shipped.pk))
    page.get_by_role("button", name="Confirm and apply").click()

    page.wait_for_selector("text=What was done")
    assert page.locator(".import-status").inner_text() == "Applied"
    screenshot("imports-applied-report", full_page=True)
    run = Import.objects.get()
    assert run.status == ImportStatus.APPLIED
    shipped.refresh_from_db()
    assert shipped.wdpa_id == 555001
    assert shipped.boundary_quality == BoundaryQuality.WDPA
    assert ProtectedArea.objects.get(wdpa_id=555002).publication_state == PublicationState.DRAFT
    assert not ProtectedArea.objects.filter(wdpa_id=555003).exists()


def test_a_boundary_pasted_on_the_record_page(staff_page, live_server, russia, screenshot):
    area = factories.ProtectedAreaFactory(
        name="Tiger Valley",
        country=russia,
        boundary=factories.square(131.05, 43.05, 0.1),
        boundary_quality=BoundaryQuality.APPROXIMATE,
    )
    page = staff_page
    page.goto(f"{live_server.url}/admin/protected_areas/protectedarea/{area.pk}/change/")
    page.get_by_role("link", name="Upload a boundary").click()
    page.fill(
        "#id_text",
        "SRID=3857;POLYGON((14583165 5311972, 14605429 5311972, 14605429 5342446, "
        "14583165 5342446, 14583165 5311972))",
    )
    page.select_option("#id_quality", "surveyed")
    page.fill("#id_source", "Decree No. 12 (2019), annex map")
    page.get_by_role("button", name="Preview").click()

    page.wait_for_selector("#import-preview .leaflet-interactive")
    assert "reprojected from EPSG:3857 to WGS 84" in page.content()
    assert page.locator("#import-preview path.leaflet-interactive").count() == 2
    screenshot("imports-boundary-preview", full_page=True)

    page.get_by_role("button", name="Confirm and apply").click()
    page.wait_for_selector("text=What was done")
    area.refresh_from_db()
    assert area.boundary_quality == BoundaryQuality.SURVEYED
    assert area.boundary_source == "Decree No. 12 (2019), annex map"
    assert area.boundary.extent[0] == pytest.approx(131.0, abs=0.01)


def test_census_counts_are_charted_on_the_site_page(
    page, live_server, russia, screenshot, tmp_path
):
    area = factories.ProtectedAreaFactory(name="Khanka Lake", country=russia)
    factories.SpeciesFactory(scientific_name="Platalea minor", common_name="Black-faced spoonbill")
    rows = ["site,species,season,count,count_type,source"] + [
        f"Khanka Lake,Platalea minor,{year}/{(year + 1) % 100:02d},{count},{kind},IBFSC {year + 1}"
        for year, count, kind in [
            (2018, 120, "exact"),
            (2019, 150, "exact"),
            (2020, 140, "minimum"),
            (2021, 180, "exact"),
            (2022, 210, "estimate"),
            (2023, 260, "exact"),
        ]
    ]
    path = tmp_path / "census.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    run = import_check(import_run=import_create_from_path(user=None, format="census", path=path))
    import_apply(import_run=import_confirm(import_run=run, user=None, decisions={}))

    page.goto(f"{live_server.url}{area.get_absolute_url()}")

    chart = page.locator(".count-chart").first
    assert chart.locator("circle").count() == 6
    assert chart.locator("polyline").count() == 1
    screenshot("imports-census-chart", target=page.locator("#counts-heading").locator(".."))
