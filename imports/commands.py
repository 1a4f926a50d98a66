"""What the import_* management commands share: the same services as the admin, a text
progress bar, and the report printed row by row."""

import sys
import time

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from .models import Import, ImportStatus
from .report import CREATED, UNCHANGED
from .services import import_apply, import_check, import_confirm, import_create_from_path

BAR_WIDTH = 30


class ProgressBar:
    """`[#######-----]  52%  13,000/25,000 rows` on one line of the terminal."""

    def __init__(self, stream, label: str):
        self.stream = stream
        self.label = label
        self.last = 0.0
        self.finished = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self.finished or (done < total and now - self.last < 0.2):
            return
        self.finished = done >= total
        self.last = now
        share = done / total if total else 1.0
        filled = int(share * BAR_WIDTH)
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] "
            f"{share:4.0%}  {done:,}/{total:,} rows"
        )
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


class ImportCommand(BaseCommand):
    format: str = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; change nothing."
        )
        parser.add_argument(
            "--as-user",
            help="Import as this user: their permissions and countries apply, and the change "
            "history names them.",
        )
        parser.add_argument(
            "--accept",
            action="append",
            default=[],
            metavar="ROW=ID",
            help="Accept a proposed match: the file's row ROW updates record ID (repeatable).",
        )
        parser.add_argument(
            "--new",
            action="append",
            default=[],
            type=int,
            metavar="ROW",
            help="A row proposed for matching becomes a new record instead (repeatable).",
        )

    def options_for(self, options) -> dict:
        """The format's own options, stored with the import."""
        return {}

    def handle(self, *args, **options):
        user = self._user(options["as_user"])
        decisions = self._decisions(options["accept"], options["new"])
        try:
            run = import_create_from_path(
                user=user,
                format=self.format,
                path=options["file"],
                options=self.options_for(options),
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        run = import_check(import_run=run, progress=ProgressBar(sys.stderr, "Dry run"))
        self._print(run, verbosity=options["verbosity"])
        if run.status != ImportStatus.CHECKED:
            raise CommandError(f"Import #{run.pk} refused: {run.message}")
        if options["dry_run"]:
            self.stdout.write(f"Dry run only (import #{run.pk}): nothing was changed.")
            return
        try:
            run = import_confirm(import_run=run, user=user, decisions=decisions)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
        run = import_apply(import_run=run, progress=ProgressBar(sys.stderr, "Applying"))
        if run.status != ImportStatus.APPLIED:
            self._print(run, verbosity=options["verbosity"])
            raise CommandError(f"Import #{run.pk} refused: {run.message}")
        self.stdout.write(self.style.SUCCESS(f"Import #{run.pk} applied: {run.message}"))

    def _user(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"There is no user “{username}”.") from exc

    def _decisions(self, accepted: list[str], new: list[int]) -> dict[str, str]:
        decisions = {}
        for item in accepted:
            row, _sep, record = item.partition("=")
            if not (row.isdigit() and record.isdigit()):
                raise CommandError(f"--accept {item}: write ROW=ID, e.g. --accept 12=34.")
            decisions[row] = record
        decisions.update({str(row): "new" for row in new})
        return decisions

    def _print(self, run: Import, *, verbosity: int) -> None:
        write = self.stdout.write
        report = run.report or {}
        for note in report.get("notes", []):
            write(f"  note: {note}")
        if run.status == ImportStatus.REFUSED and report.get("refusal"):
            write(self.style.ERROR(f"  refused: {report['refusal']}"))
        quiet = {UNCHANGED, CREATED} if verbosity < 2 else set()
        for row in report.get("rows", []):
            if row["outcome"] in quiet and not row.get("notes"):
                continue
            write(f"  row {row['row']:>6}  {row['outcome']:<9}  {row['label']}")
            for issue in row.get("issues", []):
                where = (
                    f"{issue['field']} = “{issue.get('value', '')}”: " if issue.get("field") else ""
                )
                write(f"{'':>19}{where}{issue['message']} [{issue.get('rule', '')}]")
            for change in row.get("changes", []):
                write(f"{'':>19}{change}")
            for note in row.get("notes", []):
                write(f"{'':>19}{note}")
            for candidate in row.get("candidates", []):
                write(
                    f"{'':>19}proposed: #{candidate['id']} {candidate['record']} "
                    f"({candidate['reason']}) — accept with --accept {row['row']}={candidate['id']}"
                )
        counts = ", ".join(f"{value} {name}" for name, value in (run.counts or {}).items())
        write(f"Import #{run.pk} ({run.original_name}): {counts or run.message}")
