"""Camera-trap data packages (Camtrap DP 1.0): `datapackage.json` with `deployments.csv`,
`media.csv` and `observations.csv`, uploaded as a zip (the command zips a folder).

Over 400 lines on purpose: one format's reading, checking and bulk writing, whose parts
(the package, its stations, the references between its tables) read best together.

- The package becomes a `MonitoringDataset` (id, title, licences, contributors, project),
  matched on its `id` (else `name`); deployments become camera stations, matched on their
  deploymentID in the dataset, with the country and protected area found from the point.
  These are planned row by row like any format's records (full_clean, history, scope).
- Media and observations are many (a million observations is an ordinary package), so they
  are checked in Python by monitoring.camtrap, kept as tuples (never model instances) and
  written in batches of BULK_BATCH with COPY (base.BulkInserter), in the pipeline's one
  transaction. The report counts them and lists only
  the rows in error or set aside. The import's list of records (ImportedRecord) names the
  dataset, stations, individuals and every occurrence (the public record; its camera
  observation and media follow from it), written in bulk too. Change history is kept for
  the dataset, stations and individuals ("Imported from …"), not for each occurrence,
  which would double the rows written.
- Observations of type "animal" of a portal species (scientific name, as published, or a
  listed synonym) become a `CameraObservation` and its `Occurrence` (basis "camera trap",
  the station's point, a draft); other observations are skipped and counted by name.
- `individualID` becomes an `Individual` of the dataset; one code names one species.

Any error refuses the whole package: the transaction is rolled back, nothing is imported.
Importing the same package again changes nothing: media and observations already imported
(same dataset and ID) are compared with the file and left alone when equal. (They are
compared by the hash of their values, computed the same way from the file and from the
database, so that a million earlier observations cost a dict of ints, not of rows.)"""

import csv
import datetime
import io
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from common.geometry import STORAGE_SRID
from governance.selectors import record_in_scope, user_country_ids
from monitoring.camtrap import (
    CONTRIBUTOR_ROLES,
    DEPLOYMENTS,
    MEDIA,
    TABLES,
    RowChecker,
    Table,
    column_problems,
)
from monitoring.models import (
    CameraObservation,
    CameraStation,
    DatasetKind,
    Individual,
    Media,
    MonitoringDataset,
)
from projects.models import Project
from protected_areas.models import Country, ProtectedArea
from species.models import BasisOfRecord, DatePrecision, Occurrence

from ..report import CREATED, UNCHANGED, UPDATED, RowResult
from ..vector import FileRefused, check_zip
from .base import (
    BULK_BATCH,
    BulkInserter,
    Importer,
    Planned,
    Touched,
    blocked,
    canonical_name,
    country_for,
    snapshot,
    species_by_scientific_name,
    validate_into,
)

# Errors listed one by one in the report, per table and rule; the rest are counted.
LISTED_ERRORS = 200
REQUIRED_PROPERTIES = ("resources", "profile", "created", "contributors", "project")


@dataclass
class Station:
    """What media and observation rows need of their deployment."""

    line: int
    record: CameraStation | None  # None: the deployment row is in error
    out_of_scope: bool = False
    hexewkb: str | None = None  # its point, as the occurrences are written


def _text(value, limit: int) -> str:
    return "" if value is None else str(value)[:limit]


