"""A boundary for one protected area, from a file or pasted text, previewed then applied."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from common.models import BoundaryQuality
from imports.models import Import, ImportStatus
from imports.services import import_check, import_create
from protected_areas.models import ProtectedArea
from tests import factories

from .files import ogr2ogr, polygon, write_geojson, write_gpkg, write_zipped_shapefile
from .runs import apply, dry_run, issues

pytestmark = pytest.mark.django_db

OPTIONS = {"quality": "surveyed", "source": "Decree No. 12 (2019), annex map"}


@pytest.fixture
def area(countries):
    return factories.ProtectedAreaFactory(
        name="Tiger Valley",
        country=countries["RUS"],
        boundary=factories.square(131.0, 43.0, 0.1),
        boundary_quality=BoundaryQuality.APPROXIMATE,
        location_estimated=True,
    )


def shape(geometry, **properties):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def pasted(text: str, name: str, area, **options) -> Import:
    run = import_create(
        user=None,
        format="boundary",
        file=ContentFile(text.encode(), name=name),
        options={**OPTIONS, "area": area.pk, **options},
    )
    return import_check(import_run=run)


def test_a_geojson_file_replaces_the_boundary(tmp_path, area):
    path = write_geojson(tmp_path / "tiger.geojson", [shape(polygon(131.0, 43.0, 0.3))])
    history = area.history.count()

    run = dry_run(path, format="boundary", options={**OPTIONS, "area": area.pk})

    assert run.status == ImportStatus.CHECKED
    [row] = run.report["rows"]
    assert row["outcome"] == "updated"
    assert any(
        change.startswith("boundary_quality: Approximate → Surveyed") for change in row["changes"]
    )
    assert row["preview"]["type"] in ("Polygon", "MultiPolygon")
    area.refresh_from_db()
    assert area.boundary_quality == BoundaryQuality.APPROXIMATE
    assert area.history.count() == history

    apply(run)

    area.refresh_from_db()
    assert area.boundary.extent == pytest.approx((131.0, 43.0, 131.3, 43.3))
    assert area.boundary_quality == BoundaryQuality.SURVEYED
    assert area.boundary_source == "Decree No. 12 (2019), annex map"
    assert area.boundary.contains(area.location)  # the estimated point follows the boundary
    assert area.history.latest().history_change_reason == "Imported from tiger.geojson"


def test_several_shapes_are_offered_and_the_chosen_one_is_applied(tmp_path, area):
    path = write_gpkg(
        tmp_path / "two.gpkg",
        [
            shape(polygon(131.0, 43.0, 0.2), name="Core zone"),
            shape(polygon(131.0, 43.0, 0.4), name="Whole reserve"),
        ],
        layer="boundaries",
    )

    run = dry_run(path, format="boundary", options={**OPTIONS, "area": area.pk})

    assert [row["outcome"] for row in run.report["rows"]] == ["proposed", "proposed"]
    assert [row["label"] for row in run.report["rows"]] == ["Core zone", "Whole reserve"]
    apply(run, decisions={"2": str(area.pk)})
    area.refresh_from_db()
    assert area.boundary.extent == pytest.approx((131.0, 43.0, 131.4, 43.4))


def test_pasted_wkt_with_an_srid_is_reprojected_and_the_report_says_so(area):
    run = pasted(
        "SRID=3857;POLYGON((14583165 5311972, 14605429 5311972, 14605429 5342446, "
        "14583165 5311972))",
        "pasted.wkt",
        area,
    )

    assert run.status == ImportStatus.CHECKED, run.report
    assert "reprojected from EPSG:3857 to WGS 84" in run.report["notes"][0]
    apply(run)
    area.refresh_from_db()
    assert area.boundary.extent[0] == pytest.approx(131.0, abs=0.01)


def test_pasted_geojson_declaring_a_crs_is_reprojected(tmp_path, area):
    text = json.dumps(
        {
            "type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "EPSG:3857"}},
            "features": [
                shape(
                    {
                        "type": "Polygon",
                        "coordinates": [
                            [[14583165, 5311972], [14605429, 5311972], [14605429, 5342446],
                             [14583165, 5311972]]
                        ],
                    }
                )
            ],
        }
    )  # fmt: skip

    run = pasted(text, "pasted.geojson", area)

    assert any("reprojected from EPSG:3857" in note for note in run.report["notes"])
    assert run.status == ImportStatus.CHECKED


def test_raw_coordinates_without_a_crs_must_be_longitude_latitude(area):
    run = pasted(
        "POLYGON((500000 4800000, 510000 4800000, 510000 4810000, 500000 4800000))",
        "pasted.wkt",
        area,
    )

    assert run.status == ImportStatus.REFUSED
    [issue] = issues(run)
    assert issue["rule"] == "out_of_range"
    assert "Pasted WKT without an SRID: read as WGS 84" in run.report["notes"][0]


def test_text_that_is_no_shape_is_refused(area):
    run = pasted("the reserve's corners are…", "pasted.wkt", area)

    assert run.status == ImportStatus.REFUSED
    assert "not WKT" in run.report["refusal"]


def test_a_line_is_not_an_area(area):
    run = pasted("LINESTRING(131 43, 131.2 43.2)", "pasted.wkt", area)

    assert run.status == ImportStatus.REFUSED
    assert issues(run)[0]["rule"] == "geometry_type"


def test_kml_and_a_projected_shapefile(tmp_path, area):
    source = write_geojson(tmp_path / "src.geojson", [shape(polygon(131.0, 43.0, 0.3))])
    kml = ogr2ogr(tmp_path / "tiger.kml", source, "-f", "KML")
    run = dry_run(kml, format="boundary", options={**OPTIONS, "area": area.pk})
    assert run.status == ImportStatus.CHECKED, run.report

    shp = write_zipped_shapefile(
        tmp_path / "utm.zip", [shape(polygon(131.0, 43.0, 0.3))], srs="EPSG:32652"
    )
    run = apply(dry_run(shp, format="boundary", options={**OPTIONS, "area": area.pk}))
    assert any("reprojected from EPSG:32652" in note for note in run.report["notes"])
    area.refresh_from_db()
    assert area.boundary.extent == pytest.approx((131.0, 43.0, 131.3, 43.3), abs=1e-6)


def test_the_admin_journey(client, superuser, area, django_capture_on_commit_callbacks):
    client.force_login(superuser)
    page = client.get(reverse("admin:protected_areas_protectedarea_change", args=[area.pk]))
    upload_url = reverse("admin:imports_boundary_upload", args=[area.pk])
    assert upload_url in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            upload_url,
            {
                "text": "POLYGON((131 43, 131.3 43, 131.3 43.3, 131 43.3, 131 43))",
                "quality": "digitised",
                "source": "Traced from the 1:100,000 map",
            },
        )
    run = Import.objects.get()
    assert response["Location"] == reverse("admin:imports_import_change", args=[run.pk])
    report = client.get(response["Location"]).content.decode()
    assert 'id="import-preview-data"' in report
    assert "leaflet/leaflet.js" in report

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:imports_import_confirm", args=[run.pk]))
    area.refresh_from_db()
    assert area.boundary_quality == BoundaryQuality.DIGITISED
    assert area.boundary_source == "Traced from the 1:100,000 map"


def test_a_focal_point_cannot_upload_another_countrys_boundary(client, area, mongolia_focal_point):
    client.force_login(mongolia_focal_point)

    response = client.get(reverse("admin:imports_boundary_upload", args=[area.pk]))

    assert response.status_code == 403
    assert ProtectedArea.objects.get(pk=area.pk).boundary_quality == BoundaryQuality.APPROXIMATE


def test_the_command(tmp_path, area, capsys):
    path = tmp_path / "tiger.wkt"
    path.write_text("POLYGON((131 43, 131.3 43, 131.3 43.3, 131 43.3, 131 43))")

    call_command("import_boundary", str(path), "--area", str(area.pk), "--source", "Decree map")

    area.refresh_from_db()
    assert area.boundary_source == "Decree map"
    assert area.boundary_quality == BoundaryQuality.DIGITISED
