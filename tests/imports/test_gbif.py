"""GBIF occurrence downloads (Darwin Core Archives written here with the csv layout GBIF uses)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from imports.models import ImportStatus
from species.models import GbifDownload, Occurrence, OccurrenceSource
from tests import factories

from .files import gbif_row, write_gbif_download
from .runs import apply, dry_run, issues, rows_by_outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def cranes(countries):
    return factories.SpeciesFactory(
        scientific_name="Antigone vipio",
        common_name="White-naped crane",
        synonyms="Grus vipio\n",
    )


@pytest.fixture
def reserve(countries):
    return factories.ProtectedAreaFactory(
        name="Crane marsh", country=countries["RUS"], boundary=factories.square(131, 43, 1)
    )


def rows():
    return [
        gbif_row(1001, "Antigone vipio (Pallas, 1811)", 131.5, 43.5),
        gbif_row(1002, "Grus vipio Pallas, 1811", 132.5, 44.5, basisOfRecord="PRESERVED_SPECIMEN"),
        gbif_row(1003, "Ardea cinerea Linnaeus, 1758", 131.5, 43.6),
        gbif_row(
            1004,
            "Antigone vipio",
            131.6,
            43.6,
            license="http://creativecommons.org/licenses/by-nc/4.0/legalcode",
        ),
        gbif_row(1005, "Antigone vipio", 131.7, 43.7, decimalLatitude="", decimalLongitude=""),
    ]


def test_dry_run_then_apply(tmp_path, cranes, reserve):
    path = write_gbif_download(tmp_path / "0012345-240506114902167.zip", rows())

    run = dry_run(path, format="gbif")

    assert run.status == ImportStatus.CHECKED, run.report
    assert run.counts["created"] == 2
    assert run.counts["skipped"] == 3
    skipped = {row["row"]: row["issues"][0]["rule"] for row in rows_by_outcome(run)["skipped"]}
    assert skipped == {3: "species", 4: "licence", 5: "coordinates"}
    assert not Occurrence.objects.exists()
    assert not GbifDownload.objects.exists()
    assert "10.15468/dl.testab" in run.report["notes"][0]

    apply(run)

    download = GbifDownload.objects.get()
    assert download.doi == "10.15468/dl.testab"
    assert download.citation.startswith("GBIF.org (05 June 2024) GBIF Occurrence Download")
    first = Occurrence.objects.get(gbif_source__gbif_id=1001)
    assert first.species == cranes
    assert first.protected_area == reserve
    assert first.coordinate_uncertainty_m == 100
    assert first.count == 3
    assert first.gbif_source.licence.endswith("by/4.0/legalcode")
    assert str(first.gbif_source.dataset_key) == "4fa7b334-ce0d-4e88-aaae-2e0c138d049e"
    assert first.gbif_source.download == download
    assert first.history.latest().history_change_reason.startswith("Imported from 0012345")
    specimen = Occurrence.objects.get(gbif_source__gbif_id=1002)  # matched by its synonym
    assert specimen.basis_of_record == "specimen"
    assert specimen.gbif_source.basis_of_record == "PRESERVED_SPECIMEN"
    assert specimen.protected_area is None


def test_reimport_is_idempotent_and_updates_by_occurrence_id(tmp_path, cranes, reserve):
    apply(dry_run(write_gbif_download(tmp_path / "a.zip", rows()), format="gbif"))
    history = Occurrence.history.count()

    again = apply(dry_run(write_gbif_download(tmp_path / "a.zip", rows()), format="gbif"))
    assert again.counts["unchanged"] == 2
    assert Occurrence.history.count() == history

    changed = rows()
    changed[0]["individualCount"] = "7"
    changed[0]["dataGeneralizations"] = "Coordinates rounded to 0.1 degree"
    newer = apply(dry_run(write_gbif_download(tmp_path / "b.zip", changed), format="gbif"))
    assert newer.counts["updated"] == 1
    occurrence = Occurrence.objects.get(gbif_source__gbif_id=1001)
    assert occurrence.count == 7
    assert occurrence.gbif_source.data_generalizations == "Coordinates rounded to 0.1 degree"
    assert Occurrence.objects.count() == 2


def test_non_commercial_records_are_imported_when_the_setting_allows(
    tmp_path, settings, cranes, reserve
):
    settings.IMPORT_ALLOW_NON_COMMERCIAL_LICENCES = True

    run = dry_run(write_gbif_download(tmp_path / "a.zip", rows()), format="gbif")

    assert run.counts["created"] == 3


def test_an_archive_without_doi_or_columns_is_refused(tmp_path, cranes):
    path = write_gbif_download(tmp_path / "a.zip", rows(), doi="none")
    run = dry_run(path, format="gbif")
    assert run.status == ImportStatus.REFUSED
    assert "names no download DOI" in run.report["refusal"]

    path = write_gbif_download(
        tmp_path / "b.zip", rows(), terms=["gbifID", "scientificName", "eventDate"]
    )
    run = dry_run(path, format="gbif")
    assert run.status == ImportStatus.REFUSED
    assert "lacks the column(s) decimalLatitude, decimalLongitude" in run.report["refusal"]
    assert not Occurrence.objects.exists()


def test_bad_rows_are_reported_and_nothing_is_written(tmp_path, cranes):
    bad = [
        gbif_row(1, "Antigone vipio", 131.5, 43.5),
        gbif_row(2, "Antigone vipio", 231.5, 43.5),
        gbif_row(3, "Antigone vipio", 131.5, 43.5, gbifID="x3"),
    ]

    run = apply_refused(dry_run(write_gbif_download(tmp_path / "a.zip", bad), format="gbif"))

    found = {
        (row["row"], issue["rule"]) for row in run.report["rows"] for issue in row.get("issues", [])
    }
    assert found == {(2, "out_of_range"), (3, "gbif_id")}
    assert not Occurrence.objects.exists()


def apply_refused(run):
    assert run.status == ImportStatus.REFUSED
    return run


def test_a_damaged_or_non_utf8_archive_is_refused(tmp_path, cranes):
    path = write_gbif_download(tmp_path / "a.zip", rows())
    path.write_bytes(path.read_bytes()[:-40])
    assert "not a complete zip" in dry_run(path, format="gbif").report["refusal"]

    latin = [gbif_row(1, "Antigone vipio", 131.5, 43.5, datasetName="Relevés de grues")]
    path = write_gbif_download(tmp_path / "b.zip", latin, encoding="latin-1")
    run = dry_run(path, format="gbif")
    assert run.status == ImportStatus.REFUSED
    [issue] = issues(run)
    assert (issue["field"], issue["rule"]) == ("datasetName", "utf8")
    assert not Occurrence.objects.exists()


def test_the_species_page_cites_the_download(tmp_path, client, cranes, reserve):
    apply(dry_run(write_gbif_download(tmp_path / "a.zip", rows()), format="gbif"))

    page = client.get(cranes.get_absolute_url()).content.decode()

    assert "GBIF.org (05 June 2024) GBIF Occurrence Download" in page
    assert '<a href="https://doi.org/10.15468/dl.testab">doi:10.15468/dl.testab</a>' in page


def test_the_command(tmp_path, cranes, reserve, capsys):
    call_command("import_gbif", str(write_gbif_download(tmp_path / "a.zip", rows())))

    assert OccurrenceSource.objects.count() == 2
    assert "Not a species of the portal" in capsys.readouterr().out


def test_the_occurrence_admin_shows_its_gbif_source(tmp_path, client, superuser, cranes, reserve):
    apply(dry_run(write_gbif_download(tmp_path / "a.zip", rows()), format="gbif"))
    occurrence = Occurrence.objects.get(gbif_source__gbif_id=1001)
    client.force_login(superuser)

    page = client.get(reverse("admin:species_occurrence_change", args=[occurrence.pk]))

    assert 'href="https://www.gbif.org/occurrence/1001">gbifID 1001</a>' in page.content.decode()
    assert "10.15468/dl.testab" in page.content.decode()
