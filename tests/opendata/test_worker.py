"""With a broker and a worker (Redis, PostGIS, a real Celery worker): a burst of edits is
rebuilt once, by the worker; until then a download serves the last files built, and says
which data they hold."""

import datetime
import json
from types import SimpleNamespace

import pytest
from django.db import transaction

from common.dataversion import data_version
from opendata.layer_files import layer_files_publish, read_manifest
from opendata.pending import KEY
from opendata.services import occurrence_archive_manifest, occurrence_archive_publish
from tests.conftest import RESULT_TIMEOUT_SECONDS, celery_worker
from tests.factories import OccurrenceFactory
from tests.opendata.conftest import ARCHIVE_URL, occurrence_id, read_rows

# Committed edits, seen by the worker's own connection.
pytestmark = pytest.mark.django_db(transaction=True)

REBUILD_TASK = "opendata.tasks.rebuild_open_data_files"


@pytest.fixture
def queue(world, settings, redis_broker, sent_tasks):
    """The files as built before the edits (tasks eager: the edits of `world` built none),
    then a broker that keeps the tasks edits send (`sent`) until a worker starts."""
    occurrence_archive_publish()
    layer_files_publish()
    settings.OPENDATA_REBUILD_DELAY_SECONDS = 0
    # Only the open data's tasks (a dashboard's would move the data version too).
    settings.DASHBOARDS_REBUILD_ON_EDIT = False
    return SimpleNamespace(redis=redis_broker, sent=sent_tasks)


def download(client, url, path, **headers):
    response = client.get(url, headers=headers)
    if response.status_code == 200:
        path.write_bytes(b"".join(response.streaming_content))
    return response


def test_a_burst_of_edits_is_rebuilt_once_by_the_worker(world, client, tmp_path, celery_app, queue):
    before = download(client, ARCHIVE_URL, tmp_path / "before.zip")
    layers_before = read_manifest()

    records = []
    for _ in range(3):
        with transaction.atomic():
            records.append(OccurrenceFactory(species=world.crane))
    # Three transactions, one rebuild queued: the mark in Redis held back the other two.
    [(task_name, task_id)] = queue.sent
    assert task_name == REBUILD_TASK
    assert queue.redis.exists(KEY)

    # No worker yet: a download gets the last archive built, with its own date and ETag.
    during = download(client, ARCHIVE_URL, tmp_path / "during.zip")
    assert during.status_code == 200
    assert (during["ETag"], during["Last-Modified"]) == (before["ETag"], before["Last-Modified"])
    assert (tmp_path / "during.zip").read_bytes() == (tmp_path / "before.zip").read_bytes()
    geojson = b"".join(client.get("/downloads/occurrences.geojson").streaming_content)
    assert len(json.loads(geojson)["features"]) == 4
    # The page names the version the files hold, not the records' latest, and says so.
    page = client.get("/downloads/").content.decode()
    version = datetime.datetime.fromisoformat(layers_before["version"])
    assert f"{version:%Y-%m-%d %H:%M} UTC" in page
    assert "Newer data may not be in these files yet" in page
    # The download asked for no second rebuild: one is queued.
    assert len(queue.sent) == 1

    with celery_worker(celery_app):
        celery_app.AsyncResult(task_id).get(timeout=RESULT_TIMEOUT_SECONDS)

    after = download(client, ARCHIVE_URL, tmp_path / "after.zip")
    assert after["ETag"] != before["ETag"]
    rows = read_rows(tmp_path / "after.zip")
    assert all(occurrence_id(record) in rows for record in records)
    geojson = b"".join(client.get("/downloads/occurrences.geojson").streaming_content)
    assert len(json.loads(geojson)["features"]) == 7
    assert occurrence_archive_manifest()["data_version"] == data_version()
    assert read_manifest()["data_version"] == data_version()
    page = client.get("/downloads/").content.decode()
    assert "Newer data may not be in these files yet" not in page
    # The run cleared the mark: the next edit queues the next rebuild.
    assert not queue.redis.exists(KEY)
    with transaction.atomic():
        OccurrenceFactory(species=world.crane)
    assert [name for name, _id in queue.sent] == [REBUILD_TASK, REBUILD_TASK]


def test_stale_files_whose_rebuild_was_lost_are_queued_again_by_a_download(
    world, client, tmp_path, queue
):
    with transaction.atomic():
        OccurrenceFactory(species=world.crane)
    assert len(queue.sent) == 1
    # The task and its mark lost (a broker restarted without its data, say).
    queue.redis.flushdb()
    assert download(client, ARCHIVE_URL, tmp_path / "a.zip").status_code == 200
    assert len(queue.sent) == 2
    assert queue.redis.exists(KEY)
