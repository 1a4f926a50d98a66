"""Edits to the records the open-data files are built from queue their rebuild once the edit
commits: the Darwin Core Archive when an archive source changed, the layer files of the
downloads page for any source.

One rebuild per transaction, however many records it wrote (a bulk import queues one).
With no broker configured the tasks run eagerly, right after the commit."""

import logging

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import post_delete, post_save

from common.queueing import BROKER_ERRORS, task_send_fail_fast
from governance.signals import publication_changed

from .selectors import ARCHIVE_SOURCES, OPEN_DATA_SOURCES

logger = logging.getLogger(__name__)


def _queue(task, label: str, *args) -> None:
    """Send a rebuild; a broker that is down is logged: the edit is saved whatever happens
    to the files, which are rebuilt by the next edit."""
    if task.app.conf.task_always_eager:
        # No broker: built here and now (a failure is logged by the on-commit hook).
        task.delay(*args)
        return
    try:
        task_send_fail_fast(task, args=args)
    except BROKER_ERRORS as exc:
        logger.warning("%s rebuild not queued: broker unavailable (%s)", label, exc)


def queue_archive_rebuild() -> None:
    from .tasks import rebuild_occurrence_archive  # noqa: PLC0415 (tasks import services)

    _queue(rebuild_occurrence_archive, "Darwin Core Archive")


def queue_layer_files_rebuild(*, only_if_built: bool = True) -> None:
    """After an edit, refresh the files built before; the downloads page asks for the first
    build (`only_if_built=False`) when it finds none."""
    from .tasks import rebuild_layer_files  # noqa: PLC0415 (tasks import services)

    _queue(rebuild_layer_files, "Layer files", only_if_built)


def archive_source_changed(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    connection = transaction.get_connection(using)
    archive_changed = sender in ARCHIVE_SOURCES
    # A rebuild this transaction already registered; Django drops those of a rolled-back
    # transaction, so one found here will run when the changes commit.
    for entry in connection.run_on_commit:
        waiting = getattr(entry[1], "archive_rebuild_waiting", False)
        if waiting:
            entry[1].archive_changed |= archive_changed
            return

    def rebuild() -> None:
        rebuild.archive_rebuild_waiting = False
        if rebuild.archive_changed:
            queue_archive_rebuild()
        queue_layer_files_rebuild()

    rebuild.archive_rebuild_waiting = True
    rebuild.archive_changed = archive_changed
    transaction.on_commit(rebuild, using=using, robust=True)


def connect() -> None:
    for model in OPEN_DATA_SOURCES:
        uid = f"opendata:{model._meta.label}"
        post_save.connect(archive_source_changed, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(archive_source_changed, sender=model, dispatch_uid=f"{uid}:delete")
        # Publishing, archiving, deleting and restoring save in bulk, without post_save.
        publication_changed.connect(
            archive_source_changed, sender=model, dispatch_uid=f"{uid}:publication"
        )
