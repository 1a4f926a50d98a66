"""Reading vector files through GDAL (django.contrib.gis.gdal): zipped shapefiles,
GeoPackages, GeoJSON, File Geodatabases, KML and OpenStreetMap extracts.

Features are read one at a time, never the whole file; zip archives are read in place
(GDAL's /vsizip/), after Python's zipfile has checked that they are complete. A layer that
declares a coordinate system other than WGS 84 is reprojected explicitly, and the report
says so; a layer without one must already be longitude/latitude."""

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.gis.gdal import (
    CoordTransform,
    DataSource,
    GDALException,
    OGRGeometry,
    SpatialReference,
)
from django.contrib.gis.gdal.feature import Feature
from django.contrib.gis.gdal.prototypes import ds as capi
from django.contrib.gis.geos import GEOSGeometry
from django.utils.encoding import DjangoUnicodeDecodeError

from common.geometry import STORAGE_SRID

VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json", ".kml", ".shp", ".osm", ".pbf", ".gdb")
SHAPEFILE_PARTS = (".shx", ".dbf")
# An archive whose contents would unpack to more than this many times the upload limit is
# refused (a "zip bomb"); real WDPA archives unpack to two or three times their size.
MAX_UNZIPPED_RATIO = 20


class FileRefused(Exception):
    """The file cannot be read at all; the message says why and how to fix it."""


@dataclass
class VectorLayer:
    dataset: DataSource
    index: int
    label: str
    transform: CoordTransform | None
    crs_note: str

    @property
    def layer(self):
        return self.dataset[self.index]

    @property
    def field_names(self) -> list[str]:
        return list(self.layer.fields)


@dataclass
class VectorFeature:
    number: int  # 1-based, across the layers of the file
    layer: VectorLayer
    values: dict
    # Fields whose text is not UTF-8: {name: the reason}.
    undecodable: dict[str, str] = field(default_factory=dict)
    geometry: GEOSGeometry | None = None
    geometry_error: str = ""


def _describe_crs(srs: SpatialReference) -> str:
    epsg = srs.srid
    name = srs.name or "unnamed"
    return f"EPSG:{epsg} ({name})" if epsg else name


