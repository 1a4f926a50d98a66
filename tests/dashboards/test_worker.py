"""A real Celery worker against Redis and PostGIS sees an edit and writes a snapshot."""

import os
import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.db import transaction
from django_celery_results.models import TaskResult

from dashboards.models import DashboardSnapshot
from tests.factories import DecisionFactory

# A Redis database of the dashboards' own, so other test runs on the machine do not collide.
REDIS_URL = os.environ.get("DASHBOARDS_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")


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


@pytest.mark.django_db(transaction=True)
def test_worker_writes_a_snapshot_after_an_edit(redis_worker):
    with transaction.atomic():
        DecisionFactory(follow_up_status="in_progress")
    deadline = time.monotonic() + 30
    snapshot = None
    while snapshot is None and time.monotonic() < deadline:
        snapshot = DashboardSnapshot.objects.filter(indicator="meeting-follow-up").first()
        time.sleep(0.2)
    assert snapshot is not None, "no snapshot within 30 s of the edit"
    assert snapshot.data["totals"] == {"pending": 0, "in_progress": 1, "done": 0, "total": 1}
    # The edit queued only the indicator it affects.
    assert set(DashboardSnapshot.objects.values_list("indicator", flat=True)) == {
        "meeting-follow-up"
    }
    # The run is visible in the admin's task results (django-celery-results).
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if TaskResult.objects.filter(
            task_name="dashboards.tasks.rebuild_dashboard", status="SUCCESS"
        ).exists():
            return
        time.sleep(0.2)
    pytest.fail("the task run was not recorded in the task results")
