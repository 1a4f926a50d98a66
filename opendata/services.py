"""Writes: building the Darwin Core Archive of published occurrences, and what every served
open-data file shares: its manifest, the lock its builds take, and when it is stale.

One function writes the archive (`occurrence_archive_write`); the management command sends
it to a path of the user's choice, and `occurrence_archive_publish` to the copy the portal
serves. The rows are streamed from the database into the zip, never held in memory.

A served file is stale when the data version (common.dataversion: changed by the database on
every write to public data, in commit order) is no longer the one its build read before
reading the rows: a change committed after that read moves the version, one committed before
it is in the rows."""

import fcntl
import filecmp
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils import timezone, translation

from common.dataversion import data_version

from .darwin_core import (
    CORE_FILE,
    GEODETIC_DATUM,
    INSTITUTION_CODE,
    KINGDOM,
    LICENCES,
    PUBLISHER,
    TAXON_GROUP_CLASS,
    basis_of_record,
    cell_reach_m,
    core_line,
    country_code,
    decimal,
    header_line,
    meta_xml,
    taxon_rank,
)
from .eml import ArchiveCoverage, eml_xml
from .selectors import CountryLocator, archive_data_version, occurrences_for_archive

ARCHIVE_NAME = "occurrences-dwca.zip"
# Beside the archive: the data version it was built from, its records' date and its build's.
ARCHIVE_MANIFEST_NAME = "occurrences-dwca.json"
# Rows fetched from the database at a time.
CHUNK_SIZE = 2000


@dataclass
class ArchiveSummary:
    version: datetime
    coverage: ArchiveCoverage


def grid_cell_label() -> str:
    return f"{settings.SENSITIVE_GRID_M / 1000:g} km"


