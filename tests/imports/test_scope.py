"""A focal point imports as it edits in the admin: only its countries' records. A file that
touches another country's record is refused whole, and the report names the rows."""

import pytest
from django.core.exceptions import PermissionDenied

from common.models import PublicationState
from imports.models import ImportStatus
from imports.services import import_confirm
from protected_areas.models import ProtectedArea
from tests import factories

from .files import polygon, wdpa_feature, write_geojson
from .runs import apply, dry_run

pytestmark = pytest.mark.django_db


def mongolian(wdpa_id: int, name: str) -> dict:
    return wdpa_feature(polygon(103.0, 45.0), WDPAID=wdpa_id, NAME=name, ISO3="MNG")


def test_a_file_of_the_focal_points_countries_is_applied(tmp_path, countries, mongolia_focal_point):
    path = write_geojson(tmp_path / "mn.geojson", [mongolian(1, "Khan Khentii")])

    run = apply(dry_run(path, format="wdpa", user=mongolia_focal_point), user=mongolia_focal_point)

    assert run.status == ImportStatus.APPLIED
    area = ProtectedArea.objects.get(wdpa_id=1)
    assert area.publication_state == PublicationState.DRAFT
    assert area.history.latest().history_user == mongolia_focal_point


def test_a_row_creating_a_record_of_another_country_refuses_the_whole_file(
    tmp_path, countries, mongolia_focal_point
):
    rows = [
        mongolian(1, "Khan Khentii"),
        wdpa_feature(polygon(131.0, 43.0), WDPAID=2, NAME="Russian one", ISO3="RUS"),
        mongolian(3, "Gobi"),
    ]
    path = write_geojson(tmp_path / "mixed.geojson", rows)

    run = dry_run(path, format="wdpa", user=mongolia_focal_point)

    assert run.status == ImportStatus.REFUSED
    refused = [row for row in run.report["rows"] if row["outcome"] == "error"]
    assert [row["row"] for row in refused] == [2]
    assert refused[0]["issues"][0]["rule"] == "country_scope"
    assert "outside your countries" in refused[0]["issues"][0]["message"]
    assert "rows 2" in run.message
    # The dry run wrote the rows to check them, and rolled everything back.
    assert not ProtectedArea.objects.exists()
    assert not ProtectedArea.history.exists()


def test_a_row_updating_another_countrys_record_is_refused(
    tmp_path, countries, mongolia_focal_point
):
    russian = factories.ProtectedAreaFactory(
        country=countries["RUS"], wdpa_id=2, name="Russian one", boundary_quality="approximate"
    )
    rows = [
        mongolian(1, "Khan Khentii"),
        wdpa_feature(polygon(131.0, 43.0), WDPAID=2, NAME="Renamed", ISO3="RUS"),
    ]

    run = dry_run(
        write_geojson(tmp_path / "mixed.geojson", rows), format="wdpa", user=mongolia_focal_point
    )

    assert run.status == ImportStatus.REFUSED
    [refused] = [row for row in run.report["rows"] if row["outcome"] == "error"]
    assert refused["row"] == 2
    assert "is not a record of your countries" in refused["issues"][0]["message"]
    russian.refresh_from_db()
    assert russian.wdpa_attributes == {}
    assert ProtectedArea.objects.count() == 1


def test_the_apply_checks_the_scope_again(tmp_path, countries, mongolia_focal_point):
    """The database may change between the dry run and the apply: the apply checks anew."""
    path = write_geojson(tmp_path / "mn.geojson", [mongolian(1, "Khan Khentii")])
    run = dry_run(path, format="wdpa", user=mongolia_focal_point)
    assert run.status == ImportStatus.CHECKED
    factories.ProtectedAreaFactory(country=countries["RUS"], wdpa_id=1, name="Moved meanwhile")

    run = apply(run, user=mongolia_focal_point)

    assert run.status == ImportStatus.REFUSED
    assert ProtectedArea.objects.get(wdpa_id=1).name == "Moved meanwhile"


def test_another_focal_point_cannot_apply_someone_elses_import(
    tmp_path, countries, mongolia_focal_point, django_user_model
):
    other = django_user_model.objects.create_user("other", "o@example.org", "pw", is_staff=True)
    path = write_geojson(tmp_path / "mn.geojson", [mongolian(1, "Khan Khentii")])
    run = dry_run(path, format="wdpa", user=mongolia_focal_point)

    with pytest.raises(PermissionDenied):
        import_confirm(import_run=run, user=other, decisions={})
