"""What every format's importer provides to the pipeline (imports/services.py), and the
helpers they share: reading a row into a record, validating it as the admin does, and
telling what changed."""

import io
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import DecimalField, Model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from common.admin import describe_geometry
from protected_areas.models import MAX_KM_OUTSIDE_COUNTRY
from species.models import Species

from ..models import Import, ImportedRecord, RecordAction
from ..report import CREATED, ERROR, SKIPPED, UNCHANGED, UPDATED, RowResult, quote

# New records inserted per statement (see Importer.create_later).
CREATE_BATCH = 500
# Records per statement of a format written in bulk (imports/formats/camtrap.py).
BULK_BATCH = 5000
# Bookkeeping fields: a change to them alone is no change.
IGNORED_FIELDS = {"id", "created", "updated"}


@dataclass
class Touched:
    """A record a row wrote. The primary record is the one the row is about (checked for
    country scope and reported); others belong to it (a GBIF occurrence's source)."""

    instance: Model
    action: str
    primary: bool = True
    # The row that wrote it, when not the row being taken (records created in batches).
    result: RowResult | None = None


@dataclass
class Planned:
    """What a row would do: its report line and, when it writes, how."""

    result: RowResult
    model: type[Model] | None = None
    # The record as it stands in the database, when the row updates one (its country scope
    # is checked before anything is written).
    existing: Model | None = None
    write: Callable[[], list[Touched]] | None = None


class Importer:
    """One per format. The pipeline calls `open` (refusing the file with FileRefused),
    then `plan` for each item of `rows()`, then `finish` for rows planned only at the end."""

    def __init__(self, run: Import, *, user=None, decisions: dict[str, str] | None = None):
        self.run = run
        self.user = user
        self.options = run.options or {}
        # The editor's answers to proposed matches: {row number: record id, "new" or "skip"}.
        self.decisions = decisions or {}
        self.applying = decisions is not None
        # Said of the file once every row is read (e.g. how many rows were left out).
        self.late_notes: list[str] = []
        # Rows counted rather than listed in the report ({outcome: rows}), see Report.tallies.
        self.tallies: Counter = Counter()
        self.pending: list[tuple[RowResult, Model]] = []
        self._imported_records: BulkInserter | None = None

    def open(self, path: Path, name: str) -> tuple[int, list[str]]:
        """Check the file; return its number of rows and what to say about it."""
        raise NotImplementedError

    def rows(self) -> Iterator:
        raise NotImplementedError

    def plan(self, row) -> Planned:
        raise NotImplementedError

    def finish(self) -> list[Planned]:
        return []

    def max_rows(self) -> tuple[int, str]:
        """The most rows a file of this format may have, and the setting that says so."""
        return settings.IMPORT_MAX_ROWS, "IMPORT_MAX_ROWS"

    def close(self) -> None:
        return None

    # -- helpers ---------------------------------------------------------------------------

    def decision(self, number: int) -> str:
        return str(self.decisions.get(str(number), "")).strip()

    def create_later(self, result: RowResult, instance: Model) -> list[Touched]:
        """Queue a validated new record to be inserted with others in one statement (with
        its history entry), as a large import otherwise spends most of its time on the
        round trips of 25,000 single inserts. Returns the records written so far, if any."""
        self.pending.append((result, instance))
        return self.flush() if len(self.pending) >= CREATE_BATCH else []

    def flush(self) -> list[Touched]:
        """Insert the queued new records. Bulk inserts send no post_save: new records are
        drafts, which nothing derived from published records (the dashboards) reads."""
        if not self.pending:
            return []
        model = type(self.pending[0][1])
        bulk_create_with_history(
            [instance for _result, instance in self.pending],
            model,
            batch_size=CREATE_BATCH,
            default_user=self.user,
            default_change_reason=self.run.history_reason,
        )
        touched = [Touched(instance, "created", result=result) for result, instance in self.pending]
        self.pending = []
        return touched

    def record_in_bulk(self, model: type[Model], written: list[tuple[int, int]]) -> None:
        """The records a format wrote in bulk, outside the pipeline's row-by-row bookkeeping
        (a million camera observations): their ImportedRecord rows, (pk, row) each, written
        at once in the import's transaction."""
        if self._imported_records is None:
            self._imported_records = BulkInserter(
                ImportedRecord, ["import_run_id", "content_type_id", "object_id", "action", "row"]
            )
        content_type = ContentType.objects.get_for_model(model).pk
        created = RecordAction.CREATED.value
        self._imported_records.insert(
            [(self.run.pk, content_type, pk, created, row) for pk, row in written]
        )

    def save(self, instance: Model, action: str, *, primary: bool = True) -> Touched:
        """Save as an admin edit is saved: change history names the user and the file."""
        instance._history_user = self.user
        instance._change_reason = self.run.history_reason
        instance.save()
        return Touched(instance, action, primary)


