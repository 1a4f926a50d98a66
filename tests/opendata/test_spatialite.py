"""`make run` uses an embedded SpatiaLite file: the archive must build there too, from the
shipped dataset (run in a subprocess because the suite's own database is PostGIS)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.opendata.conftest import read_rows

pytestmark = pytest.mark.spatialite


def test_the_archive_of_the_shipped_dataset_builds_on_spatialite(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "neaspec_portal.settings.local",
        "DATABASE_URL": f"spatialite:///{tmp_path / 'portal.sqlite3'}",
        "OPENDATA_ROOT": str(tmp_path / "opendata"),
    }
    archive = tmp_path / "dwca.zip"
    for command in (
        ["migrate", "--noinput"],
        ["load_neaspec"],
        ["export_dwca", str(archive)],
        ["export_dwca"],
    ):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    rows = list(read_rows(archive).values())
    generalised = [row for row in rows if row["dataGeneralizations"]]
    assert rows and generalised  # the big cats' records
    assert all(row["locality"] == "" for row in generalised)
    assert {row["countryCode"] for row in rows} <= {"CN", "JP", "KR", "RU", "MN", "KP"}
    # The served copy, rebuilt by the command, is the same archive.
    assert (tmp_path / "opendata" / "occurrences-dwca.zip").read_bytes() == archive.read_bytes()
