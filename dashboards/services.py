"""Writes: recording snapshots and claiming the rebuilds that edits queued. (Queueing them,
which sends to the broker, is in queueing.py: the tasks call this module.)"""

import time
from datetime import datetime, timedelta

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


def dashboard_rebuild_claim(*, indicator: str) -> bool:
    """Mark a queued rebuild as started, so later edits queue a new one. True if this call
    found it queued: exactly one of several runs claims it."""
    return bool(
        DashboardRebuildRequest.objects.filter(indicator=indicator, pending=True).update(
            pending=False
        )
    )


def dashboard_rebuild_stale_before() -> datetime:
    """Requests queued before this time were lost with their task. A task claims its request
    as it starts, `DASHBOARDS_REBUILD_DELAY_SECONDS` after it was queued; should it have had
    to wait for another rebuild, that one ended within `DASHBOARDS_TASK_TIME_LIMIT`. A request
    still pending after both was in the hands of a worker that died (or a broker that lost it):
    nothing will claim it, and it must be sent again."""
    wait = settings.DASHBOARDS_REBUILD_DELAY_SECONDS + settings.DASHBOARDS_TASK_TIME_LIMIT
    return timezone.now() - timedelta(seconds=wait)


def stale_request_q() -> Q:
    return Q(pending=True) & (
        Q(requested_at__lt=dashboard_rebuild_stale_before()) | Q(requested_at__isnull=True)
    )


def dashboard_stale_requests_reclaim() -> list[str]:
    """Take over the queued rebuilds whose task was lost, to send them again: each is dated
    now and stays pending (the new task claims it as any other). A conditional update per
    request, so of two sweeps at once only one sends each."""
    reclaimed = []
    stale = DashboardRebuildRequest.objects.filter(stale_request_q())
    for indicator in stale.values_list("indicator", flat=True):
        taken = DashboardRebuildRequest.objects.filter(stale_request_q(), indicator=indicator)
        if taken.update(requested_at=timezone.now()):
            reclaimed.append(indicator)
    return reclaimed
