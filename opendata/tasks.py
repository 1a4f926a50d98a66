"""Celery tasks of the open data: thin wrappers around the services."""

from celery import shared_task
from django.conf import settings

from common.queueing import REBUILD_TASK_OPTIONS

from .services import occurrence_archive_publish


@shared_task(
    **REBUILD_TASK_OPTIONS,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    soft_time_limit=settings.CELERY_TASK_TIME_LIMIT - 30,
)
def rebuild_occurrence_archive() -> str:
    """Rebuild the served Darwin Core Archive; safe to run twice (the second run finds the
    same bytes and leaves the file as it is)."""
    return str(occurrence_archive_publish())
