"""Edits to the records an indicator depends on queue its rebuild once the edit commits.

A transaction collects the indicators its writes affect and queues them once, on commit: a
bulk import in one transaction queues one rebuild per indicator, not one per record. Across
transactions the `DashboardRebuildRequest` flag de-duplicates while a rebuild is queued."""

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from governance.signals import publication_changed

from .queueing import dashboards_request_rebuild
from .registry import INDICATORS


def indicators_by_model() -> dict[type, set[str]]:
    affected: dict[type, set[str]] = {}
    for slug, indicator in INDICATORS.items():
        for label in indicator.depends_on:
            affected.setdefault(apps.get_model(label), set()).add(slug)
    return affected


def _waiting_flush(connection):
    # The flush this transaction already registered, if any. Django drops the callbacks of a
    # rolled-back transaction, so a flush found here will run when the changes commit.
    for entry in reversed(connection.run_on_commit):
        callback = entry[1]
        if getattr(callback, "dashboard_indicators", None) is not None and not callback.done:
            return callback
    return None


def record_change(indicators: set[str], using: str = DEFAULT_DB_ALIAS) -> None:
    if not settings.DASHBOARDS_REBUILD_ON_EDIT:
        return
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        dashboards_request_rebuild(indicators=indicators)
        return
    flush = _waiting_flush(connection)
    if flush is None:

        def flush() -> None:
            flush.done = True
            dashboards_request_rebuild(indicators=flush.dashboard_indicators)

        flush.dashboard_indicators = set()
        flush.done = False
        transaction.on_commit(flush, using=using, robust=True)
    flush.dashboard_indicators.update(indicators)


def connect() -> None:
    for model, indicators in indicators_by_model().items():

        def changed(sender, using=DEFAULT_DB_ALIAS, _indicators=indicators, **kwargs):
            record_change(_indicators, using)

        uid = f"dashboards:{model._meta.label}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
        # Publishing, archiving, deleting and restoring save in bulk, without post_save.
        publication_changed.connect(
            changed, sender=model, weak=False, dispatch_uid=f"{uid}:publication"
        )
        for m2m in model._meta.many_to_many:
            m2m_changed.connect(
                changed,
                sender=m2m.remote_field.through,
                weak=False,
                dispatch_uid=f"{uid}:{m2m.name}",
            )
