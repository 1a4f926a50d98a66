"""Edits to the records the open-data files are built from ask for their rebuild once the
edit commits (opendata.queueing): one request per transaction, however many records it wrote
(a bulk import asks once), and one rebuild for a burst of transactions.

The edit itself only moves the data version (a database trigger), which makes the files
stale; it never builds them."""

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import post_delete, post_save

from governance.signals import publication_changed

from .selectors import OPEN_DATA_SOURCES


def request_rebuild() -> None:
    from .queueing import opendata_request_rebuild  # noqa: PLC0415 (queueing imports tasks)

    opendata_request_rebuild()


def open_data_source_changed(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    # One request per transaction: one this transaction registered and that has not run yet
    # will run when the changes commit (Django drops the hooks of a rolled-back one).
    connection = transaction.get_connection(using)
    if any(getattr(entry[1], "rebuild_waiting", False) for entry in connection.run_on_commit):
        return

    def request() -> None:
        request.rebuild_waiting = False
        request_rebuild()

    request.rebuild_waiting = True
    transaction.on_commit(request, using=using, robust=True)


def connect() -> None:
    for model in OPEN_DATA_SOURCES:
        uid = f"opendata:{model._meta.label}"
        post_save.connect(open_data_source_changed, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(open_data_source_changed, sender=model, dispatch_uid=f"{uid}:delete")
        # Publishing, archiving, deleting and restoring save in bulk, without post_save.
        publication_changed.connect(
            open_data_source_changed, sender=model, dispatch_uid=f"{uid}:publication"
        )
