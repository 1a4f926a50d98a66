"""Celery tasks of the map: thin wrappers around the services."""

import django.db
from celery import shared_task

from .models import OccurrenceGridState
from .services import occurrence_grid_rebuild


@shared_task(
    autoretry_for=(django.db.OperationalError, django.db.InterfaceError),
    retry_backoff=5,
    max_retries=5,
    time_limit=10 * 60,
)
def rebuild_stale_occurrence_grid() -> int:
    """The periodic schedule: recount only if an occurrence or species changed since the
    last rebuild. Safe to run twice: the second run finds the grid fresh and does nothing."""
    if OccurrenceGridState.objects.filter(stale=False).exists():
        return 0
    return occurrence_grid_rebuild()
