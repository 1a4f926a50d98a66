"""Edits to the records the archive is built from queue its rebuild once the edit commits.

One rebuild per transaction, however many records it wrote (a bulk import queues one).
With no broker configured the task runs eagerly, right after the commit."""

import logging

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import post_delete, post_save

from common.queueing import BROKER_ERRORS, task_send_fail_fast
from governance.signals import publication_changed

from .selectors import ARCHIVE_SOURCES

logger = logging.getLogger(__name__)


def queue_archive_rebuild() -> None:
    """Send the rebuild; a broker that is down is logged: the edit is saved whatever happens
    to the archive, which is rebuilt by the next edit."""
    from .tasks import rebuild_occurrence_archive  # noqa: PLC0415 (tasks import services)

    if rebuild_occurrence_archive.app.conf.task_always_eager:
        # No broker: built here and now (a failure is logged by the on-commit hook).
        rebuild_occurrence_archive.delay()
        return
    try:
        task_send_fail_fast(rebuild_occurrence_archive)
    except BROKER_ERRORS as exc:
        logger.warning("Darwin Core Archive rebuild not queued: broker unavailable (%s)", exc)


def archive_source_changed(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    connection = transaction.get_connection(using)
    # A rebuild this transaction already registered; Django drops those of a rolled-back
    # transaction, so one found here will run when the changes commit.
    if any(
        getattr(entry[1], "archive_rebuild_waiting", False) for entry in connection.run_on_commit
    ):
        return

    def rebuild() -> None:
        rebuild.archive_rebuild_waiting = False
        queue_archive_rebuild()

    rebuild.archive_rebuild_waiting = True
    transaction.on_commit(rebuild, using=using, robust=True)


def connect() -> None:
    for model in ARCHIVE_SOURCES:
        uid = f"opendata:{model._meta.label}"
        post_save.connect(archive_source_changed, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(archive_source_changed, sender=model, dispatch_uid=f"{uid}:delete")
        # Publishing, archiving, deleting and restoring save in bulk, without post_save.
        publication_changed.connect(
            archive_source_changed, sender=model, dispatch_uid=f"{uid}:publication"
        )
