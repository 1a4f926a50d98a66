"""Bad files: each is reported clearly (the row, the field, the fix) and the database is left
exactly as it was — records, their history, and nothing imported."""

import json
import zipfile

import pytest
from django.core.exceptions import ValidationError

from imports.formats import base
from imports.models import Import, ImportedRecord, ImportStatus
from protected_areas.models import ProtectedArea

from .files import bowtie, polygon, wdpa_feature, write_geojson, write_zipped_shapefile
from .runs import apply, dry_run, issues

pytestmark = pytest.mark.django_db


@pytest.fixture
def unchanged_database(countries):
    """Asserts after the test that no protected area, history entry or import link appeared."""
    before = (ProtectedArea.objects.count(), ProtectedArea.history.count())
    yield
    assert (ProtectedArea.objects.count(), ProtectedArea.history.count()) == before
    assert not ImportedRecord.objects.exists()


def two_areas():
    return [
        wdpa_feature(polygon(131.0, 43.0), WDPAID=700001, NAME="First"),
        wdpa_feature(polygon(132.0, 44.0), WDPAID=700002, NAME="Second"),
    ]


def test_a_truncated_zip_is_refused(tmp_path, unchanged_database):
    path = write_zipped_shapefile(tmp_path / "wdpa.zip", two_areas())
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])

    run = dry_run(path, format="wdpa")

    assert run.status == ImportStatus.REFUSED
    assert "not a complete zip archive" in run.report["refusal"]
    assert "Download it again" in run.message


def test_a_zip_whose_member_is_damaged_is_refused(tmp_path, unchanged_database):
    path = write_zipped_shapefile(tmp_path / "wdpa.zip", two_areas())
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("WDPA_polygons.dbf")
    # Flip bytes inside the stored data of one member: the archive opens, its checksum fails.
    start = info.header_offset + 30 + len(info.filename) + 5
    data[start : start + 4] = bytes(b ^ 0xFF for b in data[start : start + 4])
    path.write_bytes(bytes(data))

    run = dry_run(path, format="wdpa")

    assert run.status == ImportStatus.REFUSED
    assert "WDPA_polygons.dbf" in run.report["refusal"] or "zip" in run.report["refusal"]


def test_a_shapefile_without_prj_is_refused(tmp_path, unchanged_database):
    path = write_zipped_shapefile(tmp_path / "wdpa.zip", two_areas(), prj=False)

    run = dry_run(path, format="wdpa")

    assert run.status == ImportStatus.REFUSED
    assert "has no .prj file" in run.report["refusal"]
    assert "Add the .prj" in run.report["refusal"]


def test_missing_columns_are_named(tmp_path, unchanged_database):
    rows = two_areas()
    for row in rows:
        del row["properties"]["ISO3"]

    run = dry_run(write_geojson(tmp_path / "wdpa.geojson", rows), format="wdpa")

    assert run.status == ImportStatus.REFUSED
    assert "lacks the WDPA column(s) ISO3" in run.report["refusal"]


def test_a_file_of_other_columns_is_refused(tmp_path, unchanged_database):
    feature = {"type": "Feature", "properties": {"id": 1, "label": "x"}, "geometry": polygon(1, 1)}

    run = dry_run(write_geojson(tmp_path / "other.geojson", [feature]), format="wdpa")

    assert run.status == ImportStatus.REFUSED
    assert "no layer with the WDPA columns WDPAID, NAME, ISO3" in run.report["refusal"]
    assert "found: id, label" in run.report["refusal"]


def test_a_self_intersecting_polygon_is_reported_on_its_row(tmp_path, unchanged_database):
    rows = [*two_areas(), wdpa_feature(bowtie(133.0, 45.0), WDPAID=700003, NAME="Bowtie")]
    path = write_geojson(tmp_path / "wdpa.geojson", rows)

    run = dry_run(path, format="wdpa")

    assert run.status == ImportStatus.REFUSED
    bad = [row for row in run.report["rows"] if row["outcome"] == "error"]
    assert [row["row"] for row in bad] == [3]
    issue = bad[0]["issues"][0]
    assert issue["field"] == "boundary"
    assert issue["rule"] == "invalid_geometry"
    assert "crosses itself" in issue["message"]
    assert "Repair invalid geometries" in issue["message"]
    assert "rows 3" in run.message
    with pytest.raises(ValidationError):
        apply(run)


