"""Bad Camtrap DP packages: each is refused with a report that says where and why (file,
row, field, value, rule), and nothing at all is imported."""

import json
import zipfile

import pytest

from imports.models import ImportStatus
from monitoring.models import CameraStation, Individual, Media, MonitoringDataset
from species.models import Occurrence
from tests.monitoring.camtrap_package import LEOPARD, deployment, observation, tumen_package

from .runs import apply, dry_run

pytestmark = pytest.mark.django_db


def assert_nothing_imported():
    assert not MonitoringDataset.objects.exists()
    assert not CameraStation.objects.exists()
    assert not Media.objects.exists()
    assert not Individual.objects.exists()
    assert not Occurrence.objects.exists()


def refused(tmp_path, package, name="bad.zip"):
    """The dry run refuses the package; the apply cannot be attempted."""
    run = dry_run(package.write_zip(tmp_path / name), format="camtrap_dp")
    assert run.status == ImportStatus.REFUSED, run.report
    assert_nothing_imported()
    return run


def errors(run) -> list[tuple[str, str, str, str]]:
    """(label, field, value, rule) of every issue of the rows in error."""
    return [
        (row["label"], issue.get("field", ""), issue.get("value", ""), issue.get("rule", ""))
        for row in run.report["rows"]
        if row["outcome"] == "error"
        for issue in row["issues"]
    ]


def test_a_missing_resource(tmp_path, leopard):
    package = tumen_package()
    package.leave_out = ("media",)
    run = refused(tmp_path, package)
    assert "lists no “media” resource" in run.report["refusal"]


def test_a_missing_file(tmp_path, leopard):
    path = tumen_package().write_zip(tmp_path / "p.zip")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tmp_path / "cut.zip", "w") as cut:
        for name in source.namelist():
            if name != "observations.csv":
                cut.writestr(name, source.read(name))
    run = dry_run(tmp_path / "cut.zip", format="camtrap_dp")
    assert run.status == ImportStatus.REFUSED
    assert "observations.csv" in run.report["refusal"]
    assert_nothing_imported()


def test_wrong_column_names(tmp_path, leopard):
    package = tumen_package()
    columns = list(package.columns["observations"])
    columns[columns.index("observationID")] = "observation_id"
    package.columns["observations"] = columns
    run = refused(tmp_path, package)
    refusal = run.report["refusal"]
    assert "observations.csv" in refusal
    assert "“observation_id” is not a column" in refusal
    assert "observationID" in refusal  # the right spelling, and the required column missing


def test_broken_references(tmp_path, leopard):
    package = tumen_package()
    package.media[0]["deploymentID"] = "XX-99"
    package.observations[1]["mediaID"] = "m-missing"
    run = refused(tmp_path, package)
    assert ("media.csv line 2: m1", "deploymentID", "XX-99", "reference") in errors(run)
    assert ("observations.csv line 3: o2", "mediaID", "m-missing", "reference") in errors(run)


def test_timestamps_without_time_zone(tmp_path, leopard):
    package = tumen_package()
    package.observations[0]["eventStart"] = "2015-03-10T21:14:05"
    package.deployments[1]["deploymentEnd"] = "2015-06-30"
    run = refused(tmp_path, package)
    found = errors(run)
    assert ("observations.csv line 2: o1", "eventStart", "2015-03-10T21:14:05", "datetime") in found
    assert ("deployments.csv line 3: RU-01", "deploymentEnd", "2015-06-30", "datetime") in found
    messages = [i["message"] for r in run.report["rows"] for i in r.get("issues", [])]
    assert all("time zone" in message for message in messages)


@pytest.mark.parametrize(
    ("point", "rule", "field"),
    [
        ((95.0, 130.6), "maximum", "latitude"),  # out of range
        ((42.6, -190), "minimum", "longitude"),
        ((38.0, 134.0), "country", "latitude"),  # the Sea of Japan, far from any country
    ],
)
def test_coordinates_out_of_range_or_at_sea(tmp_path, leopard, point, rule, field):
    package = tumen_package()
    package.deployments[0] = deployment("CN-01", *point)
    run = refused(tmp_path, package)
    assert [(e[1], e[3]) for e in errors(run)] == [(field, rule)]


def test_duplicate_observation_ids(tmp_path, leopard):
    package = tumen_package()
    package.observations.append(observation("o1", "RU-01", "2015-05-01T01:00:00+10:00"))
    run = refused(tmp_path, package)
    assert ("observations.csv line 7: o1", "observationID", "o1", "unique") in errors(run)