def _entry(name: str, version: datetime) -> zipfile.ZipInfo:
    # Entries dated by the data, not by the build: the same data gives the same bytes.
    entry = zipfile.ZipInfo(name, date_time=version.astimezone(UTC).timetuple()[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    return entry


def _generalisation_notes() -> tuple[str, str]:
    cell = grid_cell_label()
    return (
        f"Coordinates generalised to the centre of a {cell} equal-area grid cell "
        "(EASE-Grid 2.0, EPSG:6933); coordinateUncertaintyInMeters covers the whole cell.",
        "Exact coordinates, locality and source withheld for a sensitive species; "
        "available to authorised users on request.",
    )


def _core_lines(coverage: ArchiveCoverage, licence_url: str) -> Iterator[str]:
    generalisation, withheld = _generalisation_notes()
    cell_m = settings.SENSITIVE_GRID_M
    countries = CountryLocator()
    for occurrence in occurrences_for_archive().iterator(chunk_size=CHUNK_SIZE):
        species = occurrence.species
        point = occurrence.shown_location
        lon, lat = point.coords  # read once: each read of a GEOS ordinate is a C call
        generalised = occurrence.location_generalised
        uncertainty = occurrence.shown_uncertainty_m
        country = occurrence.country_iso_a3
        if country is None and not generalised:
            # A generalised point is left without: its cell's centre may lie across a border.
            country = countries.iso_a3(point, lon, lat)
        if generalised:
            # Wherever in its cell the record lies, plus its own uncertainty.
            uncertainty = max(uncertainty or 0, cell_reach_m(lat, cell_m)) + (
                occurrence.coordinate_uncertainty_m or 0
            )
            coverage.generalised += 1
        coverage.add(
            lon=lon,
            lat=lat,
            scientific_name=species.scientific_name,
            common_name=species.common_name,
        )
        yield core_line(
            {
                "occurrenceID": f"urn:neaspec-portal:occurrence:{occurrence.pk}",
                "basisOfRecord": basis_of_record(occurrence),
                "occurrenceStatus": "absent" if occurrence.count == 0 else "present",
                "scientificName": species.scientific_name,
                "taxonRank": taxon_rank(species.scientific_name),
                "kingdom": KINGDOM,
                "class": TAXON_GROUP_CLASS.get(species.taxon_group, ""),
                "vernacularName": species.common_name,
                "eventDate": occurrence.date_label,
                "decimalLatitude": decimal(lat),
                "decimalLongitude": decimal(lon),
                "geodeticDatum": GEODETIC_DATUM,
                "coordinateUncertaintyInMeters": uncertainty,
                "countryCode": country_code(country),
                "locality": "" if generalised else occurrence.locality_name,
                "individualCount": occurrence.count,
                # Individuals (organisms) come with a later issue.
                "organismID": "",
                "datasetName": occurrence.dataset,
                "institutionCode": INSTITUTION_CODE,
                "references": "" if generalised else occurrence.source_url,
                "license": licence_url,
                "rightsHolder": PUBLISHER,
                "dataGeneralizations": generalisation if generalised else "",
                "informationWithheld": withheld if generalised else "",
            }
        )


def occurrence_archive_write(*, destination: BinaryIO | Path) -> ArchiveSummary:
    """Write the archive of published occurrences (meta.xml, eml.xml, occurrence.txt) to a
    file or path. Positions are those an anonymous visitor sees; the same data always gives
    the same bytes (the archive is dated by its data's last change, not by the build)."""
    licence = LICENCES[settings.OPENDATA_LICENCE]
    # Read before the rows: a change committed in between is in the rows and later than this
    # date, so a rebuild it triggers is never mistaken for one of older data.
    version = archive_data_version() or timezone.now()
    coverage = ArchiveCoverage()
    with (
        translation.override("en"),
        zipfile.ZipFile(destination, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        with io.TextIOWrapper(
            archive.open(_entry(CORE_FILE, version), "w", force_zip64=True),
            encoding="utf-8",
            newline="",
        ) as core:
            core.write(header_line())
            for line in _core_lines(coverage, licence.url):
                core.write(line)
        archive.writestr(_entry("meta.xml", version), meta_xml())
        archive.writestr(
            _entry("eml.xml", version),
            eml_xml(coverage=coverage, licence=licence, version=version, cell_km=grid_cell_label()),
        )
    return ArchiveSummary(version=version, coverage=coverage)


def occurrence_archive_path() -> Path:
    return Path(settings.OPENDATA_ROOT) / ARCHIVE_NAME


def occurrence_archive_manifest() -> dict | None:
    return read_manifest_file(occurrence_archive_path().with_name(ARCHIVE_MANIFEST_NAME))


def read_manifest_file(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return None


def manifest_is_stale(manifest: dict | None) -> bool:
    """Whether data changed since the build that wrote `manifest` read the data version (a
    manifest from before the data version was recorded is stale too)."""
    return manifest is None or manifest.get("data_version") != data_version()


def replace_if_changed(built: Path, path: Path) -> None:
    """Put a finished file in place whole (readers never see half a file), only if its bytes
    changed, so that its ETag and date stay those of the data."""
    if path.exists() and filecmp.cmp(built, path, shallow=False):
        built.unlink()
    else:
        os.chmod(built, 0o644)
        os.replace(built, path)


def write_manifest(path: Path, manifest: dict) -> dict:
    """Write a build's manifest. Its build date moves only when its records' date did: a
    rebuild of the same records leaves the files, and so their date, as they were."""
    previous = read_manifest_file(path)
    if previous and previous.get("version") == manifest["version"]:
        manifest["built"] = previous["built"]
    with tempfile.NamedTemporaryFile(
        "w", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    ) as out:
        json.dump(manifest, out, indent=1)
    replace_if_changed(Path(out.name), path)
    return manifest


@contextmanager
def build_lock(path: Path):
    # One build at a time: each reads the data only once it holds the lock, so the last
    # archive written is never older than the last change committed before it started.
    with open(path.with_name(f".{path.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def occurrence_archive_publish(*, only_if_stale: bool = False) -> Path:
    """Rebuild the archive the portal serves, and its manifest; with `only_if_stale`, only if
    data changed since it was built. Safe to run twice or at once: builds wait for each other,
    and one that finds the same bytes leaves the file (and its ETag) as it was."""
    path = occurrence_archive_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    manifest_path = path.with_name(ARCHIVE_MANIFEST_NAME)
    with build_lock(path):
        current = path.exists() and not manifest_is_stale(read_manifest_file(manifest_path))
        if only_if_stale and current:
            return path
        # Read before the rows (see the module's docstring).
        version_read = data_version()
        with tempfile.NamedTemporaryFile(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
        ) as built:
            try:
                summary = occurrence_archive_write(destination=built)
            except BaseException:
                os.unlink(built.name)
                raise
        replace_if_changed(Path(built.name), path)
        write_manifest(
            manifest_path,
            {
                "data_version": version_read,
                "version": summary.version.isoformat(),
                "built": timezone.now().isoformat(),
            },
        )
    return path
