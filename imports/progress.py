"""The progress of a running import, kept on its Import row for the admin's progress bar.

An import applies inside one transaction, and what a transaction writes is invisible to
others until it commits: the admin would see 0 % until the end. So while a transaction is
open the row counts are written by a small thread of its own, on its own database
connection, at most twice a second. (SQLite allows one writer at a time, so there the
counts are written only outside a transaction.) The pipeline never touches the Import row
inside its transaction before this thread has stopped, so the two never wait on each other."""

import threading
import time
from collections.abc import Callable

from django.db import DatabaseError, connection

from .models import Import

INTERVAL_SECONDS = 0.5


class ProgressRecorder:
    def __init__(self, import_id: int, total: int, callback: Callable[[int, int], None] | None):
        self.import_id = import_id
        self.total = total
        self.done = 0
        self.callback = callback
        self._written = -1
        self._last_write = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self):
        self._write(0)
        return self

    def start_background(self) -> None:
        """Call once the transaction is open."""
        if connection.vendor == "postgresql" and self._thread is None:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()

    def update(self, done: int) -> None:
        self.done = done
        if self.callback is not None:
            self.callback(done, self.total)
        if self._thread is None and not connection.in_atomic_block:
            now = time.monotonic()
            if now - self._last_write >= INTERVAL_SECONDS:
                self._last_write = now
                self._write(done)

    def __exit__(self, *exc_info):
        self.stop()

    def stop(self) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None

    def _write(self, done: int) -> None:
        if done == self._written:
            return
        self._written = done
        Import.objects.filter(pk=self.import_id).update(
            progress_done=min(done, self.total), progress_total=self.total
        )

    def _run(self) -> None:
        try:
            while not self._stop.wait(INTERVAL_SECONDS):
                try:
                    self._write(self.done)
                except DatabaseError:
                    # Progress is a courtesy: a failed write must never stop the import.
                    return
        finally:
            connection.close()
