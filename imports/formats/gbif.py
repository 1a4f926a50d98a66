"""GBIF occurrence downloads: the Darwin Core Archive zip GBIF.org gives (read with
python-dwca-reader, row by row).

Just over 400 lines: one format's whole mapping (names and synonyms, licences, basis of
record, generalisations, DOI and citation), which reads best in one place.

Rows are matched to the portal's species by scientific name without its author — the
accepted name, the name as published, or a synonym the species lists — and to an earlier
import by gbifID (else the publisher's occurrenceID within its dataset), which they update.
Each occurrence keeps its identifiers, dataset, licence, GBIF's basis of record and any
generalisation the publisher applied (species.gbif.OccurrenceSource); the download's DOI
and citation are stored once (GbifDownload) and cited on the species page. Records under
a licence the portal may not republish (CC BY-NC, unless IMPORT_ALLOW_NON_COMMERCIAL_LICENCES)
are skipped and counted. Sensitive species are generalised for the public as every
occurrence is (Occurrence.objects.for_viewer).

Longer than most modules (~400 lines): one format's reading, matching and mapping rules,
which are read together, and split would only be read side by side."""

import datetime
import re
import uuid
from pathlib import Path
from xml.etree.ElementTree import Element

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db.models import Q
from dwca.exceptions import InvalidArchive
from dwca.read import DwCAReader

from common.geometry import STORAGE_SRID
from protected_areas.models import ProtectedArea
from species.models import (
    BasisOfRecord,
    DatePrecision,
    GbifDownload,
    Occurrence,
    OccurrenceSource,
    Species,
)

from ..report import CREATED, UPDATED, RowResult
from ..vector import FileRefused, check_zip
from .base import (
    Importer,
    Planned,
    Touched,
    blocked,
    canonical_name,
    changed_fields,
    snapshot,
    species_by_scientific_name,
    validate_into,
)

DOI = re.compile(r"10\.\d{4,9}/dl\.[A-Za-z0-9]+")
DOWNLOAD_KEY = re.compile(r"^\d{7}-\d{15}$")
# GBIF's basisOfRecord → the portal's.
BASIS = {
    "HUMAN_OBSERVATION": BasisOfRecord.SURVEY,
    "OBSERVATION": BasisOfRecord.SURVEY,
    "OCCURRENCE": BasisOfRecord.SURVEY,
    "MACHINE_OBSERVATION": BasisOfRecord.MACHINE,
    "MATERIAL_CITATION": BasisOfRecord.LITERATURE,
    "PRESERVED_SPECIMEN": BasisOfRecord.SPECIMEN,
    "LIVING_SPECIMEN": BasisOfRecord.SPECIMEN,
    "MATERIAL_SAMPLE": BasisOfRecord.SPECIMEN,
    "FOSSIL_SPECIMEN": BasisOfRecord.SPECIMEN,
}
NON_COMMERCIAL = re.compile(r"by[-_]nc|noncommercial|non-commercial", re.IGNORECASE)
REQUIRED_TERMS = ("gbifID", "decimalLatitude", "decimalLongitude")


def parse_event_date(text: str, year: str, month: str, day: str):
    """(date, precision) from Darwin Core's eventDate (ISO 8601, the start of a range), or
    from year/month/day; None when the row gives no date."""
    start = (text or "").split("/")[0].strip()[:10]
    parts = start.split("-") if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", start) else []
    if not parts and year.isdigit():
        parts = [year] + [part for part in (month, day) if part.isdigit()]
        if len(parts) == 2 and day.isdigit():  # a day without its month
            parts = [year]
    if not parts:
        return None
    precision = [DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY][len(parts) - 1]
    numbers = [int(part) for part in parts] + [1] * (3 - len(parts))
    try:
        return datetime.date(*numbers), precision
    except ValueError:
        return None


def _texts(element: Element | None, tag: str) -> list[str]:
    if element is None:
        return []
    return [node.text.strip() for node in element.iter() if node.tag.endswith(tag) and node.text]


