"""WDPA downloads: every file kind Protected Planet offers, written here with ogr2ogr."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from common.models import BoundaryQuality, PublicationState
from imports.models import ImportedRecord, ImportStatus
from protected_areas.models import ProtectedArea
from tests import factories

from .files import (
    polygon,
    wdpa_feature,
    write_filegdb_zip,
    write_geojson,
    write_gpkg,
    write_zipped_shapefile,
)
from .runs import apply, dry_run, rows_by_outcome

pytestmark = pytest.mark.django_db


def features():
    return [
        wdpa_feature(polygon(131.0, 43.0, 0.2), WDPAID=900001, NAME="Tiger Valley"),
        wdpa_feature(
            polygon(132.0, 44.0, 0.3),
            WDPAID=900002,
            NAME="Crane Marsh",
            ORIG_NAME="Журавлиное болото",
            IUCN_CAT="Not Reported",
            REP_AREA=250.456,
        ),
        wdpa_feature(polygon(118.0, 40.0, 0.2), WDPAID=900003, NAME="Elsewhere", ISO3="CHN"),
    ]


WRITERS = {
    "shapefile": lambda folder, fs: write_zipped_shapefile(folder / "WDPA_Jun2024_shp.zip", fs),
    "geopackage": lambda folder, fs: write_gpkg(folder / "WDPA_Jun2024.gpkg", fs),
    "geojson": lambda folder, fs: write_geojson(folder / "WDPA_Jun2024.geojson", fs),
    "filegdb": lambda folder, fs: write_filegdb_zip(folder / "WDPA_Jun2024_gdb.zip", fs),
}


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_each_file_kind_is_read_and_the_dry_run_changes_nothing(kind, tmp_path, countries):
    path = WRITERS[kind](tmp_path, features())
    areas, history = ProtectedArea.objects.count(), ProtectedArea.history.count()

    run = dry_run(path, format="wdpa", options={"iso3": ["RUS"]})

    assert run.status == ImportStatus.CHECKED, run.report
    assert run.counts["created"] == 2
    assert run.counts["skipped"] == 1
    assert ProtectedArea.objects.count() == areas
    assert ProtectedArea.history.count() == history
    assert not ImportedRecord.objects.exists()


def test_apply_creates_drafts_as_reported_with_history_and_credit(tmp_path, countries, superuser):
    run = dry_run(write_gpkg(tmp_path / "WDPA_Jun2024_RUS.gpkg", features()), format="wdpa")

    run = apply(run, user=superuser)

    assert run.status == ImportStatus.APPLIED
    assert run.counts == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "proposed": 0,
        "error": 0,
    }
    marsh = ProtectedArea.objects.get(wdpa_id=900002)
    assert marsh.publication_state == PublicationState.DRAFT
    assert marsh.name == "Crane Marsh"
    assert marsh.name_local == "Журавлиное болото"
    assert marsh.country.iso_a3 == "RUS"
    assert marsh.iucn_category == "NR"
    assert marsh.reported_area_km2 == Decimal("250.46")
    assert marsh.boundary_quality == BoundaryQuality.WDPA
    assert "WDPA (Jun 2024 release), WDPAID 900002" in marsh.boundary_source
    assert marsh.wdpa_attributes["GOV_TYPE"] == "Federal or national ministry or agency"
    assert marsh.computed_area_km2 > 0
    assert marsh.location is not None
    version = marsh.history.latest()
    assert version.history_change_reason == "Imported from WDPA_Jun2024_RUS.gpkg"
    assert version.history_user == superuser
    assert ImportedRecord.objects.filter(import_run=run, action="created").count() == 3
    assert ProtectedArea.objects.get(wdpa_id=900003).country.iso_a3 == "CHN"


def test_running_the_same_file_again_changes_nothing(tmp_path, countries):
    path = write_zipped_shapefile(tmp_path / "WDPA_Jun2024_shp.zip", features())
    apply(dry_run(path, format="wdpa"))
    history = ProtectedArea.history.count()
    updated = dict(ProtectedArea.objects.values_list("pk", "updated"))

    again = apply(dry_run(path, format="wdpa"))

    assert again.status == ImportStatus.APPLIED
    assert again.counts["unchanged"] == 3
    assert again.counts["created"] == again.counts["updated"] == 0
    assert ProtectedArea.history.count() == history
    assert dict(ProtectedArea.objects.values_list("pk", "updated")) == updated
    assert any("The same file was applied" in note for note in again.report["notes"])


def test_a_new_release_updates_what_the_wdpa_owns_and_keeps_editors_values(tmp_path, countries):
    apply(dry_run(write_gpkg(tmp_path / "a.gpkg", features()), format="wdpa"))
    valley = ProtectedArea.objects.get(wdpa_id=900001)
    valley.publication_state = PublicationState.PUBLISHED
    valley.designation = "Zapovednik (edited by the Secretariat)"
    valley.save()
    newer = features()
    newer[0]["properties"].update(DESIG_ENG="Nature Reserve", STATUS_YR=1995)
    newer[0]["geometry"] = polygon(131.0, 43.0, 0.25)

    run = apply(dry_run(write_gpkg(tmp_path / "b.gpkg", newer), format="wdpa"))

    row = rows_by_outcome(run)["updated"][0]
    assert row["row"] == 1
    assert any(change.startswith("status_year: 1990 → 1995") for change in row["changes"])
    assert any("kept the portal's “Zapovednik (edited" in note for note in row["notes"])
    valley.refresh_from_db()
    assert valley.status_year == 1995
    assert valley.designation == "Zapovednik (edited by the Secretariat)"
    assert valley.publication_state == PublicationState.PUBLISHED
    assert valley.boundary.extent == pytest.approx((131.0, 43.0, 131.25, 43.25))


def test_an_existing_record_without_wdpaid_is_proposed_never_merged_silently(tmp_path, countries):
    shipped = factories.ProtectedAreaFactory(
        name="Tiger Valley Nature Reserve",
        country=countries["RUS"],
        boundary=factories.square(131.05, 43.05, 0.1),
        boundary_quality=BoundaryQuality.APPROXIMATE,
        publication_state=PublicationState.PUBLISHED,
    )
    path = write_gpkg(tmp_path / "WDPA.gpkg", features()[:1])

    run = dry_run(path, format="wdpa")

    proposed = rows_by_outcome(run)["proposed"]
    assert [c["id"] for c in proposed[0]["candidates"]] == [shipped.pk]
    assert "same name" in proposed[0]["candidates"][0]["reason"]
    assert "its point lies inside" in proposed[0]["candidates"][0]["reason"]

    not_accepted = apply(run)
    assert not_accepted.counts["skipped"] == 1
    assert ProtectedArea.objects.count() == 1
    shipped.refresh_from_db()
    assert shipped.wdpa_id is None

    accepted = apply(dry_run(path, format="wdpa"), decisions={"1": str(shipped.pk)})
    assert accepted.counts["updated"] == 1
    shipped.refresh_from_db()
    assert shipped.wdpa_id == 900001
    assert shipped.name == "Tiger Valley Nature Reserve"  # the portal's own name is kept
    assert shipped.boundary_quality == BoundaryQuality.WDPA
    assert shipped.publication_state == PublicationState.PUBLISHED


def test_a_proposal_can_be_answered_with_a_new_record(tmp_path, countries):
    factories.ProtectedAreaFactory(name="Tiger Valley", country=countries["RUS"])
    run = dry_run(write_gpkg(tmp_path / "WDPA.gpkg", features()[:1]), format="wdpa")

    run = apply(run, decisions={"1": "new"})

    assert run.counts["created"] == 1
    assert ProtectedArea.objects.filter(name="Tiger Valley").count() == 2


def test_a_surveyed_boundary_is_never_replaced(tmp_path, countries):
    surveyed = factories.ProtectedAreaFactory(
        country=countries["RUS"],
        wdpa_id=900001,
        boundary=factories.square(131.0, 43.0, 0.1),
        boundary_quality=BoundaryQuality.SURVEYED,
        boundary_source="Drawn from the 2019 decree's map",
    )

    run = apply(dry_run(write_gpkg(tmp_path / "WDPA.gpkg", features()[:1]), format="wdpa"))

    note = run.report["rows"][0]["notes"]
    assert any("Boundary kept" in line for line in note)
    surveyed.refresh_from_db()
    assert surveyed.boundary_quality == BoundaryQuality.SURVEYED
    assert surveyed.boundary.extent == pytest.approx((131.0, 43.0, 131.1, 43.1))


def test_parcels_of_one_site_become_one_record(tmp_path, countries):
    parcels = [
        wdpa_feature(polygon(131.0, 43.0, 0.1), WDPAID=900010, WDPA_PID="900010_A", NAME="Two"),
        wdpa_feature(polygon(131.5, 43.0, 0.1), WDPAID=900010, WDPA_PID="900010_B", NAME="Two"),
    ]
    path = write_gpkg(tmp_path / "WDPA.gpkg", parcels)

    run = apply(dry_run(path, format="wdpa"))

    assert run.counts["created"] == 1
    area = ProtectedArea.objects.get(wdpa_id=900010)
    assert len(area.boundary) == 2
    assert area.wdpa_attributes["WDPA_PID"] == ["900010_A", "900010_B"]
    assert apply(dry_run(path, format="wdpa")).counts["unchanged"] == 1


def test_points_and_multi_country_codes(tmp_path, countries):
    rows = [
        wdpa_feature(
            {"type": "MultiPoint", "coordinates": [[101.5, 44.5]]},
            WDPAID=900020,
            NAME="Border Steppe",
            ISO3="RUS;MNG",
        ),
    ]

    run = apply(dry_run(write_geojson(tmp_path / "points.geojson", rows), format="wdpa"))

    area = ProtectedArea.objects.get(wdpa_id=900020)
    assert area.boundary is None
    assert (area.location.x, area.location.y) == (101.5, 44.5)
    # Listed in both: filed under the country that holds its point.
    assert area.country.iso_a3 == "MNG"
    assert "Listed in RUS;MNG; filed under MNG." in run.report["rows"][0]["notes"]


def test_the_command_prints_the_report_and_applies(tmp_path, countries, capsys):
    path = write_gpkg(tmp_path / "WDPA_Jun2024.gpkg", features())

    call_command("import_wdpa", str(path), "--iso3", "RUS", "--dry-run")
    assert ProtectedArea.objects.count() == 0
    output = capsys.readouterr()
    assert "Outside the countries asked for (RUS)" in output.out
    assert "Dry run [" in output.err

    call_command("import_wdpa", str(path), "--iso3", "RUS")
    assert ProtectedArea.objects.count() == 2
    assert "applied" in capsys.readouterr().out