def test_a_self_intersecting_polygon_is_repaired_only_when_asked(tmp_path, countries):
    rows = [wdpa_feature(bowtie(133.0, 45.0), WDPAID=700003, NAME="Bowtie")]
    path = write_geojson(tmp_path / "wdpa.geojson", rows)

    run = apply(dry_run(path, format="wdpa", options={"repair": True}))

    assert run.status == ImportStatus.APPLIED
    assert "repaired with GEOS MakeValid" in run.report["rows"][0]["notes"][0]
    assert ProtectedArea.objects.get(wdpa_id=700003).boundary.valid


def test_coordinates_out_of_range_are_reported(tmp_path, unchanged_database):
    # Metres given as if they were degrees (a projected file exported without its CRS).
    rows = [wdpa_feature(polygon(500000.0, 4800000.0, 1000), WDPAID=700004, NAME="Metres")]

    run = dry_run(write_geojson(tmp_path / "wdpa.geojson", rows), format="wdpa")

    assert run.status == ImportStatus.REFUSED
    [issue] = issues(run)
    assert issue["rule"] == "out_of_range"
    assert "longitude comes first" in issue["message"]


def test_text_that_is_not_utf8_is_reported(tmp_path, unchanged_database):
    text = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [wdpa_feature(polygon(131.0, 43.0), WDPAID=700005, NAME="NAME_HERE")],
        }
    ).encode()
    path = tmp_path / "wdpa.geojson"
    path.write_bytes(text.replace(b"NAME_HERE", "Café".encode("latin-1")))

    run = dry_run(path, format="wdpa")

    assert run.status == ImportStatus.REFUSED
    [issue] = issues(run)
    assert (issue["field"], issue["rule"]) == ("NAME", "utf8")
    assert "Save the file with UTF-8 encoding" in issue["message"]


def test_an_empty_file_is_refused(tmp_path, unchanged_database):
    path = tmp_path / "wdpa.gpkg"
    path.write_bytes(b"")

    run = dry_run(path, format="wdpa")

    assert run.status == ImportStatus.REFUSED
    assert "is empty" in run.report["refusal"]


def test_a_file_over_the_size_limit_is_refused_before_any_work(tmp_path, settings, countries):
    settings.IMPORT_MAX_BYTES = 1000
    path = write_geojson(tmp_path / "wdpa.geojson", two_areas() * 5)

    with pytest.raises(ValidationError) as refusal:
        dry_run(path, format="wdpa")

    assert "imports may be at most 1000" in str(refusal.value)
    assert not Import.objects.exists()
    assert not ProtectedArea.objects.exists()


def test_a_file_over_the_row_limit_is_refused_before_any_row(tmp_path, settings, countries):
    settings.IMPORT_MAX_ROWS = 1

    run = dry_run(write_geojson(tmp_path / "wdpa.geojson", two_areas()), format="wdpa")

    assert run.status == ImportStatus.REFUSED
    assert "has 2 rows; imports may have at most 1" in run.report["refusal"]
    assert run.report["rows"] == []


def test_a_file_declaring_a_crs_is_reprojected_and_the_report_says_so(tmp_path, countries):
    path = write_zipped_shapefile(tmp_path / "wdpa.zip", two_areas(), srs="EPSG:3857")

    run = apply(dry_run(path, format="wdpa"))

    assert any("reprojected from EPSG:3857" in note for note in run.report["notes"])
    extent = ProtectedArea.objects.get(wdpa_id=700001).boundary.extent
    assert extent == pytest.approx((131.0, 43.0, 131.1, 43.1), abs=1e-6)


def test_an_apply_that_fails_on_one_row_writes_none(tmp_path, countries, monkeypatch):
    """All rows or none: a failure while writing the second row undoes the first."""
    real_insert = base.bulk_create_with_history
    calls = []

    def failing_insert(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_insert(*args, **kwargs)

    run = dry_run(write_geojson(tmp_path / "wdpa.geojson", two_areas()), format="wdpa")
    monkeypatch.setattr(base, "CREATE_BATCH", 1)
    monkeypatch.setattr(base, "bulk_create_with_history", failing_insert)

    with pytest.raises(RuntimeError):
        apply(run)

    run.refresh_from_db()
    assert len(calls) == 2
    assert run.status == ImportStatus.FAILED
    assert "changed nothing" in run.message
    assert not ProtectedArea.objects.exists()
    assert not ProtectedArea.history.exists()