class CamtrapImporter(Importer):
    # -- the package ---------------------------------------------------------------------------

    def max_rows(self):
        return settings.IMPORT_CAMTRAP_MAX_ROWS, "IMPORT_CAMTRAP_MAX_ROWS"

    def open(self, path: Path, name: str):
        self.archive = check_zip(path, name)
        members = [m for m in self.archive.namelist() if not m.endswith("/")]
        packages = sorted(
            (m for m in members if PurePosixPath(m).name == "datapackage.json"),
            key=lambda m: m.count("/"),
        )
        if not packages:
            raise FileRefused(
                f"“{name}” holds no datapackage.json. Zip the Camtrap DP package folder "
                "(datapackage.json, deployments.csv, media.csv, observations.csv)."
            )
        root = PurePosixPath(packages[0]).parent
        try:
            self.package = json.loads(self.archive.read(packages[0]).decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FileRefused(f"datapackage.json is not valid JSON ({exc}).") from exc
        if not isinstance(self.package, dict):
            raise FileRefused("datapackage.json must hold one JSON object.")
        self.members = {}
        resources = self.package.get("resources")
        by_name = {
            r.get("name"): r for r in resources or [] if isinstance(r, dict) and r.get("name")
        }
        for table in TABLES:
            self.members[table.name] = self._member(table, by_name.get(table.name), root, members)
        self.headers = {table.name: self._header(table) for table in TABLES}
        self.counts = {table.name: self._count(table) for table in TABLES}
        total = 1 + sum(self.counts.values())
        self.species = species_by_scientific_name()
        self.countries = list(Country.objects.exclude(boundary=None))
        self.scoped = self.user is not None and user_country_ids(self.user) is not None
        self.dataset: MonitoringDataset | None = None
        self.stations: dict[str, Station] = {}
        self.media_ids: dict[str, int] = {}
        self.observation_ids: set[str] = set()
        self.individuals: dict[str, tuple[int, str, int]] = {}  # code → species, name, line
        self.individual_records: dict[str, int] = {}  # code → pk, once written
        self.existing_media: dict[str, tuple[int, int]] = {}
        self.known_species: dict[str, int] = {}  # individual's code → species, in the database
        self.existing_observations: dict[str, tuple[int, int]] = {}
        self.skipped_names: Counter = Counter()
        self.skipped_types: Counter = Counter()
        self.listed_errors: Counter = Counter()
        self.failed = False
        self.may_write_bulk: bool | None = None
        self.media_batch: list[tuple] = []
        self.observation_batch: list[tuple] = []
        self.changed_media: list[tuple] = []
        self.changed_observations: list[tuple] = []
        self.row = 0
        self.media_inserter = BulkInserter(Media, ["dataset_id", "media_id", *MEDIA_COMPARED])
        self.occurrence_inserter = BulkInserter(Occurrence, OCCURRENCE_FIELDS)
        self.observation_inserter = BulkInserter(
            CameraObservation,
            [
                "dataset_id", "observation_id", *OBSERVATION_COMPARED[:-1], "individual_id",
                "occurrence_id",
            ],
        )  # fmt: skip
        notes = [
            f"Camtrap DP package “{self.package.get('title') or self.package.get('name', '')}”: "
            + ", ".join(f"{self.counts[t.name]:,} {t.name}" for t in TABLES)
            + ". Media are kept as metadata and links; their files are not downloaded."
        ]
        return total, notes

    def _member(self, table: Table, resource: dict | None, root, members: list[str]) -> str:
        if resource is None:
            raise FileRefused(
                f"datapackage.json lists no “{table.name}” resource. A Camtrap DP package "
                "has three: deployments, media and observations."
            )
        path = resource.get("path")
        if not isinstance(path, str) or "://" in path:
            raise FileRefused(
                f"The “{table.name}” resource's path must be a file in the package (e.g. "
                f"“{table.file_name}”), not {path!r}."
            )
        member = str(root / path) if str(root) != "." else path
        if member not in members:
            raise FileRefused(
                f"The “{table.name}” resource names “{path}”, which is not in the package. "
                f"Put {path} beside datapackage.json."
            )
        return member

    def _lines(self, table: Table):
        handle = self.archive.open(self.members[table.name])
        return io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")

    def _header(self, table: Table) -> list[str]:
        with self._lines(table) as lines:
            try:
                header = next(csv.reader(lines), [])
            except (UnicodeDecodeError, csv.Error) as exc:
                raise FileRefused(f"{table.file_name} is not UTF-8 CSV text ({exc}).") from exc
        problems = column_problems(table, [column.strip() for column in header])
        if problems:
            raise FileRefused(f"{table.file_name}: " + "; ".join(problems) + ".")
        return [column.strip() for column in header]

    def _count(self, table: Table) -> int:
        with self.archive.open(self.members[table.name]) as handle:
            return max(sum(1 for line in handle if line.strip()) - 1, 0)

    def close(self) -> None:
        archive = getattr(self, "archive", None)
        if archive is not None:
            archive.close()
            self.archive = None

    def rows(self):
        yield ("package", 0, {})
        for table in TABLES:
            checker = RowChecker(table, self.headers[table.name])
            with self._lines(table) as lines:
                reader = csv.reader(lines)
                next(reader, None)
                header = self.headers[table.name]
                try:
                    for row in reader:
                        values = dict(zip(header, row, strict=False))
                        yield (table, reader.line_num, checker, values)
                except UnicodeDecodeError as exc:
                    raise FileRefused(
                        f"{table.file_name} line {reader.line_num + 1} is not UTF-8 text."
                    ) from exc
                except csv.Error as exc:
                    raise FileRefused(
                        f"{table.file_name} line {reader.line_num} cannot be read as CSV ({exc})."
                    ) from exc

    def plan(self, row):
        self.row += 1
        if row[0] == "package":
            return self._plan_package()
        table, line, checker, raw = row
        values, errors = checker.check(raw)
        result = RowResult(row=self.row, label=f"{table.file_name} line {line}: ")
        for error in errors:
            result.error(error.message, field=error.field, value=error.value, rule=error.rule)
        if table is DEPLOYMENTS:
            return self._plan_deployment(result, line, values)
        if table is MEDIA:
            return self._listed(self._plan_media(result, line, values), table)
        return self._listed(self._plan_observation(result, line, values), table)

    def _listed(self, result: RowResult | None, table: Table) -> Planned | None:
        """A bulk row reaches the report only when in error or skipped for a reason of its
        own; past LISTED_ERRORS per table and rule, errors are counted instead."""
        if result is None:
            return None
        if blocked(result) and result.outcome == "error":
            self.failed = True
            key = (table.name, result.issues[0].rule if result.issues else "")
            self.listed_errors[key] += 1
            if self.listed_errors[key] > LISTED_ERRORS:
                self.tallies["error"] += 1
                return None
        return Planned(result)

    def _plan_package(self) -> Planned:
        package = self.package
        identifier = str(package.get("id") or package.get("name") or "").strip()
        project = package.get("project") if isinstance(package.get("project"), dict) else {}
        title = str(package.get("title") or project.get("title") or "").strip()
        result = RowResult(row=1, label=f"datapackage.json: {title or identifier}")
        for name in REQUIRED_PROPERTIES:
            if not package.get(name):
                result.error(
                    f"Camtrap DP requires the property “{name}” in datapackage.json.",
                    field=name,
                    rule="required",
                )
        if not identifier:
            result.error(
                "Give the package an “id” (a DOI, URL or UUID) or a “name”: re-imports are "
                "matched on it.",
                field="id",
                rule="required",
            )
        contributors = package.get("contributors") or []
        if not isinstance(contributors, list) or not all(
            isinstance(c, dict) and c.get("title") for c in contributors
        ):
            result.error(
                "contributors must be a list of objects, each with its “title”.",
                field="contributors",
                rule="contributors",
            )
            contributors = []
        for contributor in contributors:
            if contributor.get("role", "contributor") not in CONTRIBUTOR_ROLES:
                result.error(
                    f"A contributor's role must be one of {', '.join(CONTRIBUTOR_ROLES)}.",
                    field="contributors",
                    value=contributor.get("role"),
                    rule="enum",
                )
        if blocked(result):
            self.failed = True
            return Planned(result)
        existing = MonitoringDataset.objects.filter(identifier=identifier).first()
        dataset = existing or MonitoringDataset(identifier=identifier, kind=DatasetKind.CAMERA_TRAP)
        before = snapshot(dataset) if existing else None
        temporal = package.get("temporal") if isinstance(package.get("temporal"), dict) else {}
        dataset.title = title[:500]
        dataset.description = str(package.get("description") or "")
        dataset.licence = self._licence(package.get("licenses") or [])[:200]
        dataset.contributors = contributors
        dataset.citation = str(package.get("bibliographicCitation") or "")[:1000]
        homepage = package.get("homepage") or (identifier if "://" in identifier else "")
        dataset.source_url = str(homepage)[:500]
        dataset.project = self._project(project) or (existing.project if existing else None)
        dataset.temporal_start = _date(temporal.get("start"))
        dataset.temporal_end = _date(temporal.get("end"))
        self.dataset = dataset
        if existing is not None:
            self._load_existing(existing)
        validate_into(result, dataset, before, created=existing is None)
        if blocked(result):
            self.failed = True
        if result.outcome not in (CREATED, UPDATED):
            return Planned(result, model=MonitoringDataset, existing=existing)
        action = result.outcome
        return Planned(
            result,
            model=MonitoringDataset,
            existing=existing,
            write=lambda: [self.save(dataset, action, primary=False)],
        )

    @staticmethod
    def _licence(licences) -> str:
        """The data's licence (Camtrap DP licences have a scope: data or media)."""
        if not isinstance(licences, list):
            return ""
        items = [item for item in licences if isinstance(item, dict)]
        data = [item for item in items if item.get("scope", "data") == "data"] or items
        return "; ".join(str(item.get("name") or item.get("path") or "") for item in data)

    @staticmethod
    def _project(project: dict) -> Project | None:
        names = [str(project.get(key) or "").strip() for key in ("title", "acronym")]
        query = Q()
        for name in filter(None, names):
            query |= Q(title__iexact=name) | Q(acronym__iexact=name)
        return Project.objects.filter(query).first() if query else None

    def _load_existing(self, dataset: MonitoringDataset) -> None:
        """What an earlier import of the package wrote, to leave it alone when equal."""
        for pk, code, species_id in Individual.objects.filter(dataset=dataset).values_list(
            "pk", "code", "species_id"
        ):
            self.individual_records[code] = pk
            self.known_species[code] = species_id
        for pk, media_id, *values in Media.objects.filter(dataset=dataset).values_list(
            "pk", "media_id", *MEDIA_COMPARED
        ):
            self.existing_media[media_id] = (pk, hash(tuple(values)))
        for pk, observation_id, *values in CameraObservation.objects.filter(
            dataset=dataset
        ).values_list("pk", "observation_id", *OBSERVATION_COMPARED):
            self.existing_observations[observation_id] = (pk, hash(tuple(values)))

    # -- deployments ---------------------------------------------------------------------------

    def _plan_deployment(self, result: RowResult, line: int, values: dict) -> Planned:
        deployment_id = values.get("deploymentID") or ""
        result.label += deployment_id
        if deployment_id in self.stations:
            result.error(
                f"deploymentID {deployment_id} is given twice (line "
                f"{self.stations[deployment_id].line}): each deployment has its own ID.",
                field="deploymentID",
                value=deployment_id,
                rule="unique",
            )
        station_info = Station(line, None)
        if deployment_id and deployment_id not in self.stations:
            self.stations[deployment_id] = station_info
        start, end = values.get("deploymentStart"), values.get("deploymentEnd")
        if not blocked(result) and end < start:
            result.error(
                "deploymentEnd is before deploymentStart.",
                field="deploymentEnd",
                value=values.get("deploymentEnd"),
                rule="period",
            )
        point = None
        if not blocked(result):
            point = Point(values["longitude"], values["latitude"], srid=STORAGE_SRID)
        country = country_for(result, point, self.countries) if point is not None else None
        if blocked(result):
            self.failed = True
            return Planned(result)
        if self.dataset is None:  # the package is in error: said on its row
            return None
        existing = None
        if self.dataset.pk:
            existing = CameraStation.objects.filter(
                dataset=self.dataset, deployment_id=deployment_id
            ).first()
        station = existing or CameraStation(deployment_id=deployment_id)
        before = snapshot(station) if existing else None
        station.dataset = self.dataset
        station.location_id = _text(values.get("locationID"), 255)
        station.location_name = _text(values.get("locationName"), 255)
        station.location = point
        station.coordinate_uncertainty_m = values.get("coordinateUncertainty")
        station.start, station.end = start, end
        station.camera_id = _text(values.get("cameraID"), 255)
        station.camera_model = _text(values.get("cameraModel"), 255)
        station.camera_height_m = values.get("cameraHeight")
        station.feature_type = _text(values.get("featureType"), 32)
        station.habitat = _text(values.get("habitat"), 255)
        station.comments = _text(values.get("deploymentComments"), 10_000)
        station.country = country
        station.protected_area_id = (
            ProtectedArea.objects.filter(country=country, boundary__contains=point)
            .values_list("pk", flat=True)
            .first()
        )
        validate_into(
            result,
            station,
            before,
            created=existing is None,
            exclude=None if self.dataset.pk else ["dataset"],
            checked_by_importer=True,
        )
        if blocked(result):
            self.failed = True
            return Planned(result)
        station_info.record = station
        if existing is not None and self.scoped and not record_in_scope(self.user, existing):
            station_info.out_of_scope = True
        if result.outcome not in (CREATED, UPDATED):
            return Planned(result, model=CameraStation, existing=existing)
        action = result.outcome
        return Planned(
            result,
            model=CameraStation,
            existing=existing,
            write=lambda: [self._save_station(station, action)],
        )

    def _save_station(self, station: CameraStation, action: str) -> Touched:
        station.dataset = self.dataset
        return self.save(station, action)

    # -- media and observations ----------------------------------------------------------------

    def _station_for(self, result: RowResult, values: dict) -> Station | None:
        deployment_id = values.get("deploymentID")
        station = self.stations.get(deployment_id) if deployment_id else None
        if deployment_id and station is None:
            result.error(
                f"deploymentID {deployment_id} is not in deployments.csv.",
                field="deploymentID",
                value=deployment_id,
                rule="reference",
            )
        return station

    def _unique(self, result: RowResult, seen, key: str, value: str | None) -> None:
        if value and value in seen:
            result.error(
                f"{key} {value} is given twice: each row has its own ID.",
                field=key,
                value=value,
                rule="unique",
            )

    def _may_write(self, result: RowResult, station: Station) -> bool:
        """Whether the user may add these records, at this station (country scope)."""
        if self.may_write_bulk is None:
            self.may_write_bulk = self.user is None or all(
                self.user.has_perm(p)
                for p in (
                    "monitoring.add_media",
                    "monitoring.add_cameraobservation",
                    "species.add_occurrence",
                )
            )
        if not self.may_write_bulk:
            result.error(
                "You may not add camera-trap media, observations and occurrences: ask the "
                "Secretariat to import this package, or for the permissions.",
                rule="permission",
            )
        elif station.out_of_scope:
            result.error(
                f"The station “{station.record.deployment_id}” is not one of your countries'; "
                "you cannot add records to it. Ask the Secretariat to import the package.",
                rule="country_scope",
            )
        return not blocked(result)

    def _plan_media(self, result: RowResult, line: int, values: dict) -> RowResult | None:
        media_id = values.get("mediaID") or ""
        result.label += media_id
        self._unique(result, self.media_ids, "mediaID", media_id)
        station = self._station_for(result, values)
        if media_id and media_id not in self.media_ids:
            self.media_ids[media_id] = 0
        if blocked(result) or station is None or station.record is None:
            return result if blocked(result) else None
        compared = (
            station.record.pk,
            values["timestamp"],
            values["filePath"][:1000],
            values["filePublic"],
            values["fileMediatype"][:100],
            _text(values.get("captureMethod"), 32),
        )
        existing = self.existing_media.get(media_id)
        outcome = _compare(existing, compared)
        if outcome != UNCHANGED and not self._may_write(result, station):
            return result
        self.tallies[outcome] += 1
        if existing is not None:
            self.media_ids[media_id] = existing[0]
            if outcome == UPDATED:
                self.changed_media.append((existing[0], compared))
            return None
        self.media_batch.append((media_id, station, compared))
        if len(self.media_batch) >= BULK_BATCH:
            self._write_media()
        return None

    def _plan_observation(self, result: RowResult, line: int, values: dict) -> RowResult | None:
        if self.media_batch:  # every media row is read: the observations refer to them
            self._write_media()
        observation_id = values.get("observationID") or ""
        result.label += observation_id
        self._unique(result, self.observation_ids, "observationID", observation_id)
        if observation_id:
            self.observation_ids.add(observation_id)
        station = self._station_for(result, values)
        media_id = values.get("mediaID")
        if media_id and media_id not in self.media_ids:
            result.error(
                f"mediaID {media_id} is not in media.csv.",
                field="mediaID",
                value=media_id,
                rule="reference",
            )
        start, end = values.get("eventStart"), values.get("eventEnd")
        if not blocked(result) and end < start:
            result.error(
                "eventEnd is before eventStart.",
                field="eventEnd",
                value=end.isoformat(),
                rule="period",
            )
        kind = values.get("observationType")
        name = values.get("scientificName") or ""
        species = self.species.get(canonical_name(name)) if kind == "animal" else None
        self._individual(result, values, species, name)
        if blocked(result):
            return result
        if station is None or station.record is None:
            return None
        if kind != "animal":
            self.skipped_types[kind] += 1
            self.tallies["skipped"] += 1
        elif species is None:
            self.skipped_names[name or "(no scientific name)"] += 1
            self.tallies["skipped"] += 1
        else:
            self._take_observation(result, values, station, species)
        return result if blocked(result) else None

    def _take_observation(self, result: RowResult, values: dict, station: Station, species):
        observation_id = values["observationID"]
        media_id = values.get("mediaID")
        code = values.get("individualID") or ""
        compared = (
            station.record.pk,
            (self.media_ids.get(media_id) or None) if media_id else None,
            _text(values.get("eventID"), 255),
            values["eventStart"],
            values["eventEnd"],
            species.pk,
            values.get("count"),
            _text(values.get("lifeStage"), 16),
            values.get("sex") or "",
            _text(values.get("behavior"), 255),
            _text(values.get("classificationMethod"), 16),
            _text(values.get("classifiedBy"), 255),
            code or None,
        )
        existing = self.existing_observations.get(observation_id)
        outcome = _compare(existing, compared)
        if outcome != UNCHANGED and not self._may_write(result, station):
            return
        self.tallies[outcome] += 1
        if outcome == UNCHANGED:
            return
        pending = (observation_id[:255], station, species, compared, self.row)
        if existing is not None:
            self.changed_observations.append((existing[0], pending))
            return
        self.observation_batch.append(pending)
        if len(self.observation_batch) >= BULK_BATCH:
            self._write_observations()

    def _individual(self, result: RowResult, values: dict, species, name: str) -> None:
        code = values.get("individualID")
        if not code or species is None:
            return
        seen = self.individuals.get(code)
        if seen is None:
            self.individuals[code] = (species.pk, name, result.row)
            if self.known_species.get(code, species.pk) != species.pk:
                result.error(
                    f"individualID {code} is already an individual of another species in this "
                    "dataset.",
                    field="individualID",
                    value=code,
                    rule="individual_species",
                )
        elif seen[0] != species.pk:
            result.error(
                f"individualID {code} is given for {seen[1]} (report row {seen[2]}) and for "
                f"{name}: one individual is one animal of one species.",
                field="individualID",
                value=code,
                rule="individual_species",
            )

    def _occurrence_values(self, station: Station, species, compared: tuple) -> tuple:
        """An observation's occurrence, in the order of OCCURRENCE_FIELDS."""
        dataset = self.dataset
        record = station.record
        if station.hexewkb is None:
            station.hexewkb = record.location.hexewkb.decode()
        return (
            species.pk,
            compared[3].date(),  # the day of eventStart, in its own time zone
            DatePrecision.DAY.value,
            station.hexewkb,
            record.coordinate_uncertainty_m,
            compared[6],
            BasisOfRecord.CAMERA_TRAP.value,
            dataset.title[:255],
            record.protected_area_id,
            (dataset.citation or f"{dataset.title} ({dataset.identifier})")[:500],
            dataset.source_url,
        )

    # -- writing -------------------------------------------------------------------------------

    def _writing(self) -> bool:
        return self.applying and not self.failed

    def _write_media(self) -> None:
        batch, self.media_batch = self.media_batch, []
        if not self._writing() or not batch:
            return
        pks = self.media_inserter.insert(
            [(self.dataset.pk, media_id, *compared) for media_id, _station, compared in batch]
        )
        for (media_id, _station, _compared), pk in zip(batch, pks, strict=True):
            self.media_ids[media_id] = pk

    def _write_observations(self) -> None:
        batch, self.observation_batch = self.observation_batch, []
        if not self._writing() or not batch:
            return
        occurrence_ids = self.occurrence_inserter.insert(
            [self._occurrence_values(station, species, c) for _id, station, species, c, _r in batch]
        )
        self._create_individuals(batch)
        rows = []
        for (observation_id, _station, _species, compared, _row), occurrence_id in zip(
            batch, occurrence_ids, strict=True
        ):
            code = compared[-1]
            individual = self.individual_records.get(code) if code else None
            rows.append(
                (self.dataset.pk, observation_id, *compared[:-1], individual, occurrence_id)
            )
        self.observation_inserter.insert(rows)
        self.record_in_bulk(
            Occurrence, [(pk, row) for pk, (*_x, row) in zip(occurrence_ids, batch, strict=True)]
        )

    def _create_individuals(self, batch: list[tuple]) -> None:
        """The individuals first seen in this batch, inserted at once with their history
        entries ("Imported from …") and ImportedRecord rows."""
        new = {}
        for _id, _station, species, compared, row in batch:
            code = compared[-1]
            if code and code not in self.individual_records and code not in new:
                individual = Individual(
                    dataset=self.dataset, code=code[:255], species=species, sex=compared[8]
                )
                new[code] = (individual, row)
        if not new:
            return
        bulk_create_with_history(
            [individual for individual, _row in new.values()],
            Individual,
            batch_size=BULK_BATCH,
            default_user=self.user,
            default_change_reason=self.run.history_reason,
        )
        for code, (individual, _row) in new.items():
            self.individual_records[code] = individual.pk
        self.record_in_bulk(Individual, [(individual.pk, row) for individual, row in new.values()])

    def _write_changes(self) -> None:
        """Media and observations an earlier import wrote, corrected in this package: few,
        so updated one by one, each occurrence with its history entry."""
        if not self._writing():
            return
        for pk, compared in self.changed_media:
            Media.objects.filter(pk=pk).update(**dict(zip(MEDIA_COMPARED, compared, strict=True)))
        self._create_individuals([pending for _pk, pending in self.changed_observations])
        for pk, (_id, station, species, compared, _row) in self.changed_observations:
            code = compared[-1]
            fields = dict(zip(OBSERVATION_COMPARED[:-1], compared[:-1], strict=True))
            fields["individual_id"] = self.individual_records.get(code) if code else None
            CameraObservation.objects.filter(pk=pk).update(**fields)
            occurrence = Occurrence.objects.get(camera_observation__pk=pk)
            values = self._occurrence_values(station, species, compared)
            for name, value in zip(OCCURRENCE_FIELDS, values, strict=True):
                setattr(occurrence, name, value)
            self.save(occurrence, UPDATED)

    def finish(self) -> list[Planned]:
        self._write_media()
        self._write_observations()
        self._write_changes()
        if self.skipped_names:
            self.late_notes.append(
                "Observations of species not on the portal, skipped: "
                + ", ".join(f"{name} ({n:,})" for name, n in self.skipped_names.most_common())
                + ". Add a species (or a synonym) to import them."
            )
        if self.skipped_types:
            self.late_notes.append(
                "Observations other than of animals, skipped: "
                + ", ".join(f"{kind} ({n:,})" for kind, n in self.skipped_types.most_common())
                + "."
            )
        if self.individuals:
            self.late_notes.append(
                f"Individuals identified (individualID): {len(self.individuals):,}."
            )
        listed_over = sum(max(n - LISTED_ERRORS, 0) for n in self.listed_errors.values())
        if listed_over:
            self.late_notes.append(
                f"{listed_over:,} more rows are in error as those listed; the first "
                f"{LISTED_ERRORS} of each kind are shown."
            )
        return []


# The fields compared to tell whether an imported record changed (attnames, in the order
# the importer builds its values: the database's values_list gives them the same way).
MEDIA_COMPARED = [
    "station_id", "timestamp", "file_path", "file_public", "file_mediatype", "capture_method",
]  # fmt: skip
OBSERVATION_COMPARED = [
    "station_id", "media_id", "event_id", "event_start", "event_end", "species_id", "count",
    "life_stage", "sex", "behaviour", "classification_method", "classified_by",
    "individual__code",
]  # fmt: skip
OCCURRENCE_FIELDS = [
    "species_id", "event_date", "date_precision", "location", "coordinate_uncertainty_m",
    "count", "basis_of_record", "dataset", "protected_area_id", "source_citation",
    "source_url",
]  # fmt: skip


def _compare(existing: tuple[int, int] | None, compared: tuple) -> str:
    if existing is None:
        return CREATED
    return UNCHANGED if hash(compared) == existing[1] else UPDATED


def _date(text):
    try:
        return datetime.date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None
