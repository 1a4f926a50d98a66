"""Edits to the records an indicator depends on queue its rebuild once the edit commits.

A transaction collects the indicators its writes affect and requests them once, on commit:
a bulk import in one transaction asks for one rebuild per indicator, not one per record.
Across transactions the `DashboardRebuildRequest` flag de-duplicates while a rebuild is
queued."""

import threading
import weakref

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


class _Batch:
    """The indicators the writes of one transaction affect, requested once when it commits.

    Every write registers `request` on commit; the first call requests the whole batch and
    the others find it done. Only those callbacks hold the batch (this module keeps a weak
    reference), so when a transaction rolls back Django drops them and the batch with them:
    the next transaction starts a new one, and rolled-back writes request nothing. Nothing
    here reads Django's own list of callbacks; should a batch outlive its transaction, the
    callback of every committed write still requests it."""

    def __init__(self):
        self.indicators: set[str] = set()
        self.done = False

    def request(self) -> None:
        if self.done:
            return
        self.done = True
        dashboards_request_rebuild(indicators=self.indicators)


# A weak reference to the open batch of each database alias, per thread as Django's
# database connections are.
_open_batches = threading.local()


def _open_batch(using: str) -> _Batch:
    references = _open_batches.__dict__.setdefault("by_alias", {})
    reference = references.get(using)
    batch = reference() if reference is not None else None
    if batch is None or batch.done:
        batch = _Batch()
        references[using] = weakref.ref(batch)
    return batch


def record_change(indicators: set[str], using: str = DEFAULT_DB_ALIAS) -> None:
    if not settings.DASHBOARDS_REBUILD_ON_EDIT:
        return
    if not transaction.get_connection(using).in_atomic_block:
        dashboards_request_rebuild(indicators=indicators)
        return
    batch = _open_batch(using)
    batch.indicators.update(indicators)
    transaction.on_commit(batch.request, using=using, robust=True)


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
