"""The archive as served at /downloads/occurrences-dwca.zip and written by export_dwca, and
what edits do to it without a broker (`make run`, tasks eager): nothing in their request;
the next download finds it stale and builds it. (With a worker: test_worker.py.)"""

import datetime
import io
import time

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import transaction

from common.models import PublicationState
from governance.services import publication_publish
from opendata.services import (
    occurrence_archive_manifest,
    occurrence_archive_path,
    occurrence_archive_publish,
)
from tests.factories import OccurrenceFactory, SpeciesFactory
from tests.opendata.conftest import ARCHIVE_URL, occurrence_id, read_rows

pytestmark = pytest.mark.django_db


def download(client, path, **headers):
    response = client.get(ARCHIVE_URL, headers=headers)
    if response.status_code == 200:
        path.write_bytes(b"".join(response.streaming_content))
    return response


def test_an_edit_builds_nothing_in_its_request(
    world, client, tmp_path, django_capture_on_commit_callbacks
):
    download(client, tmp_path / "before.zip")
    built = occurrence_archive_path().stat().st_mtime_ns
    manifest = occurrence_archive_manifest()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        record = OccurrenceFactory(species=world.crane)
    # Committed, its hooks run: the files are as they were.
    assert occurrence_archive_path().stat().st_mtime_ns == built
    assert occurrence_archive_manifest() == manifest
    # The next download finds the archive stale, and no worker to rebuild it: it builds it.
    download(client, tmp_path / "after.zip")
    assert occurrence_id(record) in read_rows(tmp_path / "after.zip")


def test_the_first_download_builds_the_archive(world, client, tmp_path):
    assert not occurrence_archive_path().exists()
    response = download(client, tmp_path / "served.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert occurrence_archive_path().exists()
    assert occurrence_id(world.crane_survey) in read_rows(tmp_path / "served.zip")


def test_the_command_writes_the_archive_the_portal_serves(world, client, tmp_path):
    download(client, tmp_path / "served.zip")
    out = io.StringIO()
    call_command("export_dwca", str(tmp_path / "exported.zip"), stdout=out)
    assert "4 occurrences of 2 species (1 generalised)" in out.getvalue()
    assert (tmp_path / "exported.zip").read_bytes() == (tmp_path / "served.zip").read_bytes()


def test_the_command_without_a_path_rebuilds_the_served_copy(world):
    out = io.StringIO()
    call_command("export_dwca", stdout=out)
    assert occurrence_archive_path().exists()
    assert str(occurrence_archive_path()) in out.getvalue()


def test_a_matching_etag_or_date_gets_a_304(world, client, tmp_path):
    first = download(client, tmp_path / "a.zip")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"] and "public" in first["Cache-Control"]

    again = client.get(ARCHIVE_URL, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert not again.content
    assert client.get(ARCHIVE_URL, headers={"If-Modified-Since": last_modified}).status_code == 304
    assert download(client, tmp_path / "b.zip", **{"If-None-Match": '"other"'}).status_code == 200


def test_a_rebuild_of_unchanged_data_keeps_the_file_and_its_etag(world, client, tmp_path):
    etag = download(client, tmp_path / "a.zip")["ETag"]
    time.sleep(0.01)
    occurrence_archive_publish()
    assert client.get(ARCHIVE_URL, headers={"If-None-Match": etag}).status_code == 304


def test_publishing_a_new_occurrence_shows_in_the_next_download(
    world, client, tmp_path, django_capture_on_commit_callbacks, django_user_model
):
    etag = download(client, tmp_path / "before.zip")["ETag"]
    editor = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        crane = SpeciesFactory(
            scientific_name="Antigone vipio",
            slug="white-naped-crane",
            taxon_group="bird",
            publication_state=PublicationState.IN_REVIEW,
        )
        record = OccurrenceFactory(
            species=crane,
            event_date=datetime.date(2024, 1, 15),
            location=Point(127.2, 38.2, srid=4326),
            basis_of_record="survey",
        )
    # Saved in review: absent from the next download.
    download(client, tmp_path / "in-review.zip")
    assert occurrence_id(record) not in read_rows(tmp_path / "in-review.zip")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publication_publish(user=editor, queryset=type(crane).objects.filter(pk=crane.pk))
    assert len(callbacks) >= 1

    response = download(client, tmp_path / "after.zip", **{"If-None-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    row = read_rows(tmp_path / "after.zip")[occurrence_id(record)]
    assert row["scientificName"] == "Antigone vipio"
    assert row["eventDate"] == "2024-01-15"


def test_a_bulk_edit_asks_for_one_rebuild(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for _ in range(20):
            OccurrenceFactory(species=world.crane)
    assert len([c for c in callbacks if hasattr(c, "rebuild_waiting")]) == 1


def test_an_edit_saves_when_the_broker_is_down(
    world, client, tmp_path, broker_down, django_capture_on_commit_callbacks
):
    download(client, tmp_path / "before.zip")
    built = occurrence_archive_path().stat().st_mtime_ns
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        record = OccurrenceFactory(species=world.crane)
    assert time.monotonic() - started < 3, "an unreachable broker must fail fast"
    assert type(record).objects.filter(pk=record.pk).exists()
    assert occurrence_archive_path().stat().st_mtime_ns == built
    # And a download still serves the last archive built.
    response = download(client, tmp_path / "during.zip")
    assert response.status_code == 200
    assert (tmp_path / "during.zip").read_bytes() == (tmp_path / "before.zip").read_bytes()
