"""Celery tasks of the open data: thin wrappers around the services."""

from celery import shared_task
from django.conf import settings

from common.queueing import REBUILD_TASK_OPTIONS

from .layer_files import layer_files_publish
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


@shared_task(
    **REBUILD_TASK_OPTIONS,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    soft_time_limit=settings.CELERY_TASK_TIME_LIMIT - 30,
)
def rebuild_layer_files(only_if_built: bool = True) -> None:
    """Rebuild the downloads page's layer files (GeoJSON, GeoPackage, CSV); safe to run
    twice. By default only files already built are refreshed (see layer_files_publish)."""
    layer_files_publish(only_if_built=only_if_built)
