"""Camtrap DP packages → camera stations, media, observations, occurrences and individuals,
through the one import pipeline (dry run, apply, scope, history)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from governance.services import focal_point_assign
from imports.models import Import, ImportedRecord, ImportStatus
from monitoring.models import CameraObservation, CameraStation, Individual, Media, MonitoringDataset
from species.models import BasisOfRecord, Occurrence
from tests.monitoring.camtrap_package import tumen_package

from .runs import apply, dry_run

pytestmark = pytest.mark.django_db


def package_zip(tmp_path, package=None, name="tumen.zip"):
    return (package or tumen_package()).write_zip(tmp_path / name)


def test_dry_run_reports_and_writes_nothing(tmp_path, leopard, hunchun):
    run = dry_run(package_zip(tmp_path), format="camtrap_dp")
    assert run.status == ImportStatus.CHECKED, run.report
    # the dataset and two stations listed; 3 media + 3 leopard observations counted
    assert run.counts["created"] == 1 + 2 + 3 + 3
    assert run.counts["skipped"] == 2
    notes = " ".join(run.report["notes"])
    assert "Capreolus pygargus (1)" in notes
    assert "blank (1)" in notes
    assert not MonitoringDataset.objects.exists()
    assert not CameraStation.objects.exists()
    assert not Occurrence.objects.exists()


def test_apply_writes_stations_observations_occurrences_and_individuals(
    tmp_path, leopard, hunchun, tumen_china, tumen_russia
):
    run = apply(dry_run(package_zip(tmp_path), format="camtrap_dp"))
    assert run.status == ImportStatus.APPLIED, run.report
    dataset = MonitoringDataset.objects.get()
    assert dataset.title == "Amur leopards of the Tumen borderland"
    assert dataset.identifier == "https://doi.org/10.0000/test-tumen-leopards"
    assert dataset.licence == "CC-BY-4.0"
    assert dataset.contributors[0]["title"] == "Test camera network"
    assert dataset.is_published is False

    stations = {s.deployment_id: s for s in CameraStation.objects.all()}
    assert stations["CN-01"].country == tumen_china
    assert stations["CN-01"].protected_area == hunchun
    assert stations["RU-01"].country == tumen_russia
    assert stations["RU-01"].protected_area is None
    assert Media.objects.count() == 3

    observations = CameraObservation.objects.select_related("occurrence", "individual")
    assert observations.count() == 3
    for observation in observations:
        occurrence = observation.occurrence
        assert occurrence.species == leopard
        assert occurrence.basis_of_record == BasisOfRecord.CAMERA_TRAP
        assert occurrence.dataset == dataset.title
        assert occurrence.location.equals(observation.station.location)
        assert occurrence.is_published is False
    l01 = Individual.objects.get(code="L-01")
    assert l01.species == leopard and l01.dataset == dataset and l01.sex == "male"
    assert {o.station.country.iso_a3 for o in l01.camera_observations.all()} == {"CHN", "RUS"}
    assert Individual.objects.count() == 2
    o3 = CameraObservation.objects.get(observation_id="o3")
    assert o3.occurrence.protected_area == hunchun
    assert o3.media.media_id == "m3"

    # history and the import's list of records
    assert dataset.history.first().history_change_reason == "Imported from tumen.zip"
    assert stations["CN-01"].history.count() == 1
    recorded = ImportedRecord.objects.filter(import_run=run)
    assert recorded.filter(content_type__model="occurrence").count() == 3
    assert recorded.filter(content_type__model="camerastation").count() == 2


def test_reimporting_the_same_package_changes_nothing(tmp_path, leopard):
    apply(dry_run(package_zip(tmp_path), format="camtrap_dp"))
    again = apply(dry_run(package_zip(tmp_path, name="again.zip"), format="camtrap_dp"))
    assert again.status == ImportStatus.APPLIED, again.report
    assert again.counts["created"] == 0
    assert again.counts["updated"] == 0
    assert again.counts["unchanged"] == 1 + 2 + 3 + 3
    assert Occurrence.objects.count() == 3
    assert CameraStation.history.count() == 2


def test_a_corrected_observation_updates_it(tmp_path, leopard):
    apply(dry_run(package_zip(tmp_path), format="camtrap_dp"))
    package = tumen_package()
    package.observations[2]["count"] = "2"
    run = apply(dry_run(package_zip(tmp_path, package, "fixed.zip"), format="camtrap_dp"))
    assert run.counts["updated"] == 1, run.report
    o3 = CameraObservation.objects.select_related("occurrence").get(observation_id="o3")
    assert o3.count == 2
    assert o3.occurrence.count == 2


def test_the_command_reads_a_folder(tmp_path, leopard, capsys):
    folder = tumen_package().write_folder(tmp_path / "package")
    call_command("import_camtrap_dp", str(folder))
    assert CameraObservation.objects.count() == 3
    call_command("import_camtrap_dp", str(folder), "--dry-run")
    assert "nothing was changed" in capsys.readouterr().out


def test_a_focal_point_cannot_import_a_station_of_another_country(
    tmp_path, leopard, tumen_russia, django_user_model
):
    from governance.services import roles_setup  # noqa: PLC0415

    roles_setup()
    user = django_user_model.objects.create_user("ru-focal", "ru@example.org", "pw")
    focal_point_assign(user=user, countries=[tumen_russia])
    user = django_user_model.objects.get(pk=user.pk)
    run = dry_run(package_zip(tmp_path), format="camtrap_dp", user=user)
    assert run.status == ImportStatus.REFUSED
    refused = [row for row in run.report["rows"] if row["outcome"] == "error"]
    assert [row["label"] for row in refused] == ["deployments.csv line 2: CN-01"]
    assert refused[0]["issues"][0]["rule"] == "country_scope"
    assert not CameraStation.objects.exists()

    package = tumen_package()
    package.deployments = package.deployments[1:]
    package.media = [m for m in package.media if m["deploymentID"] == "RU-01"]
    package.observations = [o for o in package.observations if o["deploymentID"] == "RU-01"]
    run = dry_run(package_zip(tmp_path, package, "ru.zip"), format="camtrap_dp", user=user)
    run = apply(run, user=user)
    assert run.status == ImportStatus.APPLIED, run.report
    assert CameraObservation.objects.count() == 1


def test_the_admin_upload_reports_progress_and_applies(
    tmp_path, leopard, client, django_user_model, django_capture_on_commit_callbacks
):
    client.force_login(django_user_model.objects.create_superuser("a", "a@example.org", "pw"))
    path = package_zip(tmp_path)
    with path.open("rb") as handle, django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:imports_import_add"), {"format": "camtrap_dp", "file": handle}
        )
    run = Import.objects.get()
    assert response.status_code == 302
    assert run.status == ImportStatus.CHECKED, run.report
    page = client.get(response["Location"]).content.decode()
    assert "deployments.csv line 2: CN-01" in page
    progress = client.get(reverse("admin:imports_import_progress", args=[run.pk])).json()
    assert (progress["done"], progress["total"]) == (11, 11)  # 1 + 2 + 3 + 5 rows
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:imports_import_confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED
    assert CameraObservation.objects.count() == 3
