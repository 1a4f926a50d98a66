"""What the importers of the portal's own CSV templates (census counts, genetic samples)
share: the file read as UTF-8 line by line (a line that is not is named), the header checked
against the template, and each row as a dict of stripped values with its line number."""

import csv
from pathlib import Path

from ..vector import FileRefused
from .base import Importer

SAVE_AS_UTF8 = "Save the file as “CSV UTF-8” and upload it again."


class CsvTemplateImporter(Importer):
    # Said in messages: "Fill in the census template…".
    template = ""
    columns: tuple[str, ...] = ()
    required: tuple[str, ...] = ()

    def open_template(self, path: Path, name: str) -> tuple[int, list[str]]:
        """Open the file and check its header; return its number of rows and the notes."""
        if path.stat().st_size == 0:
            raise FileRefused(f"“{name}” is empty. Fill in the {self.template} and upload it.")
        self.handle = path.open("rb")
        self.reader = csv.DictReader(self._lines())
        try:
            header = [column.strip().lower() for column in self.reader.fieldnames or []]
        except csv.Error as exc:
            raise FileRefused(f"“{name}” is not a CSV file ({exc}).") from exc
        self.reader.fieldnames = header
        missing = self.missing_columns(header)
        if missing:
            raise FileRefused(
                f"“{name}” lacks the column(s) {', '.join(missing)}. The {self.template}'s "
                f"columns are: {', '.join(self.columns)} (see the import help)."
            )
        notes = []
        unknown = [column for column in header if column not in self.columns]
        if unknown:
            notes.append(f"Columns left out (not in the template): {', '.join(unknown)}.")
        with path.open("rb") as counting:
            total = max(sum(1 for line in counting if line.strip()) - 1, 0)
        return total, notes

    def missing_columns(self, header: list[str]) -> list[str]:
        return [column for column in self.required if column not in header]

    def close(self) -> None:
        handle = getattr(self, "handle", None)
        if handle is not None:
            handle.close()

    def _lines(self):
        """The file's lines as text, each decoded on its own so that a line that is not
        UTF-8 is named (a multi-line quoted field spans several: csv joins them)."""
        for number, raw in enumerate(self.handle, start=1):
            try:
                yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise FileRefused(f"Line {number} is not UTF-8 text. {SAVE_AS_UTF8}") from exc

    def rows(self):
        for row in self.reader:
            yield (
                self.reader.line_num,
                {key: (value or "").strip() for key, value in row.items() if key},
            )
