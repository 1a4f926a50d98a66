"""`make backup` / `make restore`: a backup restored into an empty database has every record
and every uploaded file. The scripts run in subprocesses, as an operator would run them."""

import os
import subprocess
import uuid

import psycopg2
import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile

from tests import factories
from tests.conftest import manage_on_spatialite as manage_spatialite

BACKED_UP_APPS = ("protected_areas", "species", "projects", "meetings", "governance", "auth")


def run(script, *args, **env):
    result = subprocess.run(
        [f"scripts/{script}", *args],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "neaspec_portal.settings.local", **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


def postgis_url(name):
    db = settings.DATABASES["default"]
    return f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


def record_ids(cursor_execute):
    ids = {}
    for app_label in BACKED_UP_APPS:
        for model in apps.get_app_config(app_label).get_models():
            rows = cursor_execute(f'SELECT {model._meta.pk.column} FROM "{model._meta.db_table}"')
            ids[model._meta.label] = sorted(row[0] for row in rows)
    return ids


@pytest.fixture
def empty_database_name():
    name = f"neaspec_restore_{uuid.uuid4().hex[:8]}"
    yield name
    db = settings.DATABASES["default"]
    connection = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"],
        port=db["PORT"] or 5432,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    connection.close()


@pytest.mark.skipif(
    "postgis" not in settings.DATABASES["default"]["ENGINE"], reason="the PostGIS round trip"
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("neaspec_dataset")
def test_postgis_backup_restores_every_record_and_file(tmp_path, empty_database_name):
    from django.db import connection  # noqa: PLC0415

    project = factories.ProjectFactory(title="With a report")
    output = factories.OutputFactory(project=project, url="")
    output.file.save("report.pdf", ContentFile(b"%PDF-1.7\nbackup test\n"), save=True)

    def source_rows(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    expected = record_ids(source_rows)
    assert sum(map(len, expected.values())) > 100

    backup = run(
        "backup.sh",
        DATABASE_URL=postgis_url(connection.settings_dict["NAME"]),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        BACKUP_ROOT=str(tmp_path / "backups"),
    )
    assert {p.name for p in (tmp_path / "backups").iterdir()} == {os.path.basename(backup)}

    restored_media = tmp_path / "restored-media"
    run(
        "restore.sh",
        backup,
        DATABASE_URL=postgis_url(empty_database_name),
        MEDIA_ROOT=str(restored_media),
    )

    db = settings.DATABASES["default"]
    restored = psycopg2.connect(
        dbname=empty_database_name,
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"],
        port=db["PORT"] or 5432,
    )
    try:

        def restored_rows(sql):
            with restored.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall()

        assert record_ids(restored_rows) == expected
        (valid_boundaries,) = restored_rows(
            "SELECT count(*) FROM protected_areas_protectedarea WHERE ST_IsValid(boundary)"
        )[0]
        assert valid_boundaries > 20
    finally:
        restored.close()
    assert (restored_media / output.file.name).read_bytes() == b"%PDF-1.7\nbackup test\n"


def test_restore_refuses_to_overwrite_a_database_that_holds_data(tmp_path):
    database = tmp_path / "portal.sqlite3"
    database.write_bytes(b"not empty")
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "MANIFEST").write_text("engine=spatialite\n")
    result = subprocess.run(
        ["scripts/restore.sh", str(tmp_path / "backup")],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "neaspec_portal.settings.local",
            "DATABASE_URL": f"spatialite:///{database}",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "set FORCE=1" in result.stderr
    assert database.read_bytes() == b"not empty"


@pytest.mark.spatialite
def test_spatialite_backup_restores_every_record_and_file(tmp_path):
    source = f"spatialite:///{tmp_path / 'portal.sqlite3'}"
    media = tmp_path / "media"
    (media / "outputs").mkdir(parents=True)
    (media / "outputs" / "minutes.pdf").write_bytes(b"%PDF-1.7\nminutes\n")

    def manage(*args, database_url):
        result = manage_spatialite(*args, database_url=database_url)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    count = (
        "from django.apps import apps; "
        "print(sum(m.objects.count() for a in ('protected_areas', 'species', 'auth') "
        "for m in apps.get_app_config(a).get_models()))"
    )
    manage("migrate", "--noinput", database_url=source)
    manage(
        "shell",
        "--no-imports",
        "-c",
        "from protected_areas.models import Country as C; "
        "from django.contrib.gis.geos import MultiPolygon, Polygon; "
        "C.objects.create(iso_a3='MNG', name='Mongolia', is_member=True, "
        "boundary=MultiPolygon(Polygon.from_bbox((88, 41, 120, 52)), srid=4326)); "
        "from django.contrib.auth.models import User; User.objects.create_user('fp')",
        database_url=source,
    )
    before = manage("shell", "--no-imports", "-c", count, database_url=source)

    backup = run(
        "backup.sh",
        DATABASE_URL=source,
        MEDIA_ROOT=str(media),
        BACKUP_ROOT=str(tmp_path / "backups"),
    )
    target = f"spatialite:///{tmp_path / 'restored' / 'portal.sqlite3'}"
    run("restore.sh", backup, DATABASE_URL=target, MEDIA_ROOT=str(tmp_path / "restored-media"))
    assert manage("shell", "--no-imports", "-c", count, database_url=target) == before
    assert int(before) > 0
    restored_file = tmp_path / "restored-media" / "outputs" / "minutes.pdf"
    assert restored_file.read_bytes() == b"%PDF-1.7\nminutes\n"
