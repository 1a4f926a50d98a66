"""Bringing the served open-data files up to date: the rebuild edits ask for, sent to the
worker once for a burst of edits, and what a download does with files older than the data.

With a worker (REDIS_URL set), nothing is built in a request except the very first files:
a download of stale files gets the last ones built, with their own dates, and queues the
rebuild should none be queued (a task lost with a worker, say). Without one (`make run`,
tasks eager), an edit builds nothing either: the next download finds the files stale and
builds them, as no worker will.

Apart from services.py so that imports run one way: this module imports the tasks, and the
tasks import the services."""

import logging

from django.conf import settings

from common.queueing import BROKER_ERRORS, task_send_fail_fast

from .layer_files import layer_files_publish, read_manifest
from .pending import REDIS_ERRORS, rebuild_mark_clear, rebuild_mark_set
from .services import (
    manifest_is_stale,
    occurrence_archive_manifest,
    occurrence_archive_path,
    occurrence_archive_publish,
)
from .tasks import rebuild_open_data_files

logger = logging.getLogger(__name__)


def rebuilds_run_in_worker() -> bool:
    return not rebuild_open_data_files.app.conf.task_always_eager


def opendata_request_rebuild() -> bool:
    """Queue a rebuild of every open-data file in `OPENDATA_REBUILD_DELAY_SECONDS`, unless one
    is queued already; True if this call queued it. Without a worker it does nothing (see the
    module's docstring). A broker that is down is logged: the edit is saved whatever happens
    to the files, which the next edit or download asks for again."""
    if not rebuilds_run_in_worker():
        return False
    broker_url = rebuild_open_data_files.app.conf.broker_url
    try:
        if not rebuild_mark_set(broker_url=broker_url):
            return False
        try:
            task_send_fail_fast(
                rebuild_open_data_files, countdown=settings.OPENDATA_REBUILD_DELAY_SECONDS
            )
        except BROKER_ERRORS:
            rebuild_mark_clear(broker_url=broker_url)
            raise
    except (*BROKER_ERRORS, *REDIS_ERRORS) as exc:
        logger.warning("Open-data rebuild not queued: broker unavailable (%s)", exc)
        return False
    return True


def _bring_up_to_date(manifest: dict | None, present: bool, publish) -> bool:
    """Build files that do not exist, or that are stale when no worker will rebuild them;
    queue the rebuild of stale files otherwise. True if the files served are stale."""
    stale = manifest_is_stale(manifest)
    if not present or (stale and not rebuilds_run_in_worker()):
        publish(only_if_stale=True)
        return False
    if stale:
        opendata_request_rebuild()
    return stale


def occurrence_archive_up_to_date() -> bool:
    """Before serving the archive; True if the one served is older than the data."""
    return _bring_up_to_date(
        occurrence_archive_manifest(),
        occurrence_archive_path().exists(),
        occurrence_archive_publish,
    )


def layer_files_up_to_date() -> bool:
    """Before serving a layer file or listing them; True if those served are older than the
    data."""
    manifest = read_manifest()
    return _bring_up_to_date(manifest, manifest is not None, layer_files_publish)
