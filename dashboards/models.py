"""Dashboard snapshots: timestamped results written by the Celery tasks and read as "latest".

A page never computes an indicator; it shows the newest snapshot with its timestamp, so a
worker or broker that is down leaves the last figures on screen instead of an error.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    TRANSBOUNDARY_PAIRS = "transboundary-pairs", _("Transboundary protected-area pairs")
    BORDER_PROTECTION = "border-protection", _("Protection along international borders")
    RANGE_PROTECTION = "range-protection", _("Species range protection")
    POPULATION_TRENDS = "population-trends", _("Population trends")
    PROJECT_PORTFOLIO = "project-portfolio", _("Project portfolio")
    MEETING_FOLLOW_UP = "meeting-follow-up", _("Meeting follow-up")
    TRANSBORDER_MOVEMENT = "transborder-movement", _("Transborder movement of individual animals")


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)


def fingerprint(value) -> str:
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


class DashboardSnapshotQuerySet(models.QuerySet):
    def for_indicator(self, indicator: str, parameters: dict):
        return self.filter(indicator=indicator, parameters_key=canonical_json(parameters))

    def latest_for(self, indicator: str, parameters: dict) -> "DashboardSnapshot | None":
        return self.for_indicator(indicator, parameters).order_by("-computed_at", "-pk").first()


class DashboardSnapshot(models.Model):
    """One computed result of an indicator. A rebuild that finds the same figures as the
    latest snapshot only moves its `checked_at`, so running a task twice adds no history."""

    indicator = models.CharField(_("indicator"), max_length=32, choices=Indicator.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    parameters_key = models.CharField(_("parameters key"), max_length=255, editable=False)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    checked_at = models.DateTimeField(
        _("last confirmed"),
        default=timezone.now,
        help_text=_("The last rebuild that found these same figures."),
    )
    duration_seconds = models.FloatField(_("computation time (s)"))
    database = models.CharField(
        _("computed on"), max_length=32, help_text=_("The database engine that computed it.")
    )
    data = models.JSONField(_("data"), encoder=DjangoJSONEncoder)
    data_sha256 = models.CharField(_("data fingerprint"), max_length=64, editable=False)

    objects = DashboardSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")
        ordering = ["-computed_at", "-pk"]
        indexes = [
            models.Index(
                fields=["indicator", "parameters_key", "-computed_at"],
                name="snapshot_indicator_latest",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_seconds__gte=0),
                name="snapshot_duration_not_negative",
            )
        ]

    def __str__(self):
        return f"{self.get_indicator_display()} – {self.computed_at:%Y-%m-%d %H:%M} UTC"


class DashboardRebuildRequest(models.Model):
    """One row per indicator: whether a rebuild is already queued. Claimed with conditional
    updates, so a burst of edits queues one task, and a task run twice claims it once."""

    indicator = models.CharField(
        _("indicator"), max_length=32, choices=Indicator.choices, unique=True
    )
    pending = models.BooleanField(_("rebuild queued"), default=False)
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)

    class Meta:
        verbose_name = _("dashboard rebuild request")
        verbose_name_plural = _("dashboard rebuild requests")
        ordering = ["indicator"]

    def __str__(self):
        return f"{self.get_indicator_display()}: {'queued' if self.pending else 'idle'}"