def check_zip(path: Path, name: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
        broken = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise FileRefused(
            f"“{name}” is not a complete zip archive ({exc}); it may have been cut short "
            "while downloading. Download it again and upload the new file."
        ) from exc
    if broken is not None:
        raise FileRefused(
            f"“{name}” is damaged: “{broken}” inside it does not match its checksum. Download "
            "the archive again."
        )
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNZIPPED_RATIO * settings.IMPORT_MAX_BYTES:
        raise FileRefused(
            f"“{name}” would unpack to {unpacked:,} bytes, more than the portal accepts. "
            "Split it, or import the country extract rather than the whole world."
        )
    return archive


def _members_as_datasets(
    members: list[str], root: str, name: str, *, outer: Path | None = None
) -> list[tuple[str, str]]:
    """(GDAL path, label) of each dataset among the archive's members. Zips inside the
    archive `outer` (Protected Planet puts its shapefiles in three inner archives) are
    searched one level down."""
    found = []
    lowered = {member.lower(): member for member in members}
    geodatabases = sorted(
        {
            member[: member.lower().index(".gdb/") + 4]
            for member in members
            if ".gdb/" in member.lower()
        }
    )
    found += [(f"{root}/{gdb}", gdb) for gdb in geodatabases]
    for member in members:
        lower = member.lower()
        if ".gdb/" in lower or lower.endswith("/") or PurePosixPath(lower).name.startswith("."):
            continue
        suffix = PurePosixPath(lower).suffix
        if suffix == ".shp":
            stem = lower[: -len(suffix)]
            missing = [part for part in SHAPEFILE_PARTS if f"{stem}{part}" not in lowered]
            if missing:
                raise FileRefused(
                    f"The shapefile “{member}” in “{name}” lacks its {', '.join(missing)} "
                    "file: put all the files of the shapefile in the zip."
                )
            if f"{stem}.prj" not in lowered:
                raise FileRefused(
                    f"The shapefile “{member}” in “{name}” has no .prj file, so its coordinate "
                    "system is unknown. Add the .prj that came with it (or export the "
                    "shapefile again with its projection)."
                )
            found.append((f"{root}/{member}", member))
        elif suffix in (".gpkg", ".geojson", ".json", ".kml", ".pbf", ".osm"):
            found.append((f"{root}/{member}", member))
        elif suffix == ".zip" and outer is not None:
            found += _members_as_datasets(
                _inner_zip_members(outer, member, name), f"/vsizip/{{{root}/{member}}}", member
            )
    return found


def _inner_zip_members(outer: Path, member: str, name: str) -> list[str]:
    try:
        with (
            zipfile.ZipFile(outer) as archive,
            archive.open(member) as handle,
            zipfile.ZipFile(handle) as inner,
        ):
            broken = inner.testzip()
            if broken is not None:
                raise FileRefused(f"“{member}” inside “{name}” is damaged at “{broken}”.")
            return inner.namelist()
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise FileRefused(f"“{member}” inside “{name}” is not a complete zip archive.") from exc


def dataset_paths(path: Path, name: str) -> list[tuple[str, str]]:
    """The GDAL paths of the datasets a stored upload holds, checked for completeness."""
    if path.stat().st_size == 0:
        raise FileRefused(f"“{name}” is empty. Export the data again and upload that file.")
    if zipfile.is_zipfile(path) or name.lower().endswith(".zip"):
        members = check_zip(path, name).namelist()
        found = _members_as_datasets(members, f"/vsizip/{path}", name, outer=path)
        if not found:
            raise FileRefused(
                f"“{name}” holds no shapefile, GeoPackage, GeoJSON, KML or File Geodatabase."
            )
        return found
    lower = name.lower()
    if lower.endswith(".shp"):
        raise FileRefused(
            "A shapefile is several files: upload a zip of the .shp with its .shx, .dbf and .prj."
        )
    if not lower.endswith(VECTOR_SUFFIXES):
        raise FileRefused(
            f"“{name}” is not a format the portal reads: upload a zipped shapefile, a "
            "GeoPackage (.gpkg), GeoJSON (.geojson), KML (.kml), a zipped File Geodatabase "
            "or an OpenStreetMap extract (.osm.pbf)."
        )
    return [(str(path), name)]


def open_layers(path: Path, name: str, *, wanted=None) -> tuple[list[VectorLayer], list[str]]:
    """Open every dataset of the upload and return its layers (those `wanted(layer)` accepts,
    if given) with what the report should say about their coordinate systems."""
    layers, notes = [], []
    target = SpatialReference(STORAGE_SRID)
    for gdal_path, label in dataset_paths(path, name):
        try:
            dataset = DataSource(gdal_path, encoding="utf-8")
        except GDALException as exc:
            raise FileRefused(
                f"GDAL cannot read “{label}” in “{name}”: the file is damaged or not in the "
                "format its name says. Export it again."
            ) from exc
        for index in range(dataset.layer_count):
            layer = dataset[index]
            if wanted is not None and not wanted(layer):
                continue
            layer_label = label if dataset.layer_count == 1 else f"{label} › {layer.name}"
            srs = layer.srs
            transform, note = None, ""
            if srs is None:
                note = (
                    f"{layer_label}: no coordinate system declared; read as WGS 84 "
                    "longitude/latitude (values outside the range are refused)."
                )
            else:
                srs.identify_epsg()
                if srs.srid != STORAGE_SRID:
                    try:
                        transform = CoordTransform(srs, target)
                    except GDALException as exc:
                        raise FileRefused(
                            f"{layer_label}: its coordinate system {_describe_crs(srs)} cannot "
                            "be converted to WGS 84. Reproject the file to WGS 84 (EPSG:4326)."
                        ) from exc
                    note = (
                        f"{layer_label}: reprojected from {_describe_crs(srs)} to WGS 84 "
                        "(EPSG:4326)."
                    )
            if note:
                notes.append(note)
            layers.append(VectorLayer(dataset, index, layer_label, transform, note))
    return layers, notes


def _features(layer):
    """The layer's features one by one. Django's `Layer.__iter__` trusts the feature count,
    which the OSM driver does not know (-1): read until GDAL has no next feature instead."""
    capi.reset_reading(layer.ptr)
    while True:
        try:
            pointer = capi.get_next_feature(layer.ptr)
        except GDALException:
            return
        yield Feature(pointer, layer)


def count_features(layers: list[VectorLayer]) -> int:
    total = 0
    for vector_layer in layers:
        count = vector_layer.layer.num_feat
        total += count if count >= 0 else sum(1 for _feature in _features(vector_layer.layer))
    return total


def read_features(layers: list[VectorLayer], *, fields=None) -> Iterator[VectorFeature]:
    """Each feature of each layer in turn, numbered from 1 across the file, with its
    attributes (all, or `fields`) and its geometry in WGS 84 (or why it has none)."""
    number = 0
    for vector_layer in layers:
        layer = vector_layer.layer
        names = [name for name in layer.fields if fields is None or name in fields]
        for feature in _features(layer):
            number += 1
            values, undecodable = {}, {}
            for name in names:
                try:
                    values[name] = feature.get(name)
                except (DjangoUnicodeDecodeError, UnicodeDecodeError) as exc:
                    values[name] = None
                    undecodable[name] = str(exc)
            result = VectorFeature(number, vector_layer, values, undecodable)
            result.geometry, result.geometry_error = _feature_geometry(
                feature, vector_layer.transform
            )
            yield result


def _feature_geometry(feature, transform) -> tuple[GEOSGeometry | None, str]:
    try:
        geometry: OGRGeometry = feature.geom
    except GDALException:
        return None, "The row has no geometry."
    try:
        if geometry.has_curve:
            geometry = geometry.get_linear_geometry()
        geometry.set_3d(False)
        if geometry.is_measured:
            geometry.set_measured(False)
        if transform is not None:
            geometry.transform(transform)
        geos = geometry.geos
    except GDALException as exc:
        return None, f"GDAL could not read the geometry ({exc})."
    geos.srid = STORAGE_SRID
    return geos, ""
