"""A real Celery worker against Redis and PostGIS sees an edit and writes a snapshot."""

import os

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import after_task_publish
from django.db import transaction
from django_celery_results.models import TaskResult

from dashboards.models import DashboardRebuildRequest, DashboardSnapshot
from tests.factories import DecisionFactory

# A Redis database of the dashboards' own, so other test runs on the machine do not collide.
REDIS_URL = os.environ.get("DASHBOARDS_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")
RESULT_TIMEOUT_SECONDS = 60


@pytest.fixture
def redis_worker(celery_app, settings):
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(f"Redis is needed at {REDIS_URL} (`make test` starts it): {exc}")
    settings.DASHBOARDS_REBUILD_DELAY_SECONDS = 0
    saved = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = REDIS_URL
    with start_worker(
        celery_app, pool="solo", loglevel="WARNING", perform_ping_check=False
    ) as worker:
        yield worker
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = saved


@pytest.fixture
def sent_tasks():
    """(task name, task id) of each task this process sends to the broker."""
    sent = []

    def record(sender=None, headers=None, **kwargs):
        sent.append((sender, headers["id"]))

    after_task_publish.connect(record, weak=False)
    yield sent
    after_task_publish.disconnect(record)


@pytest.mark.django_db(transaction=True)
def test_worker_writes_a_snapshot_after_an_edit(celery_app, redis_worker, sent_tasks):
    with transaction.atomic():
        DecisionFactory(follow_up_status="in_progress")
    # The edit queued one task, for the only indicator it affects.
    [(task_name, task_id)] = sent_tasks
    assert task_name == "dashboards.tasks.rebuild_dashboard"
    # The worker ran it and returned the snapshot it wrote. (The timeout only keeps a
    # broken worker from hanging the suite.)
    snapshot_id = celery_app.AsyncResult(task_id).get(timeout=RESULT_TIMEOUT_SECONDS)
    snapshot = DashboardSnapshot.objects.get(pk=snapshot_id)
    assert snapshot.indicator == "meeting-follow-up"
    assert snapshot.data["totals"] == {"pending": 0, "in_progress": 1, "done": 0, "total": 1}
    assert list(DashboardSnapshot.objects.values_list("pk", flat=True)) == [snapshot_id]
    assert not DashboardRebuildRequest.objects.get(indicator="meeting-follow-up").pending
    # The run is visible in the admin's task results (django-celery-results).
    result = TaskResult.objects.get(task_id=task_id)
    assert (result.task_name, result.status) == ("dashboards.tasks.rebuild_dashboard", "SUCCESS")
