"""Sending imports to the Celery workers once the request's transaction has committed.

Without a broker (REDIS_URL unset) tasks run eagerly, inside the request that queued them,
as the dashboards' do. A broker that cannot be reached leaves the import queued, with a
message saying how to run it by hand."""

import logging

import kombu.exceptions
import redis.exceptions
from django.db import transaction

from .models import Import
from .tasks import apply_import, check_import

logger = logging.getLogger(__name__)

BROKER_ERRORS = (kombu.exceptions.OperationalError, redis.exceptions.ConnectionError, OSError)


def _send(task, run: Import) -> None:
    def send():
        try:
            task.delay(run.pk)
        except BROKER_ERRORS as exc:
            logger.warning("Import %s not queued: broker unavailable (%s)", run.pk, exc)
            Import.objects.filter(pk=run.pk).update(
                message=(
                    f"The task queue could not be reached ({exc}). Start Redis and a worker; "
                    "the import waits."
                )
            )

    # robust: an import that fails while running eagerly has said so on its record; the
    # request that queued it still completes.
    transaction.on_commit(send, robust=True)


def import_queue_check(*, import_run: Import) -> None:
    _send(check_import, import_run)


def import_queue_apply(*, import_run: Import) -> None:
    _send(apply_import, import_run)