class GbifImporter(Importer):
    def open(self, path: Path, name: str):
        check_zip(path, name)
        try:
            self.archive = DwCAReader(str(path))
        except (InvalidArchive, OSError, ValueError, KeyError) as exc:
            raise FileRefused(
                f"“{name}” is not a Darwin Core Archive ({exc}). Upload the zip of a GBIF "
                "occurrence download (“Darwin Core Archive” format) as it was downloaded."
            ) from exc
        terms = {term.rsplit("/", 1)[-1] for term in self.archive.core_file.file_descriptor.terms}
        missing = [term for term in REQUIRED_TERMS if term not in terms]
        if missing:
            self.close()
            raise FileRefused(
                f"The archive's core file lacks the column(s) {', '.join(missing)}. Download "
                "the occurrences from GBIF.org in the “Darwin Core Archive” format."
            )
        self.doi, self.citation, self.download_key, self.downloaded_on = self._metadata(name)
        self.species = species_by_scientific_name()
        self.allow_non_commercial = settings.IMPORT_ALLOW_NON_COMMERCIAL_LICENCES
        self.download = GbifDownload.objects.filter(doi=self.doi).first()
        self.seen: dict[int, int] = {}
        core = Path(self.archive.absolute_temporary_path(self.archive.core_file_location))
        with core.open("rb") as handle:
            lines = sum(1 for line in handle if line.strip())
        total = max(lines - self.archive.core_file.lines_to_ignore, 0)
        notes = [
            f"GBIF.org occurrence download {self.doi}: cite as “{self.citation}”.",
            "Records under a non-commercial licence (CC BY-NC) are "
            + ("imported (IMPORT_ALLOW_NON_COMMERCIAL_LICENCES)." if self.allow_non_commercial
               else "skipped: the portal's own licence does not allow republishing them."),
        ]  # fmt: skip
        return total, notes

    def close(self) -> None:
        archive = getattr(self, "archive", None)
        if archive is not None:
            archive.close()
            self.archive = None

    def _metadata(self, name: str):
        metadata = self.archive.metadata
        identifiers = _texts(metadata, "alternateIdentifier") + _texts(metadata, "title")
        doi = next((m.group() for text in identifiers for m in [DOI.search(text)] if m), "")
        doi = self.options.get("doi") or doi
        if not doi:
            self.close()
            raise FileRefused(
                f"“{name}” names no download DOI (metadata.xml). Upload the archive as GBIF.org "
                "gave it: its DOI must be cited with the records."
            )
        key = next((text for text in identifiers if DOWNLOAD_KEY.match(text)), "")
        dates = _texts(metadata, "pubDate")
        downloaded = None
        if dates:
            try:
                downloaded = datetime.date.fromisoformat(dates[0][:10])
            except ValueError:
                downloaded = None
        citation = (
            self._citation_text()
            or (f"GBIF.org ({downloaded:%d %B %Y}) " if downloaded else "GBIF.org ")
            + f"GBIF Occurrence Download https://doi.org/{doi}"
        )
        return doi, citation, key, downloaded

    def _citation_text(self) -> str:
        try:
            with self.archive.open_included_file("citations.txt") as handle:
                for line in handle:
                    if line.strip().startswith("GBIF.org") and "doi.org" in line:
                        return line.strip()
        except OSError:
            return ""
        return ""

    def rows(self):
        number = 0
        iterator = iter(self.archive)
        while True:
            try:
                row = next(iterator)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                raise FileRefused(
                    f"Row {number + 1} of {self.archive.core_file_location} is not UTF-8 text "
                    f"({exc.reason}). Download the archive again from GBIF.org."
                ) from exc
            number += 1
            yield number, {term.rsplit("/", 1)[-1]: value for term, value in row.data.items()}

    # The reader replaces bytes that are not UTF-8 with U+FFFD rather than failing.
    @staticmethod
    def _undecodable(result: RowResult, data: dict) -> None:
        for term, value in data.items():
            if "\ufffd" in (value or ""):
                result.error(
                    "The text is not UTF-8. Download the archive again from GBIF.org, or save "
                    "the file as UTF-8.",
                    field=term,
                    rule="utf8",
                )

    # -- one row -----------------------------------------------------------------------------

    def plan(self, row) -> Planned:
        number, data = row
        name = data.get("scientificName") or data.get("verbatimScientificName") or ""
        result = RowResult(row=number, label=f"{name} · gbifID {data.get('gbifID', '?')}")
        self._undecodable(result, data)
        gbif_id = self._gbif_id(result, data)
        species = self._species(result, data)
        licence = (data.get("license") or "").strip()
        if not blocked(result) and NON_COMMERCIAL.search(licence) and not self.allow_non_commercial:
            result.skip(
                "A non-commercial licence: the portal may not republish the record.",
                field="license",
                value=licence,
                rule="licence",
            )
        location = self._location(result, data)
        when = parse_event_date(
            data.get("eventDate", ""),
            data.get("year", ""),
            data.get("month", ""),
            data.get("day", ""),
        )
        if when is None and not blocked(result):
            result.skip("The record has no date.", field="eventDate", rule="date")
        if blocked(result) or gbif_id is None or species is None or location is None:
            return Planned(result)
        occurrence, source = self._match(gbif_id, data)
        created = occurrence.pk is None
        before = None if created else snapshot(occurrence)
        before_source = snapshot(source)
        self._fill(occurrence, source, data, species=species, location=location, when=when)
        validated = validate_into(result, occurrence, before, created=created)
        if validated.ok:
            self._validate_source(result, source, before_source, created=created)
        if blocked(result) or result.outcome not in (CREATED, UPDATED):
            return Planned(result, model=Occurrence, existing=None if created else occurrence)
        action = CREATED if created else UPDATED
        return Planned(
            result,
            model=Occurrence,
            existing=None if created else occurrence,
            write=lambda: self._write(occurrence, source, action),
        )

    def _gbif_id(self, result: RowResult, data: dict) -> int | None:
        text = (data.get("gbifID") or "").strip()
        if not text.isdigit():
            result.error(
                "gbifID must be a whole number.", field="gbifID", value=text, rule="gbif_id"
            )
            return None
        gbif_id = int(text)
        if gbif_id in self.seen:
            result.error(
                f"gbifID {gbif_id} appears again (first in row {self.seen[gbif_id]}).",
                field="gbifID",
                value=text,
                rule="unique",
            )
            return None
        self.seen[gbif_id] = result.row
        return gbif_id

    def _species(self, result: RowResult, data: dict) -> Species | None:
        names = [
            data.get("acceptedScientificName", ""),
            data.get("scientificName", ""),
            data.get("verbatimScientificName", ""),
            " ".join(filter(None, [data.get("species", ""), data.get("infraspecificEpithet", "")])),
        ]
        for name in names:
            species = self.species.get(canonical_name(name))
            if species is not None:
                return species
        if not blocked(result):
            result.skip(
                "Not a species of the portal. If it is one under another name, add the name to "
                "that species' synonyms (admin → Species) and import again.",
                field="scientificName",
                value=data.get("scientificName", ""),
                rule="species",
            )
        return None

    def _location(self, result: RowResult, data: dict) -> Point | None:
        latitude, longitude = data.get("decimalLatitude", ""), data.get("decimalLongitude", "")
        if not latitude and not longitude:
            if not blocked(result):
                result.skip(
                    "The record has no coordinates.", field="decimalLatitude", rule="coordinates"
                )
            return None
        try:
            lat, lon = float(latitude), float(longitude)
        except ValueError:
            result.error(
                "Coordinates must be decimal degrees.",
                field="decimalLatitude",
                value=f"{latitude}, {longitude}",
                rule="coordinates",
            )
            return None
        return Point(lon, lat, srid=STORAGE_SRID)

    def _match(self, gbif_id: int, data: dict) -> tuple[Occurrence, OccurrenceSource]:
        dataset_key = _uuid(data.get("datasetKey"))
        occurrence_id = (data.get("occurrenceID") or "").strip()
        query = Q(gbif_id=gbif_id)
        if dataset_key and occurrence_id:
            query |= Q(dataset_key=dataset_key, dwc_occurrence_id=occurrence_id)
        source = (
            OccurrenceSource.objects.select_related("occurrence__species").filter(query).first()
        )
        if source is not None:
            return source.occurrence, source
        return Occurrence(), OccurrenceSource()

    def _fill(self, occurrence, source, data, *, species, location, when) -> None:
        date, precision = when
        basis = (data.get("basisOfRecord") or "").strip().upper()
        uncertainty = data.get("coordinateUncertaintyInMeters", "")
        count = data.get("individualCount", "")
        dataset_key = _uuid(data.get("datasetKey"))
        occurrence.species = species
        occurrence.event_date = date
        occurrence.date_precision = precision
        occurrence.location = location
        occurrence.coordinate_uncertainty_m = _whole(uncertainty)
        occurrence.count = _whole(count)
        occurrence.basis_of_record = BASIS.get(basis, BasisOfRecord.SURVEY)
        occurrence.dataset = (
            data.get("datasetName") or f"GBIF dataset {dataset_key or 'unknown'}"
        )[:255]
        occurrence.source_citation = self.citation[:500]
        occurrence.source_url = f"https://www.gbif.org/occurrence/{data['gbifID'].strip()}"
        occurrence.protected_area_id = (
            ProtectedArea.objects.filter(boundary__contains=location)
            .values_list("pk", flat=True)
            .first()
        )
        source.gbif_id = int(data["gbifID"])
        source.dwc_occurrence_id = (data.get("occurrenceID") or "").strip()[:255]
        source.dataset_key = dataset_key
        source.licence = (data.get("license") or "").strip()[:200]
        source.basis_of_record = basis[:32]
        source.data_generalizations = (data.get("dataGeneralizations") or "").strip()

    def _validate_source(self, result, source, before: dict, *, created: bool) -> None:
        """The source goes with its occurrence: validated too, its changes reported."""
        exclude = ["occurrence", "download"]
        try:
            source.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as exc:
            result.validation_errors(exc, {})
            return
        if not created:
            changes = [
                change
                for change in changed_fields(before, source)
                if not change.startswith(("occurrence:", "download:"))
            ]
            if changes:
                result.outcome = UPDATED
                result.changes += changes

    def _write(self, occurrence, source, action) -> list[Touched]:
        touched = []
        if self.download is None:
            self.download = GbifDownload(
                doi=self.doi,
                citation=self.citation,
                download_key=self.download_key,
                downloaded_on=self.downloaded_on,
            )
            self.download.full_clean()
            touched.append(self.save(self.download, CREATED, primary=False))
        touched.append(self.save(occurrence, action))
        source.occurrence = occurrence
        source.download = self.download
        touched.append(self.save(source, action, primary=False))
        return touched


def _uuid(text) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(text).strip())
    except (ValueError, AttributeError):
        return None


def _whole(text) -> int | None:
    try:
        value = round(float(text))
    except (TypeError, ValueError):
        return None
    return value if value >= 0 else None