def test_an_individual_id_reused_for_two_species(tmp_path, leopard):
    from tests import factories  # noqa: PLC0415

    factories.SpeciesFactory(scientific_name="Panthera tigris altaica", common_name="Amur tiger")
    package = tumen_package()
    package.observations.append(
        observation(
            "o9", "RU-01", "2015-05-01T01:00:00+10:00", name="Panthera tigris altaica",
            individualID="L-01",
        )
    )  # fmt: skip
    run = refused(tmp_path, package)
    [(label, field, value, rule)] = errors(run)
    assert (label, field, value, rule) == (
        "observations.csv line 7: o9",
        "individualID",
        "L-01",
        "individual_species",
    )
    issue = run.report["rows"][-1]["issues"][0]["message"]
    assert LEOPARD in issue and "Panthera tigris altaica" in issue


def test_an_enumeration_and_a_required_value(tmp_path, leopard):
    package = tumen_package()
    package.observations[0]["observationType"] = "animals"
    package.media[2]["filePublic"] = ""
    run = refused(tmp_path, package)
    assert ("observations.csv line 2: o1", "observationType", "animals", "enum") in errors(run)
    assert ("media.csv line 4: m3", "filePublic", "", "required") in errors(run)


def test_a_package_without_its_required_properties(tmp_path, leopard):
    package = tumen_package()
    del package.package["contributors"]
    run = refused(tmp_path, package)
    assert ("datapackage.json: Amur leopards of the Tumen borderland", "contributors", "",
            "required") in errors(run)  # fmt: skip


def test_not_json(tmp_path, leopard):
    folder = tumen_package().write_folder(tmp_path / "p")
    (folder / "datapackage.json").write_text("{not json", encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "p.zip", "w") as archive:
        for part in folder.iterdir():
            archive.write(part, part.name)
    run = dry_run(tmp_path / "p.zip", format="camtrap_dp")
    assert run.status == ImportStatus.REFUSED
    assert "not valid JSON" in run.report["refusal"]


def test_an_error_found_at_the_apply_rolls_everything_back(tmp_path, leopard, settings):
    """The dry run passed; the package is then changed on disk (as a stand-in for the
    database changing between the two): the apply refuses and keeps nothing."""
    path = tumen_package().write_zip(tmp_path / "p.zip")
    run = dry_run(path, format="camtrap_dp")
    assert run.status == ImportStatus.CHECKED
    package = tumen_package()
    package.observations.append(observation("o1", "RU-01", "2015-05-01T01:00:00+10:00"))
    package.write_zip(tmp_path / "again.zip")
    stored = run.file.path
    with open(tmp_path / "again.zip", "rb") as source, open(stored, "wb") as target:
        target.write(source.read())
    run = apply(run)
    assert run.status == ImportStatus.REFUSED
    assert_nothing_imported()
    assert json.dumps(run.report).count('"unique"') == 1


def test_a_table_that_is_not_csv_text(tmp_path, leopard):
    package = tumen_package()
    package.media[0]["exifData"] = "x" * 200_000  # over the csv module's field limit
    run = refused(tmp_path, package)
    assert "media.csv line 2 cannot be read as CSV" in run.report["refusal"]


def test_a_package_over_its_row_limit(tmp_path, leopard, settings):
    settings.IMPORT_MAX_ROWS = 5  # other formats' limit: not the one of packages
    settings.IMPORT_CAMTRAP_MAX_ROWS = 11
    run = dry_run(tumen_package().write_zip(tmp_path / "ok.zip"), format="camtrap_dp")
    assert run.status == ImportStatus.CHECKED, run.report
    settings.IMPORT_CAMTRAP_MAX_ROWS = 10
    run = refused(tmp_path, tumen_package(), name="big.zip")
    assert "IMPORT_CAMTRAP_MAX_ROWS" in run.report["refusal"]


def test_many_errors_of_one_kind_are_listed_200_and_counted(tmp_path, leopard):
    package = tumen_package()
    package.observations += [
        observation(f"x{n}", "RU-01", "2015-05-01T01:00:00") for n in range(250)
    ]
    run = refused(tmp_path, package)
    listed = [row for row in run.report["rows"] if row["outcome"] == "error"]
    assert len(listed) == 200
    assert run.counts["error"] == 250
    assert "50 more rows are in error" in " ".join(run.report["notes"])
    assert run.message.startswith("250 row(s) cannot be imported")
