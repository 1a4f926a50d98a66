"""Genetic samples (CSV template) → samples, occurrences (basis "specimen") and one
individual per genotype, matching a leopard the camera traps saw."""

import pytest
from django.core.management import call_command

from imports.models import ImportStatus
from monitoring.models import GeneticSample, Individual, MonitoringDataset
from species.models import BasisOfRecord, Occurrence
from tests.monitoring.camtrap_package import CHINA_STATION, LEOPARD, RUSSIA_STATION, tumen_package

from .files import write_csv
from .runs import apply, dry_run

pytestmark = pytest.mark.django_db

HEADER = [
    "sample_id", "date", "latitude", "longitude", "coordinate_uncertainty_m", "species",
    "sample_type", "genotype_id", "laboratory", "dataset_id", "dataset_title",
]  # fmt: skip
DATASET = ("urn:test:tumen-genetics", "Leopard scat genotypes of the Tumen borderland")


def sample(sample_id, point, genotype="", *, name=LEOPARD, kind="scat", date="2015-03-20"):
    lat, lon = point
    return [
        sample_id, date, str(lat + 0.001), str(lon + 0.001), "20", name, kind, genotype,
        "Test genetics laboratory", *DATASET,
    ]  # fmt: skip


def samples():
    return [
        sample("S-1", CHINA_STATION, "G-07"),
        sample("S-2", RUSSIA_STATION, "G-07", kind="hair"),
        sample("S-3", RUSSIA_STATION, ""),
        sample("S-4", RUSSIA_STATION, "", name="Sus scrofa"),
    ]


def test_samples_of_one_genotype_are_one_individual(
    tmp_path, leopard, hunchun, tumen_china, tumen_russia
):
    path = write_csv(tmp_path / "samples.csv", HEADER, samples())
    run = dry_run(path, format="genetic")
    assert run.status == ImportStatus.CHECKED, run.report
    assert (run.counts["created"], run.counts["skipped"]) == (3, 1)
    assert "Sus scrofa (1)" in " ".join(run.report["notes"])
    assert not GeneticSample.objects.exists()

    run = apply(run)
    assert run.status == ImportStatus.APPLIED, run.report
    dataset = MonitoringDataset.objects.get()
    assert (dataset.identifier, dataset.title, dataset.kind) == (*DATASET, "genetic")
    g07 = Individual.objects.get(code="G-07")
    assert g07.species == leopard and g07.dataset == dataset
    assert {s.sample_id for s in g07.genetic_samples.all()} == {"S-1", "S-2"}
    assert {s.country for s in g07.genetic_samples.all()} == {tumen_china, tumen_russia}
    s1 = GeneticSample.objects.select_related("occurrence").get(sample_id="S-1")
    assert s1.protected_area == hunchun
    assert s1.occurrence.basis_of_record == BasisOfRecord.SPECIMEN
    assert s1.occurrence.location.equals(s1.location)
    assert s1.occurrence.protected_area == hunchun
    assert not s1.occurrence.is_published
    assert s1.history.first().history_change_reason == "Imported from samples.csv"
    assert GeneticSample.objects.get(sample_id="S-3").individual is None

    again = apply(dry_run(write_csv(tmp_path / "again.csv", HEADER, samples()), format="genetic"))
    assert (again.counts["created"], again.counts["updated"], again.counts["unchanged"]) == (
        0,
        0,
        3,
    )
    assert Occurrence.objects.count() == 3


def test_a_genotype_of_the_camera_dataset_joins_its_individual(tmp_path, leopard):
    """Samples filed under the camera package's dataset and its individual's code are more
    detections of that individual."""
    identifier = "https://doi.org/10.0000/test-tumen-leopards"
    apply(dry_run(tumen_package(identifier).write_zip(tmp_path / "p.zip"), format="camtrap_dp"))
    rows = [sample("S-9", RUSSIA_STATION, "L-01")]
    rows[0][-2:] = [identifier, ""]
    run = apply(dry_run(write_csv(tmp_path / "s.csv", HEADER, rows), format="genetic"))
    assert run.status == ImportStatus.APPLIED, run.report
    l01 = Individual.objects.get(code="L-01")
    assert l01.genetic_samples.get().sample_id == "S-9"
    assert l01.camera_observations.count() == 2


def test_bad_rows_refuse_the_file(tmp_path, leopard):
    rows = [
        sample("S-1", CHINA_STATION, "G-1"),
        sample("S-1", CHINA_STATION, "G-1"),  # twice
        sample("S-2", CHINA_STATION, kind="blood"),
        sample("S-3", (38.0, 134.0)),  # at sea
        sample("S-4", CHINA_STATION, date="20/03/2015"),
    ]
    from tests import factories  # noqa: PLC0415

    factories.SpeciesFactory(scientific_name="Panthera tigris altaica")
    rows.append(sample("S-5", CHINA_STATION, "G-1", name="Panthera tigris altaica"))
    run = dry_run(write_csv(tmp_path / "bad.csv", HEADER, rows), format="genetic")
    assert run.status == ImportStatus.REFUSED
    rules = {
        row["label"]: row["issues"][0]["rule"]
        for row in run.report["rows"]
        if row["outcome"] == "error"
    }
    assert rules == {
        "S-1 (urn:test:tumen-genetics)": "unique",
        "S-2 (urn:test:tumen-genetics)": "enum",
        "S-3 (urn:test:tumen-genetics)": "country",
        "S-4 (urn:test:tumen-genetics)": "date",
        "S-5 (urn:test:tumen-genetics)": "individual_species",
    }
    assert not GeneticSample.objects.exists()


def test_a_missing_column_is_named(tmp_path, leopard):
    path = write_csv(tmp_path / "s.csv", HEADER[:-3], [sample("S-1", CHINA_STATION)[:-3]])
    run = dry_run(path, format="genetic")
    assert run.status == ImportStatus.REFUSED
    assert "dataset_id" in run.report["refusal"]


def test_the_command(tmp_path, leopard):
    call_command("import_genetic", str(write_csv(tmp_path / "s.csv", HEADER, samples()[:1])))
    assert GeneticSample.objects.count() == 1


def test_a_published_sample_is_a_material_sample_in_the_darwin_core_archive(
    tmp_path, leopard, client, django_capture_on_commit_callbacks, fresh_archive
):
    from common.models import PublicationState  # noqa: PLC0415
    from tests.opendata.test_no_leaks import download_texts  # noqa: PLC0415

    apply(dry_run(write_csv(tmp_path / "s.csv", HEADER, samples()[:1]), format="genetic"))
    with django_capture_on_commit_callbacks(execute=True):
        Occurrence.objects.update(publication_state=PublicationState.PUBLISHED)
    fresh_archive()
    core = download_texts(client)["dwca:occurrence.txt"]
    assert "MaterialSample" in core
    assert "PreservedSpecimen" not in core
    lat, lon = CHINA_STATION
    assert f"{lat + 0.001:.4f}" not in core and f"{lon + 0.001:.4f}" not in core
