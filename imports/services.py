"""The one pipeline every import goes through, whatever its format.

1. `import_create` stores the upload privately with its checksum; a file over
   IMPORT_MAX_BYTES is refused before anything is stored.
2. `import_check` is the dry run: the file is read row by row, each row matched, mapped onto
   its record and validated by the model's own `full_clean()`, and the report says what
   would be created, updated, left unchanged, skipped or proposed, and why. Nothing is
   written. For a user limited to some countries (a focal point) the rows are also written
   inside a transaction that is always rolled back, so that the country scope is checked
   exactly as an admin save checks it (governance.selectors, after the write).
3. `import_confirm` records the editor's answers to the proposed matches, and
   `import_apply` runs the same code again and writes, in one transaction: every row or
   none. Any error, or any row outside the user's countries, rolls everything back.

Re-running a file changes nothing: records are matched on stable keys (WDPAID, gbifID,
site and period…) and a record whose values are already the file's is left alone.
"""

import hashlib
import logging
from pathlib import Path, PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.selectors import user_country_ids

from .models import Import, ImportedRecord, ImportFormat, ImportStatus
from .pipeline import Progress, Written, execute_rows
from .report import ERROR, Report, RowResult

logger = logging.getLogger(__name__)

CHUNK_BYTES = 1024 * 1024


# -- 1. the upload ----------------------------------------------------------------------------


def import_check_size(*, name: str, size: int) -> None:
    """Refuse a file over the size limit before any work (ValidationError naming the fix)."""
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _(
                "“%(name)s” is %(size)s; imports may be at most %(limit)s (IMPORT_MAX_BYTES). "
                "Import a country extract or split the file."
            )
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )


@transaction.atomic
def import_create(
    *, user, format: str, file, name: str | None = None, options: dict | None = None
) -> Import:
    """Keep an uploaded file (a Django File or UploadedFile) for import, queued for its
    dry run. `options` are the format's (e.g. {"iso3": ["RUS"], "repair": true})."""
    name = PurePath(name or file.name).name
    if format not in ImportFormat.values:
        raise ValidationError({"format": _("Unknown format “%(format)s”.") % {"format": format}})
    import_check_size(name=name, size=file.size)
    digest = hashlib.sha256()
    for chunk in file.chunks(CHUNK_BYTES):
        digest.update(chunk)
    file.seek(0)
    run = Import(
        format=format,
        original_name=name,
        sha256=digest.hexdigest(),
        size=file.size,
        options=options or {},
        created_by=user,
    )
    run.file.save(name, File(file), save=False)
    run.full_clean()
    run.save()
    return run


