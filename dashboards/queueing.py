"""Queueing rebuilds on the Celery broker: the rebuilds edits ask for (de-duplicated while
one is queued) and the immediate ones of the admin and the command.

Apart from services.py so that imports run one way: this module imports the tasks, and the
tasks import the services."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from common.queueing import BROKER_ERRORS, task_send_fail_fast

from .models import DashboardRebuildRequest
from .services import stale_request_q
from .tasks import rebuild_dashboard

logger = logging.getLogger(__name__)


def _send_rebuild(indicator: str, *, countdown: int = 0, requested: bool = False) -> None:
    """Send a rebuild task, failing at once if the broker cannot be reached."""
    task_send_fail_fast(
        rebuild_dashboard,
        args=[indicator],
        kwargs={"requested": True} if requested else {},
        countdown=countdown,
    )


def dashboards_request_rebuild(*, indicators: Iterable[str]) -> list[str]:
    """Queue a rebuild of each indicator unless one is already queued; returns those queued.
    A request queued so long ago that its task must have been lost (see
    `services.dashboard_rebuild_stale_before`) counts as not queued.

    A broker that is down is logged and otherwise ignored: the edit that asked for the
    rebuild has been saved, and the pages keep showing the last snapshot."""
    queued = []
    delay = settings.DASHBOARDS_REBUILD_DELAY_SECONDS
    for indicator in sorted(set(indicators)):
        DashboardRebuildRequest.objects.get_or_create(indicator=indicator)
        claimed = (
            DashboardRebuildRequest.objects.filter(indicator=indicator)
            .filter(Q(pending=False) | stale_request_q())
            .update(pending=True, requested_at=timezone.now())
        )
        if not claimed:
            continue
        try:
            _send_rebuild(indicator, countdown=delay, requested=True)
        except BROKER_ERRORS as exc:
            DashboardRebuildRequest.objects.filter(indicator=indicator).update(pending=False)
            logger.warning(
                "Dashboard rebuild of %s not queued: broker unavailable (%s)", indicator, exc
            )
            continue
        queued.append(indicator)
    return queued


def dashboards_rebuild_now(*, indicators: Iterable[str]) -> tuple[list[str], str | None]:
    """Queue an immediate rebuild of each indicator (admin action). Returns the indicators
    queued and, if the broker could not be reached, why."""
    queued = []
    for indicator in sorted(set(indicators)):
        try:
            _send_rebuild(indicator)
        except BROKER_ERRORS as exc:
            return queued, str(exc)
        queued.append(indicator)
    return queued, None
