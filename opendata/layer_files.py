"""Writes: each collection (opendata.collections) as downloadable GeoJSON, GeoPackage and CSV,
for the /downloads/ page, with a manifest of the data version and the build date.

The GeoJSON is written from the same features as OGC API – Features serves an anonymous
reader (published records, sensitive occurrences generalised); GDAL's ogr2ogr converts it.
Files are replaced whole, and only when their bytes change, so that their ETags stay those
of the data: the GeoPackage is dated by the data's version (OGR_CURRENT_DATE), not the build."""

import datetime
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation

from common.dataversion import data_version

from .collections import COLLECTIONS, Collection, FeatureQuery
from .darwin_core import PUBLISHER
from .selectors import OPEN_DATA_SOURCES, archive_data_version
from .services import (
    build_lock,
    manifest_is_stale,
    read_manifest_file,
    replace_if_changed,
    write_manifest,
)

MANIFEST_NAME = "layers.json"
CHUNK = 2000
OGR2OGR_TIMEOUT_S = 1800


@dataclass(frozen=True)
class LayerFormat:
    extension: str
    label: str
    content_type: str


FORMATS = {
    "geojson": LayerFormat("geojson", "GeoJSON", "application/geo+json"),
    "gpkg": LayerFormat("gpkg", "GeoPackage", "application/geopackage+sqlite3"),
    "csv": LayerFormat("csv", "CSV", "text/csv; charset=utf-8"),
}


def layer_file_name(collection_id: str, extension: str) -> str:
    return f"{collection_id}.{extension}"


def layers_root() -> Path:
    return Path(settings.OPENDATA_ROOT) / "layers"


def layer_file_path(collection_id: str, extension: str) -> Path:
    return layers_root() / layer_file_name(collection_id, extension)


def _write_geojson(collection: Collection, path: Path) -> int:
    """The whole collection as one FeatureCollection, streamed: returns its feature count."""
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"type":"FeatureCollection","features":[\n')
        for feature in collection.selection(FeatureQuery()).all():
            if written:
                out.write(",\n")
            out.write(feature)
            written += 1
        out.write("\n]}\n")
    return written


def _ogr2ogr(source: Path, target: Path, driver: str, version: datetime.datetime, *options):
    subprocess.run(
        ["ogr2ogr", "-f", driver, str(target), str(source), "-nln", source.stem, *options],
        check=True,
        capture_output=True,
        timeout=OGR2OGR_TIMEOUT_S,
        # The GeoPackage's own dates are the data's, so that the same data gives the same bytes.
        env={
            **os.environ,
            "OGR_CURRENT_DATE": version.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    )


def layer_files_publish(*, only_if_stale: bool = False) -> dict:
    """Rebuild every collection's files and the manifest the downloads page reads; with
    `only_if_stale`, only if data changed since they were built. Safe to run twice or at
    once: builds wait for each other, and unchanged files are left as they are."""
    root = layers_root()
    root.mkdir(parents=True, exist_ok=True)
    with build_lock(root / MANIFEST_NAME):
        manifest = read_manifest()
        if only_if_stale and not manifest_is_stale(manifest):
            return manifest
        return _publish(root)


def _publish(root: Path) -> dict:
    # Read before the rows, as for the archive (services.occurrence_archive_publish).
    version_read = data_version()
    version = archive_data_version(OPEN_DATA_SOURCES) or timezone.now()
    manifest = {
        "data_version": version_read,
        "version": version.isoformat(),
        "built": timezone.now().isoformat(),
        "layers": {},
    }
    with translation.override("en"), tempfile.TemporaryDirectory(dir=root) as work:
        for collection in COLLECTIONS.values():
            source = Path(work) / layer_file_name(collection.id, "geojson")
            count = _write_geojson(collection, source)
            point_layer = collection.geometry == "point"
            csv_geometry = "GEOMETRY=AS_XY" if point_layer else "GEOMETRY=AS_WKT"
            built = {
                "gpkg": Path(work) / layer_file_name(collection.id, "gpkg"),
                "csv": Path(work) / layer_file_name(collection.id, "csv"),
            }
            _ogr2ogr(source, built["gpkg"], "GPKG", version)
            _ogr2ogr(source, built["csv"], "CSV", version, "-lco", csv_geometry)
            built["geojson"] = source
            sizes = {}
            for extension, path in built.items():
                target = layer_file_path(collection.id, extension)
                replace_if_changed(path, target)
                sizes[extension] = target.stat().st_size
            manifest["layers"][collection.id] = {"features": count, "sizes": sizes}
    return write_manifest(root / MANIFEST_NAME, manifest)


def layers_citation(*, version: datetime.datetime) -> str:
    return (
        f"{PUBLISHER} ({version:%Y}). NEASPEC Conservation Portal: protected areas, "
        f"transboundary links, occurrences, project sites and countries. "
        f"Version {version:%Y-%m-%d}."
    )


def read_manifest() -> dict | None:
    return read_manifest_file(layers_root() / MANIFEST_NAME)
