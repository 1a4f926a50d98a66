"""Running an import the way the admin and the commands do: upload, dry run, confirm, apply."""

from imports.models import Import
from imports.services import import_apply, import_check, import_confirm, import_create_from_path


def dry_run(path, *, format: str, user=None, options=None) -> Import:
    run = import_create_from_path(user=user, format=format, path=path, options=options or {})
    return import_check(import_run=run)


def apply(run: Import, *, user=None, decisions=None) -> Import:
    run = import_confirm(import_run=run, user=user, decisions=decisions or {})
    return import_apply(import_run=run)


def rows_by_outcome(run: Import) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in run.report["rows"]:
        grouped.setdefault(row["outcome"], []).append(row)
    return grouped


def issues(run: Import) -> list[dict]:
    return [issue for row in run.report["rows"] for issue in row.get("issues", [])]
