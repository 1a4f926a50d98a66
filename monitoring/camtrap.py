"""Camtrap DP 1.0 as the portal checks it: the three tables of a camera-trap data package
(deployments, media, observations), their fields, types and constraints, and a row checker.

The project's own code, modelled on the Camtrap DP 1.0 table schemas (tdwg/camtrap-dp, MIT
licence) and working offline: a package names its schemas by URL, which an import must not
need to fetch. Only what the portal relies on is spelt out; every field of the schemas is
known by name, so a misspelt column is named in the report rather than silently ignored.

A row is checked field by field: required values, types (numbers, integers, booleans,
ISO 8601 datetimes *with* a time zone, as the schemas' `%Y-%m-%dT%H:%M:%S%z` asks),
enumerations, ranges and patterns. Unique keys and references between the tables
(`deploymentID`, `mediaID`) are the importer's to check, as it reads the tables in order."""

import datetime
import math
import re
from dataclasses import dataclass, field
from typing import NamedTuple

# The schemas' `missingValues`: each stands for an empty cell.
MISSING_VALUES = frozenset({"", "NA", "NaN", "nan"})
TRUE_VALUES = frozenset({"true", "True", "TRUE", "1"})
FALSE_VALUES = frozenset({"false", "False", "FALSE", "0"})
SCHEMA_BASE = "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0"


@dataclass(frozen=True)
class Field:
    name: str
    type: str = "string"  # string, number, integer, datetime, boolean, any
    required: bool = False
    enum: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    pattern: str = ""

    @property
    def checked(self) -> bool:
        """Whether a value needs more than being copied as text."""
        return self.type not in ("string", "any") or bool(self.enum or self.pattern)


@dataclass(frozen=True)
class Table:
    name: str
    fields: tuple[Field, ...]
    primary_key: str
    # column → the table whose primary key it refers to
    foreign_keys: dict[str, str] = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def required(self) -> list[str]:
        return [f.name for f in self.fields if f.required]


def _f(name, type="string", *, required=False, enum=(), minimum=None, maximum=None, pattern=""):
    return Field(name, type, required, tuple(enum), minimum, maximum, pattern)


FEATURE_TYPES = (
    "roadPaved", "roadDirt", "trailHiking", "trailGame", "roadUnderpass", "roadOverpass",
    "roadBridge", "culvert", "burrow", "nestSite", "carcass", "waterSource", "fruitingTree",
)  # fmt: skip

DEPLOYMENTS = Table(
    "deployments",
    (
        _f("deploymentID", required=True),
        _f("locationID"),
        _f("locationName"),
        _f("latitude", "number", required=True, minimum=-90, maximum=90),
        _f("longitude", "number", required=True, minimum=-180, maximum=180),
        _f("coordinateUncertainty", "integer", minimum=1),
        _f("deploymentStart", "datetime", required=True),
        _f("deploymentEnd", "datetime", required=True),
        _f("setupBy"),
        _f("cameraID"),
        _f("cameraModel"),
        _f("cameraDelay", "integer", minimum=0),
        _f("cameraHeight", "number", minimum=0),
        _f("cameraDepth", "number", minimum=0),
        _f("cameraTilt", "integer", minimum=-90, maximum=90),
        _f("cameraHeading", "integer", minimum=0, maximum=360),
        _f("detectionDistance", "number", minimum=0),
        _f("timestampIssues", "boolean"),
        _f("baitUse", "boolean"),
        _f("featureType", enum=FEATURE_TYPES),
        _f("habitat"),
        _f("deploymentGroups"),
        _f("deploymentTags"),
        _f("deploymentComments"),
    ),
    primary_key="deploymentID",
)

MEDIA = Table(
    "media",
    (
        _f("mediaID", required=True),
        _f("deploymentID", required=True),
        _f("captureMethod", enum=("activityDetection", "timeLapse")),
        _f("timestamp", "datetime", required=True),
        # Relative to the package without going up (no "../", "./", "~"), or a URL.
        _f("filePath", required=True, pattern=r"^(?=^[^./~])(^((?!\.{2}).)*$).*$"),
        _f("filePublic", "boolean", required=True),
        _f("fileName"),
        _f("fileMediatype", required=True, pattern=r"^(image|video|audio)/.*$"),
        _f("exifData", "any"),
        _f("favorite", "boolean"),
        _f("mediaComments"),
    ),
    primary_key="mediaID",
    foreign_keys={"deploymentID": "deployments"},
)

