"""`make run` uses an embedded SpatiaLite file: the archive must build there too, from the
shipped dataset (run in a subprocess because the suite's own database is PostGIS)."""

import pytest

from tests.conftest import manage_on_spatialite
from tests.opendata.conftest import read_rows

pytestmark = pytest.mark.spatialite


def test_the_archive_of_the_shipped_dataset_builds_on_spatialite(tmp_path, settings):
    database_url = f"spatialite:///{tmp_path / 'portal.sqlite3'}"
    archive = tmp_path / "dwca.zip"
    for command in (
        ["migrate", "--noinput"],
        ["load_neaspec"],
        ["export_dwca", str(archive)],
        ["export_dwca"],
    ):
        result = manage_on_spatialite(*command, database_url=database_url)
        assert result.returncode == 0, result.stderr
    rows = list(read_rows(archive).values())
    generalised = [row for row in rows if row["dataGeneralizations"]]
    assert rows and generalised  # the big cats' records
    assert all(row["locality"] == "" for row in generalised)
    assert {row["countryCode"] for row in rows} <= {"CN", "JP", "KR", "RU", "MN", "KP"}
    # The served copy, rebuilt by the command, is the same archive.
    served = settings.OPENDATA_ROOT / "occurrences-dwca.zip"
    assert served.read_bytes() == archive.read_bytes()
