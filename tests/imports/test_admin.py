"""Admin → Imports: upload, the dry run's report, confirm (tasks run eagerly, no broker)."""

import pytest
from django.urls import reverse

from imports.models import Import, ImportStatus
from imports.services import import_create_from_path
from protected_areas.models import ProtectedArea
from tests import factories

from .files import bowtie, polygon, wdpa_feature, write_gpkg

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def upload(client, path, capture, **fields):
    with path.open("rb") as handle, capture(execute=True):
        return client.post(
            reverse("admin:imports_import_add"),
            {"format": "wdpa", "file": handle, "iso3": "", **fields},
        )


def test_upload_report_confirm(
    admin_client, tmp_path, countries, django_capture_on_commit_callbacks
):
    shipped = factories.ProtectedAreaFactory(name="Tiger Valley", country=countries["RUS"])
    path = write_gpkg(
        tmp_path / "WDPA_Jun2024.gpkg",
        [
            wdpa_feature(polygon(131.0, 43.0), WDPAID=1, NAME="Tiger Valley"),
            wdpa_feature(polygon(132.0, 44.0), WDPAID=2, NAME="Crane Marsh"),
        ],
    )

    response = upload(admin_client, path, django_capture_on_commit_callbacks)

    run = Import.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:imports_import_change", args=[run.pk])
    assert run.status == ImportStatus.CHECKED
    assert ProtectedArea.objects.count() == 1

    page = admin_client.get(response["Location"]).content.decode()
    assert "What the import would do" in page
    assert "Crane Marsh" in page
    assert 'name="proposal-1"' in page
    assert f'<option value="{shipped.pk}">Update “Tiger Valley (RUS)”' in page

    progress = admin_client.get(reverse("admin:imports_import_progress", args=[run.pk])).json()
    assert progress == {
        "status": "checked",
        "label": "Dry run done: ready to apply",
        "running": False,
        "done": 2,
        "total": 2,
        "message": run.message,
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:imports_import_confirm", args=[run.pk]), {"proposal-1": shipped.pk}
        )
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED
    assert run.applied_by.username == "importer"
    shipped.refresh_from_db()
    assert shipped.wdpa_id == 1
    assert ProtectedArea.objects.count() == 2
    page = admin_client.get(response["Location"]).content.decode()
    assert "What was done" in page
    assert "Confirm and apply" not in page


def test_a_refused_file_offers_no_confirm_button(
    admin_client, tmp_path, countries, django_capture_on_commit_callbacks
):
    path = write_gpkg(tmp_path / "bad.gpkg", [wdpa_feature(bowtie(131, 43), WDPAID=1, NAME="B")])

    response = upload(admin_client, path, django_capture_on_commit_callbacks)

    page = admin_client.get(response["Location"]).content.decode()
    assert "Refused: nothing can be applied" in page
    assert "crosses itself" in page
    assert "Confirm and apply" not in page
    response = admin_client.post(
        reverse("admin:imports_import_confirm", args=[Import.objects.get().pk])
    )
    assert Import.objects.get().status == ImportStatus.REFUSED
    assert not ProtectedArea.objects.exists()


def test_an_oversized_upload_is_refused_by_the_form(admin_client, tmp_path, settings, countries):
    settings.IMPORT_MAX_BYTES = 100
    path = write_gpkg(tmp_path / "big.gpkg", [wdpa_feature(polygon(131, 43), WDPAID=1, NAME="B")])

    with path.open("rb") as handle:
        response = admin_client.post(
            reverse("admin:imports_import_add"), {"format": "wdpa", "file": handle}
        )

    assert response.status_code == 200
    assert "imports may be at most 100" in response.content.decode()
    assert not Import.objects.exists()


def test_a_focal_point_sees_only_its_own_imports(
    client, tmp_path, countries, mongolia_focal_point, superuser
):
    path = write_gpkg(tmp_path / "a.gpkg", [wdpa_feature(polygon(131, 43), WDPAID=1, NAME="B")])
    theirs = import_create_from_path(user=superuser, format="wdpa", path=path)
    client.force_login(mongolia_focal_point)

    listing = client.get(reverse("admin:imports_import_changelist"))
    assert listing.status_code == 200
    assert client.get(reverse("admin:imports_import_change", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("admin:imports_import_add")).status_code == 200


def test_the_report_reads_in_the_editors_language(
    admin_client, tmp_path, countries, django_capture_on_commit_callbacks
):
    """A focal point in Moscow reads the dry run in Russian, outcomes included (the stored
    report keeps its codes)."""
    path = write_gpkg(
        tmp_path / "WDPA_Jun2024.gpkg",
        [wdpa_feature(polygon(132.0, 44.0), WDPAID=2, NAME="Crane Marsh")],
    )
    response = upload(admin_client, path, django_capture_on_commit_callbacks)
    assert Import.objects.get().report["rows"][0]["outcome"] == "created"

    admin_client.cookies["django_language"] = "ru"
    page = admin_client.get(response["Location"]).content.decode()

    assert "Что сделает импорт" in page
    assert "Пробный прогон завершён: можно применить" in page
    assert "создано: 1" in page
    assert '<span class="outcome outcome--created">создано</span>' in page
    assert "created: 1" not in page
