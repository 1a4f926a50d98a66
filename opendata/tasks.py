"""Celery tasks of the open data: thin wrappers around the services."""

from celery import shared_task
from django.conf import settings

from common.queueing import REBUILD_TASK_OPTIONS

from .layer_files import layer_files_publish
from .pending import rebuild_mark_clear
from .services import occurrence_archive_publish


@shared_task(
    bind=True,
    **REBUILD_TASK_OPTIONS,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    soft_time_limit=settings.CELERY_TASK_TIME_LIMIT - 30,
)
def rebuild_open_data_files(self) -> dict:
    """Rebuild the Darwin Core Archive and the downloads page's layer files where data
    changed since they were built; safe to run twice (a second run finds them current).

    It first clears the mark of the rebuild queued (opendata.pending), so that edits saved
    from then on queue another: what this run reads may miss them."""
    rebuild_mark_clear(broker_url=self.app.conf.broker_url)
    archive = occurrence_archive_publish(only_if_stale=True)
    layers = layer_files_publish(only_if_stale=True)
    return {"archive": str(archive), "layers_data_version": layers["data_version"]}