def snapshot(instance: Model) -> dict:
    values = {}
    for f in instance._meta.concrete_fields:
        if f.attname in IGNORED_FIELDS:
            continue
        value = f.value_from_object(instance)
        if isinstance(f, DecimalField) and value is not None:
            # A value computed in clean() is a float until it has been saved.
            value = f.to_python(value).quantize(Decimal(1).scaleb(-f.decimal_places))
        values[f.attname] = value
    return values


def same(old, new) -> bool:
    if isinstance(old, GEOSGeometry) or isinstance(new, GEOSGeometry):
        if old is None or new is None:
            return old is new
        return old.geom_type == new.geom_type and old.equals_exact(new, 0)
    if old in (None, "") and new in (None, ""):
        return True
    return old == new


def changed_fields(before: dict, instance: Model) -> list[str]:
    """What changes, as “field: old → new” (a choice by its label)."""
    after = snapshot(instance)
    fields = {f.attname: f for f in instance._meta.concrete_fields}
    changes = []
    for name, value in after.items():
        old = before.get(name)
        if same(old, value):
            continue
        field, new = fields[name], value
        if field.choices:
            labels = dict(field.flatchoices)
            old, new = labels.get(old, old), labels.get(new, new)
        changes.append(f"{field.name}: {shown(old) or '—'} → {shown(new) or '—'}")
    return changes


def shown(value) -> str:
    """A value as a report quotes it (a shape by its summary, not its coordinates; a set of
    attributes by its size)."""
    if isinstance(value, GEOSGeometry):
        return describe_geometry(value)
    if isinstance(value, dict):
        return f"{len(value)} attributes" if value else ""
    return quote(value)


@dataclass
class Validated:
    ok: bool
    changes: list[str] = field(default_factory=list)


def validate_into(
    result: RowResult,
    instance: Model,
    before: dict | None,
    *,
    created: bool,
    exclude: list[str] | None = None,
    checked_by_importer: bool = False,
) -> Validated:
    """Run the model's own validation (as an admin save does) and set the row's outcome:
    created, updated with the fields that change, unchanged, or an error per field.

    `exclude`: relations the importer resolved itself (a record it read from the database,
    or has not written yet in a dry run). `checked_by_importer`: the importer matched the
    row on the record's unique keys itself, and the model's clean() states its constraints,
    so the one query per unique field and per constraint is left to the database's own
    constraints at the write (an import of 25,000 rows saves 75,000 queries)."""
    try:
        instance.full_clean(
            exclude=exclude,
            validate_unique=not checked_by_importer,
            validate_constraints=not checked_by_importer,
        )
    except ValidationError as exc:
        values = {f.name: shown(getattr(instance, f.attname, "")) for f in instance._meta.fields}
        result.validation_errors(exc, values)
        return Validated(False)
    if created:
        result.outcome = CREATED
        return Validated(True)
    changes = changed_fields(before or {}, instance)
    result.outcome = UPDATED if changes else UNCHANGED
    result.changes = changes
    return Validated(True, changes)


def geometry_fields(model: type[Model]) -> set[str]:
    return {f.name for f in model._meta.fields if isinstance(f, GeometryField)}


def blocked(result: RowResult) -> bool:
    """Whether the row already failed or was set aside, so planning it further is moot."""
    return result.outcome in (ERROR, SKIPPED)


def canonical_name(name: str) -> str:
    """A scientific name without its author and year: "Panthera tigris altaica Temminck,
    1844" → "panthera tigris altaica"."""
    words = (name or "").replace("×", " ").split()
    if not words:
        return ""
    kept = [words[0]]
    for word in words[1:]:
        if word in ("subsp.", "ssp.", "var."):
            continue
        if not word.isalpha() or not word.islower():
            break
        kept.append(word)
    return " ".join(kept).casefold()


