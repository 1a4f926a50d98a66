"""Edits to the records an indicator depends on queue its rebuild once the edit commits.

A transaction collects the indicators its writes affect and queues them once, on commit: a
bulk import in one transaction queues one rebuild per indicator, not one per record. Across
transactions the `DashboardRebuildRequest` flag de-duplicates while a rebuild is queued."""

import threading

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .registry import INDICATORS
from .services import dashboards_request_rebuild

# Connections are per thread, and so are the transactions whose changes are collected.
_local = threading.local()


def _collected() -> dict[str, set[str]]:
    if not hasattr(_local, "collected"):
        _local.collected = {}
    return _local.collected


def indicators_by_model() -> dict[type, set[str]]:
    affected: dict[type, set[str]] = {}
    for slug, spec in INDICATORS.items():
        for label in spec.depends_on:
            affected.setdefault(apps.get_model(label), set()).add(slug)
    return affected


def _flush(using: str) -> None:
    indicators = _collected().pop(using, set())
    if indicators:
        dashboards_request_rebuild(indicators=indicators)


def _flush_registered(connection) -> bool:
    # Django drops the on-commit callbacks of a rolled-back transaction; looking for ours
    # tells whether the indicators collected so far still have a flush waiting for them.
    return any(getattr(entry[1], "dashboards_flush", False) for entry in connection.run_on_commit)


def record_change(indicators: set[str], using: str = DEFAULT_DB_ALIAS) -> None:
    if not settings.DASHBOARDS_REBUILD_ON_EDIT:
        return
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        _collected().setdefault(using, set()).update(indicators)
        _flush(using)
        return
    if not _flush_registered(connection):
        _collected()[using] = set()

        def flush() -> None:
            _flush(using)

        flush.dashboards_flush = True
        transaction.on_commit(flush, using=using, robust=True)
    _collected()[using].update(indicators)


def connect() -> None:
    for model, indicators in indicators_by_model().items():

        def changed(sender, using=DEFAULT_DB_ALIAS, _indicators=indicators, **kwargs):
            record_change(_indicators, using)

        uid = f"dashboards:{model._meta.label}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
        for m2m in model._meta.many_to_many:
            m2m_changed.connect(
                changed,
                sender=m2m.remote_field.through,
                weak=False,
                dispatch_uid=f"{uid}:{m2m.name}",
            )
