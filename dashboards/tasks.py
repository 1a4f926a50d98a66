"""Celery tasks: thin wrappers that take an indicator slug and call the services."""

from celery import shared_task
from django.conf import settings

from common.queueing import REBUILD_TASK_OPTIONS, TRANSIENT_ERRORS

from .registry import INDICATORS
from .services import (
    dashboard_rebuild_claim,
    dashboard_snapshot_rebuild,
    dashboard_stale_requests_reclaim,
)


@shared_task(
    bind=True,
    **REBUILD_TASK_OPTIONS,
    time_limit=settings.DASHBOARDS_TASK_TIME_LIMIT,
    soft_time_limit=settings.DASHBOARDS_TASK_TIME_LIMIT - 30,
)
def rebuild_dashboard(self, indicator: str, requested: bool = False) -> int | None:
    """Rebuild one indicator; safe to run twice (the second run only confirms the figures).

    Every run first claims the rebuild that edits queued, so edits saved from then on queue
    a new one. A run sent for that request (`requested`) that finds nothing to claim stops:
    another run claimed it after the edits were saved and computes them (the same task
    delivered twice, or a rebuild from the admin or the schedule). A retry goes on: its first
    attempt made the claim. Returns the snapshot's id, or None when it stopped."""
    claimed = dashboard_rebuild_claim(indicator=indicator)
    if requested and not claimed and not self.request.retries:
        return None
    return dashboard_snapshot_rebuild(indicator=indicator).pk


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=5, max_retries=5, time_limit=60)
def rebuild_all_dashboards() -> list[str]:
    """The periodic schedule: one task per indicator, so one failure does not stop the rest."""
    for indicator in INDICATORS:
        rebuild_dashboard.delay(indicator)
    return list(INDICATORS)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=5, max_retries=5, time_limit=60)
def requeue_lost_dashboard_rebuilds() -> list[str]:
    """The schedule's sweep (`CELERY_BEAT_SCHEDULE`): rebuilds that edits queued and whose
    task was lost with a worker are sent again, without waiting for the next edit."""
    indicators = dashboard_stale_requests_reclaim()
    for indicator in indicators:
        rebuild_dashboard.apply_async(args=[indicator], kwargs={"requested": True})
    return indicators
