"""The rows of one import: read, planned, checked and (when applying, or checking a focal
point's country scope) written, inside one transaction. imports/services.py decides what is
kept: a dry run always rolls back, an apply commits every row or none."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import reset_queries, transaction
from django.db.models import Model
from django.utils import translation

from governance.selectors import record_in_scope, records_editable_by, user_country_ids

from .formats import importer_for
from .formats.base import Planned, Touched
from .models import Import
from .progress import ProgressRecorder
from .report import CREATED, UPDATED, Report, RowResult
from .vector import FileRefused

Progress = Callable[[int, int], None]


def execute_rows(
    run: Import, *, user, decisions: dict | None, progress: Progress | None
) -> tuple[Report, list[tuple[RowResult, "Written"]]]:
    """Read, plan and (when applying, or checking a focal point's scope) write every row.
    The caller decides whether what was written is kept: a dry run always rolls back."""
    applying = decisions is not None
    importer = importer_for(run, user=user, decisions=decisions)
    report = Report()
    touched: list[tuple[RowResult, Written]] = []
    try:
        total, notes = importer.open(Path(run.file.path), run.original_name)
    except FileRefused as exc:
        report.refusal = str(exc)
        importer.close()
        return report, touched
    report.notes += notes
    run.progress_total = total
    limit, setting = importer.max_rows()
    if total > limit:
        report.refusal = (
            f"“{run.original_name}” has {total:,} rows; imports may have at most "
            f"{limit:,} ({setting}). Import a country extract (e.g. --iso3) or split the file."
        )
        importer.close()
        return report, touched
    scoped = user is not None and user_country_ids(user) is not None
    writes = applying or scoped
    steps = _Steps(report, touched, user=user, scoped=scoped, writes=writes)
    recorder = ProgressRecorder(run.pk, total, progress)
    try:
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            recorder.start_background()
            try:
                _plan_rows(importer, steps, recorder)
            except FileRefused as exc:
                # Found while reading (a line that is not UTF-8…): the file is refused whole.
                report.refusal = str(exc)
            report.notes += importer.late_notes
            report.tallies.update(importer.tallies)
            recorder.update(total)
            recorder.stop()
            if scoped and not report.refusal:
                steps.check_scope_after_write()
            if not applying or report.refusal:
                transaction.set_rollback(True)
    finally:
        recorder.stop()
        importer.close()
    return report, touched


def _plan_rows(importer, steps: "_Steps", recorder: ProgressRecorder) -> None:
    for done, row in enumerate(importer.rows(), start=1):
        planned = importer.plan(row)
        if planned is not None:  # None: held back, planned in `finish()`
            steps.take(planned)
        recorder.update(done)
        if done % 1000 == 0:
            # With DEBUG on (`make run`) Django keeps the text of every query, a batch of
            # 500 boundaries included: a long import would hold hundreds of megabytes.
            reset_queries()
    for planned in importer.finish():
        steps.take(planned)
    for touched in importer.flush():
        steps.record(touched.result, touched)


@dataclass(frozen=True)
class Written:
    model: type[Model]
    pk: int
    action: str
    primary: bool


class _Steps:
    """Takes each planned row: the user's permissions and country scope, then the write."""

    def __init__(self, report: Report, touched: list, *, user, scoped: bool, writes: bool):
        self.report = report
        self.touched = touched
        self.user = user
        self.scoped = scoped
        self.writes = writes
        self.permissions: dict[str, bool] = {}

    def take(self, planned: Planned) -> None:
        result = planned.result
        if result.outcome in (CREATED, UPDATED) and planned.model is not None:
            self._check_permission(result, planned.model)
            if planned.existing is not None and self.scoped:
                self._check_existing_scope(result, planned.existing)
        self.report.add(result)
        if self.writes and planned.write is not None and result.outcome in (CREATED, UPDATED):
            for touched in planned.write():
                self.record(touched.result or result, touched)

    def record(self, result: RowResult, touched: Touched) -> None:
        # Only what names the record is kept, not the record: 25,000 boundaries would stay
        # in memory until the end of the import.
        instance = touched.instance
        self.touched.append(
            (result, Written(type(instance), instance.pk, touched.action, touched.primary))
        )
        if touched.primary:
            result.record = str(instance)
            result.record_id = instance.pk

    def _check_permission(self, result: RowResult, model: type[Model]) -> None:
        if self.user is None:
            return
        action = "add" if result.outcome == CREATED else "change"
        permission = f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        if permission not in self.permissions:
            self.permissions[permission] = self.user.has_perm(permission)
        if not self.permissions[permission]:
            result.error(
                f"You may not {action} {model._meta.verbose_name_plural}: ask the Secretariat "
                "to import this row, or for the permission.",
                rule=permission,
            )

    def _check_existing_scope(self, result: RowResult, existing: Model) -> None:
        # As the admin refuses to open a record of another country for editing.
        if not record_in_scope(self.user, existing):
            result.error(
                f"“{existing}” is not a record of your countries; you cannot change it. Remove "
                "the row from the file, or ask the Secretariat to import it.",
                rule="country_scope",
            )

    def check_scope_after_write(self) -> None:
        """As an admin save does: every record written must still be one of the user's
        countries' (governance.selectors), checked in the write's transaction."""
        by_model = defaultdict(dict)
        for result, written in self.touched:
            if written.primary:
                by_model[written.model][written.pk] = result
        for model, results in by_model.items():
            allowed = set(
                records_editable_by(
                    self.user, model._base_manager.filter(pk__in=list(results))
                ).values_list("pk", flat=True)
            )
            for pk, result in results.items():
                if pk not in allowed:
                    result.error(
                        f"The row would make “{result.record or result.label}” a record "
                        "outside your countries. Remove the row from the file, or ask the "
                        "Secretariat to import it.",
                        rule="country_scope",
                    )
