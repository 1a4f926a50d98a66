"""What the public and the admin show of imported camera-trap records: published leopard
occurrences appear generalised everywhere (map layer, REST API, OGC API, downloads, the
Darwin Core Archive), never at a station's exact point; the monitoring admin is staff's,
and a reviewer sees a station's point withheld."""

import pytest
from django.urls import reverse

from common.models import PublicationState
from governance.services import REVIEWER, roles_setup
from imports.models import ImportStatus
from monitoring.models import CameraStation, GeneticSample, MonitoringDataset
from species.models import Occurrence
from tests.monitoring.camtrap_package import CHINA_STATION, RUSSIA_STATION, tumen_package
from tests.opendata.test_no_leaks import crawl, download_texts

from .runs import apply, dry_run

pytestmark = pytest.mark.django_db


def station_coordinate_texts() -> list[str]:
    texts = []
    for lat, lon in (CHINA_STATION, RUSSIA_STATION):
        for digits in (3, 4, 5):
            texts += [f"{lat:.{digits}f}", f"{lon:.{digits}f}"]
    return texts


@pytest.fixture
def published(tmp_path, leopard, django_capture_on_commit_callbacks, fresh_archive):
    run = apply(dry_run(tumen_package().write_zip(tmp_path / "p.zip"), format="camtrap_dp"))
    assert run.status == ImportStatus.APPLIED, run.report
    with django_capture_on_commit_callbacks(execute=True):
        Occurrence.objects.update(publication_state=PublicationState.PUBLISHED)
        MonitoringDataset.objects.update(publication_state=PublicationState.PUBLISHED)
    fresh_archive()
    return run


def test_public_responses_never_carry_a_station_point(published, client):
    texts = {**crawl(client), **download_texts(client)}
    for path in ("/api/map/occurrences.geojson", "/api/v1/occurrences/?format=json"):
        response = client.get(path)
        assert response.status_code == 200, path
        texts[path] = response.content.decode()
    layer = texts["/api/map/occurrences.geojson"]
    assert layer.count('"Feature"') + layer.count("Feature") >= 1
    assert "Amur leopard" in texts["/api/v1/occurrences/?format=json"]
    [core] = [text for path, text in texts.items() if path == "dwca:occurrence.txt"]
    assert core.count("MachineObservation") == 3
    for path, text in texts.items():
        for coordinate in station_coordinate_texts():
            assert coordinate not in text, (path, coordinate)


def test_the_monitoring_admin_is_not_reachable_anonymously(published, client):
    station = CameraStation.objects.first()
    for name in ("monitoringdataset", "camerastation", "media", "cameraobservation"):
        response = client.get(reverse(f"admin:monitoring_{name}_changelist"))
        assert response.status_code == 302 and "/login/" in response["Location"], name
    response = client.get(reverse("admin:monitoring_camerastation_change", args=[station.pk]))
    assert response.status_code == 302


def test_staff_see_the_lists_and_the_exact_point(published, staff_client):
    station = CameraStation.objects.get(deployment_id="CN-01")
    for name in ("monitoringdataset", "camerastation", "media", "cameraobservation"):
        assert staff_client.get(reverse(f"admin:monitoring_{name}_changelist")).status_code == 200
    page = staff_client.get(reverse("admin:monitoring_camerastation_change", args=[station.pk]))
    assert f"{CHINA_STATION[0]:.5f}, {CHINA_STATION[1]:.5f}" in page.content.decode()
    dataset = MonitoringDataset.objects.get()
    page = staff_client.get(reverse("admin:monitoring_monitoringdataset_change", args=[dataset.pk]))
    assert page.status_code == 200
    assert GeneticSample.objects.count() == 0


def test_a_reviewer_sees_the_station_but_not_its_point(published, client, django_user_model):
    roles_setup()
    from django.contrib.auth.models import Group  # noqa: PLC0415

    reviewer = django_user_model.objects.create_user("rev", "r@example.org", "pw", is_staff=True)
    reviewer.groups.add(Group.objects.get(name=REVIEWER))
    client.force_login(reviewer)
    station = CameraStation.objects.get(deployment_id="CN-01")
    page = client.get(reverse("admin:monitoring_camerastation_change", args=[station.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Withheld" in text
    for coordinate in station_coordinate_texts():
        assert coordinate not in text, coordinate
