"""Writes: recording snapshots and queueing rebuilds."""

import logging
import time
from collections.abc import Iterable
from datetime import timedelta

import kombu.exceptions
import redis.exceptions
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .models import (
    DashboardRebuildRequest,
    DashboardSnapshot,
    canonical_json,
    fingerprint,
)
from .registry import INDICATORS

logger = logging.getLogger(__name__)

# What a broker that is down or unreachable raises when a task is sent.
BROKER_ERRORS = (kombu.exceptions.OperationalError, redis.exceptions.ConnectionError, OSError)


def database_label() -> str:
    return "PostGIS" if connection.vendor == "postgresql" else "SpatiaLite"


def dashboard_snapshot_rebuild(*, indicator: str) -> DashboardSnapshot:
    """Compute an indicator and record it. If the figures are those of the latest snapshot,
    that snapshot is only marked as confirmed now: running twice adds no duplicate history."""
    definition = INDICATORS[indicator]
    parameters = definition.parameters()
    started = time.perf_counter()
    data = definition.compute(**parameters)
    duration = time.perf_counter() - started
    digest = fingerprint(data)
    now = timezone.now()
    with transaction.atomic():
        latest = (
            DashboardSnapshot.objects.for_indicator(indicator, parameters)
            .select_for_update()
            .order_by("-computed_at", "-pk")
            .first()
        )
        if latest is not None and latest.data_sha256 == digest:
            latest.checked_at = now
            latest.save(update_fields=["checked_at"])
            return latest
        snapshot = DashboardSnapshot(
            indicator=indicator,
            parameters=parameters,
            parameters_key=canonical_json(parameters),
            computed_at=now,
            checked_at=now,
            duration_seconds=round(duration, 3),
            database=database_label(),
            data=data,
            data_sha256=digest,
        )
        snapshot.full_clean()
        snapshot.save()
    return snapshot


def _send_rebuild(indicator: str, *, countdown: int = 0) -> None:
    """Send a rebuild task, failing at once if the broker cannot be reached: these sends
    happen while an official waits for a page, and kombu would otherwise retry for seconds."""
    from .tasks import rebuild_dashboard  # noqa: PLC0415 (tasks import this module)

    app = rebuild_dashboard.app
    options = {**(app.conf.broker_transport_options or {}), "max_retries": 0}
    with app.connection_for_write(transport_options=options) as connection:
        rebuild_dashboard.apply_async(
            args=[indicator], countdown=countdown, connection=connection, retry=False
        )


def dashboard_rebuild_claim(*, indicator: str) -> bool:
    """Mark a queued rebuild as started, so later edits queue a new one. True if this call
    found it queued."""
    return bool(
        DashboardRebuildRequest.objects.filter(indicator=indicator, pending=True).update(
            pending=False
        )
    )


def dashboards_request_rebuild(*, indicators: Iterable[str]) -> list[str]:
    """Queue a rebuild of each indicator unless one is already queued; returns those queued.

    A broker that is down is logged and otherwise ignored: the edit that asked for the
    rebuild has been saved, and the pages keep showing the last snapshot."""
    queued = []
    delay = settings.DASHBOARDS_REBUILD_DELAY_SECONDS
    stale = timezone.now() - timedelta(seconds=delay + settings.DASHBOARDS_TASK_TIME_LIMIT)
    for indicator in sorted(set(indicators)):
        DashboardRebuildRequest.objects.get_or_create(indicator=indicator)
        claimed = (
            DashboardRebuildRequest.objects.filter(indicator=indicator)
            .filter(Q(pending=False) | Q(requested_at__lt=stale))
            .update(pending=True, requested_at=timezone.now())
        )
        if not claimed:
            continue
        try:
            _send_rebuild(indicator, countdown=delay)
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
