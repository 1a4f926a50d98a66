"""The progress bar reads counts written while the apply's transaction is still open."""

import threading
import time

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction

from imports.models import Import
from imports.progress import ProgressRecorder
from imports.services import import_create


def progress_seen_by_another_connection(pk: int) -> int:
    seen = []

    def read():
        try:
            seen.append(Import.objects.get(pk=pk).progress_done)
        finally:
            connection.close()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join()
    return seen[0]


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_before_the_transaction_commits():
    run = import_create(
        user=None, format="census", file=ContentFile(b"site\n", name="c.csv"), options={}
    )
    calls = []
    with transaction.atomic():
        recorder = ProgressRecorder(run.pk, 10, lambda done, total: calls.append(done))
        recorder.start_background()
        recorder.update(5)
        deadline = time.monotonic() + 5
        while progress_seen_by_another_connection(run.pk) != 5 and time.monotonic() < deadline:
            time.sleep(0.1)
        seen = progress_seen_by_another_connection(run.pk)
        recorder.stop()

    assert seen == 5
    assert calls == [5]