class BulkInserter:
    """Inserts many rows of one model, given as tuples of values (in the order of `fields`,
    by attname), and returns their new primary keys in order. Other columns get their
    field's default (and `auto_now` fields the time now), as a save would give them.

    On PostgreSQL the rows are sent with COPY, their ids drawn from the table's sequence
    first: a million rows cost seconds, where building a million model instances for
    `bulk_create` costs minutes. Elsewhere (SpatiaLite) `bulk_create` does it. No signals,
    no history: the caller says what it records instead. On PostgreSQL the transaction's
    foreign keys are checked at each statement from the first insert on (see `insert`)."""

    def __init__(self, model: type[Model], fields: list[str]):
        self.model = model
        self.fields = fields
        now = timezone.now()
        given = set(fields)
        self.default_fields, self.defaults = [], []
        for f in model._meta.concrete_fields:
            if f.primary_key or f.attname in given:
                continue
            value = (
                now
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                else (f.get_default())
            )
            self.default_fields.append(f.attname)
            self.defaults.append(value)

    def insert(self, rows: list[tuple]) -> list[int]:
        if not rows:
            return []
        if connection.vendor != "postgresql":
            names = [*self.fields, *self.default_fields]
            instances = [
                self.model(**dict(zip(names, (*row, *self.defaults), strict=True))) for row in rows
            ]
            self.model.objects.bulk_create(instances, batch_size=BULK_BATCH)
            return [instance.pk for instance in instances]
        meta = self.model._meta
        table = meta.db_table
        quote_name = connection.ops.quote_name
        columns = [meta.pk.column] + [
            _column(meta, name) for name in [*self.fields, *self.default_fields]
        ]
        defaults = tuple(_copy_value(value) for value in self.defaults)
        with connection.cursor() as cursor:
            # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: PostgreSQL would queue
            # the checks of a million rows' keys and run them one by one at the commit (8 s
            # of a 40 s import of 100,000 observations). Checked at the end of each COPY
            # instead, they cost next to nothing more; the rows are whole by then.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, meta.pk.column, len(rows)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
            tail = "".join(f"\t{value}" for value in defaults) + "\n"
            buffer = io.StringIO()
            for pk, row in zip(ids, rows, strict=True):
                buffer.write(f"{pk}\t" + "\t".join(map(_copy_value, row)) + tail)
            buffer.seek(0)
            cursor.copy_expert(
                f"COPY {quote_name(table)} ({', '.join(map(quote_name, columns))}) FROM STDIN",
                buffer,
            )
        return ids


def _column(meta, attname: str) -> str:
    for f in meta.concrete_fields:
        if f.attname == attname:
            return f.column
    raise ValueError(attname)


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value) -> str:
    """A value in COPY's text format: \\N for NULL, t/f, geometry as hex EWKB, JSON as its
    text, and text with its backslashes, tabs and line breaks escaped. (Called for every
    value of a million rows: the common types are tested first, by identity.)"""
    kind = type(value)
    if kind is str:
        return value.translate(COPY_ESCAPES)
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is int or kind is float:
        return str(value)
    if isinstance(value, GEOSGeometry):
        return value.hexewkb.decode()
    if isinstance(value, dict | list):
        value = json.dumps(value)
    return str(value).translate(COPY_ESCAPES)


def species_by_scientific_name() -> dict[str, Species]:
    """The portal's species by canonical scientific name: the accepted name and every
    synonym the species lists (admin → Species → Synonyms)."""
    found = {}
    for species in Species.objects.all():
        for name in [species.scientific_name, *species.synonym_list]:
            found.setdefault(canonical_name(name), species)
    return found


def country_for(result: RowResult, point, countries: list, *, field: str = "latitude"):
    """The country (of `countries`, with boundaries) holding the point, or the nearest within
    MAX_KM_OUTSIDE_COUNTRY (a station on the coast); further from every country (at sea, or
    far away: coordinates swapped) is an error on the row."""
    for country in countries:
        if country.boundary.prepared.contains(point):
            return country
    nearest, nearest_km = None, None
    for country in countries:
        km = country.km_outside(point)
        if km is not None and (nearest_km is None or km < nearest_km):
            nearest, nearest_km = country, km
    if nearest is not None and nearest_km <= MAX_KM_OUTSIDE_COUNTRY:
        return nearest
    where = f" ({nearest_km:.0f} km from {nearest.name})" if nearest else ""
    result.error(
        f"The point lies in no country of the portal{where}: at sea or far away. Check the "
        "coordinates (latitude and longitude in decimal degrees, WGS 84).",
        field=field,
        value=f"{point.y}, {point.x}",
        rule="country",
    )
    return None
