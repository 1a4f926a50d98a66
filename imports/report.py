"""The report of an import, row by row: what would be (or was) created, updated, left
unchanged, skipped or proposed, and why — each reason names the field, the value and the
rule, and says how to fix it. Stored as JSON on the Import record."""

from collections import Counter
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import pgettext_lazy

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
SKIPPED = "skipped"
# A match the importer is not sure of: the editor accepts it, or not, before applying.
PROPOSED = "proposed"
# A row that cannot be imported as it is: the import is refused until the file is fixed.
ERROR = "error"
OUTCOMES = (CREATED, UPDATED, UNCHANGED, SKIPPED, PROPOSED, ERROR)
# What the report page calls each outcome (the stored report keeps the codes).
OUTCOME_LABELS = {
    CREATED: pgettext_lazy("import outcome", "created"),
    UPDATED: pgettext_lazy("import outcome", "updated"),
    UNCHANGED: pgettext_lazy("import outcome", "unchanged"),
    SKIPPED: pgettext_lazy("import outcome", "skipped"),
    PROPOSED: pgettext_lazy("import outcome", "proposed"),
    ERROR: pgettext_lazy("import outcome", "error"),
}

# The rules of common.geometry.validate_geometry: raised by a model's clean() for the
# whole record, reported on its geometry.
GEOMETRY_RULES = {"wrong_srid", "empty_geometry", "out_of_range", "invalid_geometry"}
REPAIR_HINT = (
    " In an import, tick “Repair invalid geometries” on the upload form (--repair on the "
    "command line) to have it repaired."
)

# How much of a value a report quotes.
VALUE_CHARS = 120


def quote(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= VALUE_CHARS else f"{text[: VALUE_CHARS - 1]}…"


@dataclass
class Issue:
    """Why a row (or one of its fields) was not taken as it is."""

    message: str
    field: str = ""
    value: str = ""
    rule: str = ""


@dataclass
class RowResult:
    row: int
    label: str
    outcome: str = UNCHANGED
    record: str = ""
    record_id: int | None = None
    changes: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # A proposed match: [{"id": …, "record": "…", "reason": "…"}], most likely first.
    candidates: list[dict] = field(default_factory=list)
    # A shape to draw on the report's map (GeoJSON, simplified).
    preview: dict | None = None

    def error(self, message: str, *, field: str = "", value="", rule: str = "") -> "RowResult":
        self.outcome = ERROR
        self.issues.append(Issue(message, field, quote(value), rule))
        return self

    def skip(self, message: str, *, field: str = "", value="", rule: str = "") -> "RowResult":
        self.outcome = SKIPPED
        self.issues.append(Issue(message, field, quote(value), rule))
        return self

    def validation_errors(self, exc: ValidationError, values: dict) -> "RowResult":
        """The model's own messages (full_clean), one issue per field."""
        errors = exc.error_dict.items() if hasattr(exc, "error_dict") else [("", exc.error_list)]
        for name, items in errors:
            for error in items:
                rule = error.code or "invalid"
                label = "" if name in ("", "__all__") else name
                message = " ".join(error.messages)
                if rule in GEOMETRY_RULES and not label:
                    label = "geometry"
                if rule == "invalid_geometry":
                    message += REPAIR_HINT
                self.error(message, field=label, value=values.get(label, ""), rule=rule)
        return self


@dataclass
class Report:
    rows: list[RowResult] = field(default_factory=list)
    # Said of the whole file: its layers, its CRS and any reprojection, the licence.
    notes: list[str] = field(default_factory=list)
    # Why the whole file was refused before any row was read.
    refusal: str = ""
    # Rows counted but not listed one by one (a format written in bulk lists only the rows
    # that are errors or set aside, and counts the rest): {outcome: rows}.
    tallies: Counter = field(default_factory=Counter)

    def add(self, result: RowResult) -> None:
        self.rows.append(result)

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(result.outcome for result in self.rows) + self.tallies
        return {outcome: counted.get(outcome, 0) for outcome in OUTCOMES}

    @property
    def has_errors(self) -> bool:
        return bool(self.refusal) or any(result.outcome == ERROR for result in self.rows)

    def as_json(self) -> dict:
        return {
            "notes": self.notes,
            "refusal": self.refusal,
            "rows": [_compact(asdict(result)) for result in sorted(self.rows, key=lambda r: r.row)],
        }


def _compact(row: dict) -> dict:
    """Leave out what is empty: a report of 25,000 rows stays a few megabytes."""
    return {key: value for key, value in row.items() if value not in ("", [], None)}