def import_create_from_path(*, user, format: str, path: Path, options=None) -> Import:
    """The management commands' way in: the same checks and storage as an upload."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError({"file": f"There is no file at {path}."})
    import_check_size(name=path.name, size=path.stat().st_size)
    with path.open("rb") as handle:
        return import_create(
            user=user, format=format, file=File(handle, name=path.name), options=options
        )


# -- 2. the dry run ---------------------------------------------------------------------------


def import_check(*, import_run: Import, progress: Progress | None = None) -> Import:
    """Run the dry run of a queued import (safe to call twice: a run already claimed by
    another worker is left to it). Writes only the Import record."""
    claimed = Import.objects.filter(pk=import_run.pk, status=ImportStatus.QUEUED).update(
        status=ImportStatus.CHECKING, progress_done=0, message=""
    )
    import_run.refresh_from_db()
    if not claimed:
        return import_run
    try:
        report, _written = execute_rows(
            import_run, user=_user_of(import_run, applying=False), decisions=None, progress=progress
        )
    except Exception as exc:
        _fail(import_run, exc)
        raise
    _note_earlier_runs(import_run, report)
    _store_report(
        import_run, report, ImportStatus.REFUSED if report.has_errors else ImportStatus.CHECKED
    )
    import_run.checked_at = timezone.now()
    import_run.save()
    return import_run


def import_recheck(*, import_run: Import, user) -> Import:
    """Queue a new dry run (after a failure, or to see the database as it is now)."""
    _assert_may_run(import_run, user)
    if import_run.status == ImportStatus.APPLIED:
        raise ValidationError(_("This import has been applied; upload the file again instead."))
    Import.objects.filter(pk=import_run.pk).update(
        status=ImportStatus.QUEUED, progress_done=0, message=""
    )
    import_run.refresh_from_db()
    return import_run


# -- 3. confirm and apply ---------------------------------------------------------------------


def import_confirm(*, import_run: Import, user, decisions: dict[str, str]) -> Import:
    """The editor's go-ahead after reading the dry run, with the answer to each proposed
    match ({row: record id | "new" | "skip"}). The apply itself runs in a task."""
    _assert_may_run(import_run, user)
    proposed = {
        str(row["row"]) for row in import_run.report.get("rows", []) if row["outcome"] == "proposed"
    }
    unknown = set(decisions) - proposed
    if unknown:
        raise ValidationError(
            _("Rows %(rows)s were not proposed for matching.")
            % {"rows": ", ".join(sorted(unknown, key=int))}
        )
    options = {**import_run.options, "decisions": dict(decisions)}
    claimed = Import.objects.filter(pk=import_run.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.APPLYING, applied_by=user, options=options, progress_done=0
    )
    import_run.refresh_from_db()
    if not claimed:
        raise ValidationError(
            _("This import cannot be applied now: it is %(status)s.")
            % {"status": import_run.get_status_display().lower()}
        )
    return import_run


def import_apply(*, import_run: Import, progress: Progress | None = None) -> Import:
    """Apply a confirmed import: every row or none, in one transaction with its report and
    the list of records it touched. Safe to call twice: only an import being applied runs."""
    import_run.refresh_from_db()
    if import_run.status != ImportStatus.APPLYING:
        return import_run
    decisions = import_run.options.get("decisions", {})
    try:
        with transaction.atomic():
            report, written = execute_rows(
                import_run,
                user=_user_of(import_run, applying=True),
                decisions=decisions,
                progress=progress,
            )
            _note_earlier_runs(import_run, report)
            if report.has_errors:
                transaction.set_rollback(True)
            else:
                _record_written(import_run, written)
                _store_report(import_run, report, ImportStatus.APPLIED, applied=True)
                import_run.applied_at = timezone.now()
                import_run.save()
    except Exception as exc:
        _fail(import_run, exc)
        raise
    if report.has_errors:
        # Everything was rolled back; the report says why, outside the transaction.
        _store_report(import_run, report, ImportStatus.REFUSED)
        import_run.save()
    return import_run


def _store_report(run: Import, report: Report, status: str, *, applied: bool = False) -> None:
    run.report = report.as_json()
    run.counts = report.counts
    run.status = status
    run.message = _summary(report, applied=applied)
    run.progress_done = run.progress_total


def _record_written(run: Import, written: list[tuple[RowResult, Written]]) -> None:
    content_types = {}
    records = []
    for result, item in written:
        if item.model not in content_types:
            content_types[item.model] = ContentType.objects.get_for_model(item.model)
        records.append(
            ImportedRecord(
                import_run=run,
                content_type=content_types[item.model],
                object_id=item.pk,
                action=item.action,
                row=result.row,
            )
        )
    ImportedRecord.objects.bulk_create(records, batch_size=2000)


def _user_of(run: Import, applying: bool):
    return run.applied_by if applying and run.applied_by_id else run.created_by


def _assert_may_run(run: Import, user) -> None:
    if user is None:
        return  # the command line: whoever runs the server's commands
    if not Import.objects.visible_to(user).filter(pk=run.pk).exists():
        raise PermissionDenied(_("This import was started by someone else."))
    if run.created_by_id and run.created_by_id != user.pk and user_country_ids(user) is not None:
        raise PermissionDenied(_("Only who uploaded the file, or the Secretariat, may apply it."))


def _fail(run: Import, exc: Exception) -> None:
    logger.exception("Import %s failed", run.pk)
    Import.objects.filter(pk=run.pk).update(
        status=ImportStatus.FAILED,
        message=f"The import stopped on an unexpected error and changed nothing: {exc}",
    )
    run.refresh_from_db()


def _note_earlier_runs(run: Import, report: Report) -> None:
    earlier = (
        Import.objects.filter(sha256=run.sha256, format=run.format, status=ImportStatus.APPLIED)
        .exclude(pk=run.pk)
        .order_by("-applied_at")
        .first()
    )
    if earlier is not None:
        report.notes.append(
            f"The same file was applied on {earlier.applied_at:%Y-%m-%d %H:%M} (import "
            f"#{earlier.pk}); applying it again changes only what was edited since."
        )


def _summary(report: Report, *, applied: bool = False) -> str:
    if report.refusal:
        return report.refusal
    counts = report.counts
    errors = [row.row for row in report.rows if row.outcome == ERROR]
    if errors:
        shown = ", ".join(map(str, errors[:20])) + ("…" if len(errors) > 20 else "")
        return (
            f"{counts['error']} row(s) cannot be imported as they are (rows {shown}); nothing "
            "was changed. Correct the file and upload it again."
        )
    verb = "" if applied else "would be "
    return (
        f"{counts['created']} {verb}created, {counts['updated']} {verb}updated, "
        f"{counts['unchanged']} unchanged, {counts['skipped']} skipped, "
        f"{counts['proposed']} proposed for matching."
    )
