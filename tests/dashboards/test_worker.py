"""A real Celery worker against Redis and PostGIS sees an edit and writes a snapshot."""

import pytest
from django.db import transaction
from django_celery_results.models import TaskResult

from dashboards.models import DashboardRebuildRequest, DashboardSnapshot
from tests.conftest import RESULT_TIMEOUT_SECONDS, celery_worker
from tests.factories import DecisionFactory


@pytest.fixture
def redis_worker(celery_app, redis_broker, settings):
    settings.DASHBOARDS_REBUILD_DELAY_SECONDS = 0
    with celery_worker(celery_app) as worker:
        yield worker


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