OBSERVATIONS = Table(
    "observations",
    (
        _f("observationID", required=True),
        _f("deploymentID", required=True),
        _f("mediaID"),
        _f("eventID"),
        _f("eventStart", "datetime", required=True),
        _f("eventEnd", "datetime", required=True),
        _f("observationLevel", required=True, enum=("media", "event")),
        _f(
            "observationType",
            required=True,
            enum=("animal", "human", "vehicle", "blank", "unknown", "unclassified"),
        ),
        _f("cameraSetupType", enum=("setup", "calibration")),
        _f("scientificName"),
        _f("count", "integer", minimum=1),
        _f("lifeStage", enum=("adult", "subadult", "juvenile")),
        _f("sex", enum=("female", "male")),
        _f("behavior"),
        _f("individualID"),
        _f("individualPositionRadius", "number", minimum=0),
        _f("individualPositionAngle", "number", minimum=-90, maximum=90),
        _f("individualSpeed", "number", minimum=0),
        _f("bboxX", "number", minimum=0, maximum=1),
        _f("bboxY", "number", minimum=0, maximum=1),
        _f("bboxWidth", "number", minimum=1e-15, maximum=1),
        _f("bboxHeight", "number", minimum=1e-15, maximum=1),
        _f("classificationMethod", enum=("human", "machine")),
        _f("classifiedBy"),
        _f("classificationTimestamp", "datetime"),
        _f("classificationProbability", "number", minimum=0, maximum=1),
        _f("observationTags"),
        _f("observationComments"),
    ),
    primary_key="observationID",
    foreign_keys={"deploymentID": "deployments", "mediaID": "media"},
)

TABLES = (DEPLOYMENTS, MEDIA, OBSERVATIONS)
CONTRIBUTOR_ROLES = ("contact", "principalInvestigator", "rightsHolder", "publisher", "contributor")


class FieldError(NamedTuple):
    field: str
    value: str
    rule: str
    message: str


def parse_datetime(text: str) -> datetime.datetime | None:
    """An ISO 8601 date and time with its time zone (`2021-04-05T10:30:00+08:00`, `…Z`);
    None for anything less (a date alone, a time without an offset)."""
    if "T" not in text and " " not in text:
        return None
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def _number(text: str):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _integer(text: str):
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError(text)
    return int(text)


def _boolean(text: str):
    if text in TRUE_VALUES:
        return True
    if text in FALSE_VALUES:
        return False
    raise ValueError(text)


TYPE_RULES = {
    "number": (_number, "a decimal number (e.g. 42.63)"),
    "integer": (_integer, "a whole number"),
    "boolean": (_boolean, "true or false"),
}


class RowChecker:
    """Checks the rows of one table whose header is known: only the fields that need more
    than copying are converted, so a million rows are checked in seconds."""

    def __init__(self, table: Table, header: list[str]):
        self.table = table
        present = set(header)
        self.required = [name for name in table.required if name in present]
        self.checked = [f for f in table.fields if f.checked and f.name in present]
        self.patterns = {f.name: re.compile(f.pattern) for f in self.checked if f.pattern}

    def check(self, row: dict[str, str]) -> tuple[dict, list[FieldError]]:
        """The row's values (missing values as None, typed values converted) and its errors."""
        values = {key: (None if value in MISSING_VALUES else value) for key, value in row.items()}
        errors = []
        for name in self.required:
            if values.get(name) is None:
                errors.append(
                    FieldError(name, row.get(name, ""), "required", f"{name} is required.")
                )
        for spec in self.checked:
            text = values.get(spec.name)
            if text is None:
                continue
            error = self._check_value(spec, text, values)
            if error is not None:
                errors.append(error)
        return values, errors

    def _check_value(self, spec: Field, text: str, values: dict) -> FieldError | None:
        if spec.type == "datetime":
            parsed = parse_datetime(text)
            if parsed is None:
                return FieldError(
                    spec.name,
                    text,
                    "datetime",
                    f"{spec.name} must be an ISO 8601 date and time with its time zone, e.g. "
                    "2021-04-05T10:30:00+08:00 or 2021-04-05T02:30:00Z.",
                )
            values[spec.name] = parsed
            return None
        if spec.type in TYPE_RULES:
            return self._check_typed(spec, text, values)
        if spec.enum and text not in spec.enum:
            return FieldError(
                spec.name, text, "enum", f"{spec.name} must be one of {', '.join(spec.enum)}."
            )
        if spec.pattern and not self.patterns[spec.name].match(text):
            return FieldError(
                spec.name, text, "pattern", f"{spec.name} does not have the form Camtrap DP asks."
            )
        return None

    @staticmethod
    def _check_typed(spec: Field, text: str, values: dict) -> FieldError | None:
        name = spec.name
        convert, expected = TYPE_RULES[spec.type]
        try:
            value = convert(text)
        except ValueError:
            return FieldError(name, text, spec.type, f"{name} must be {expected}.")
        if spec.minimum is not None and value < spec.minimum:
            return FieldError(name, text, "minimum", f"{name} must be at least {spec.minimum:g}.")
        if spec.maximum is not None and value > spec.maximum:
            return FieldError(name, text, "maximum", f"{name} must be at most {spec.maximum:g}.")
        values[name] = value
        return None


def column_problems(table: Table, header: list[str]) -> list[str]:
    """What is wrong with a table's header: unknown columns (with the schema's name they
    likely stand for), required ones missing, columns given twice."""
    known = {name.casefold(): name for name in table.names}
    problems = []
    seen = set()
    for column in header:
        if column in seen:
            problems.append(f"the column “{column}” is given twice")
        seen.add(column)
        if column in table.names:
            continue
        likely = known.get(column.casefold().replace("_", ""))
        hint = f" (Camtrap DP spells it “{likely}”)" if likely else ""
        problems.append(f"“{column}” is not a column of the Camtrap DP {table.name} table{hint}")
    missing = [name for name in table.required if name not in header]
    if missing:
        problems.append(f"the required column(s) {', '.join(missing)} are missing")
    return problems
