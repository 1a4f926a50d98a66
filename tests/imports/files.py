"""Fixture files written by the tests themselves with GDAL (ogr2ogr) and the csv module."""

import csv
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

OGR2OGR = shutil.which("ogr2ogr") or "/usr/bin/ogr2ogr"

# A WDPA row with every column of the public schema.
WDPA_DEFAULTS = {
    "WDPAID": 0,
    "WDPA_PID": "",
    "PA_DEF": "1",
    "NAME": "",
    "ORIG_NAME": "",
    "DESIG": "Zapovednik",
    "DESIG_ENG": "Strict Nature Reserve",
    "DESIG_TYPE": "National",
    "IUCN_CAT": "Ia",
    "INT_CRIT": "Not Applicable",
    "MARINE": "0",
    "REP_M_AREA": 0.0,
    "GIS_M_AREA": 0.0,
    "REP_AREA": 100.0,
    "GIS_AREA": 101.5,
    "NO_TAKE": "Not Applicable",
    "NO_TK_AREA": 0.0,
    "STATUS": "Designated",
    "STATUS_YR": 1990,
    "GOV_TYPE": "Federal or national ministry or agency",
    "OWN_TYPE": "State",
    "MANG_AUTH": "Ministry of Natural Resources",
    "MANG_PLAN": "Not Reported",
    "VERIF": "State Verified",
    "METADATAID": 1,
    "SUB_LOC": "Not Reported",
    "PARENT_ISO3": "RUS",
    "ISO3": "RUS",
    "SUPP_INFO": "Not Applicable",
    "CONS_OBJ": "Not Applicable",
}


def square_ring(lon: float, lat: float, size: float = 0.1) -> list:
    return [
        [lon, lat],
        [lon + size, lat],
        [lon + size, lat + size],
        [lon, lat + size],
        [lon, lat],
    ]


def polygon(lon: float, lat: float, size: float = 0.1) -> dict:
    return {"type": "Polygon", "coordinates": [square_ring(lon, lat, size)]}


def bowtie(lon: float, lat: float, size: float = 0.1) -> dict:
    """A self-intersecting polygon (a figure of eight)."""
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + size, lat + size], [lon + size, lat], [lon, lat + size], [lon, lat]]
        ],
    }


def wdpa_feature(geometry: dict, **attributes) -> dict:
    properties = {**WDPA_DEFAULTS, **attributes}
    if not properties["WDPA_PID"]:
        properties["WDPA_PID"] = str(properties["WDPAID"])
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def write_geojson(path: Path, features: list[dict], *, crs: str | None = None) -> Path:
    collection = {"type": "FeatureCollection", "features": features}
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


def ogr2ogr(target: Path, source: Path, *options: str) -> Path:
    subprocess.run(
        [OGR2OGR, *options, str(target), str(source)], check=True, capture_output=True, text=True
    )
    return target


def write_gpkg(path: Path, features: list[dict], *, layer: str = "WDPA_poly") -> Path:
    source = write_geojson(path.with_suffix(".src.geojson"), features)
    ogr2ogr(path, source, "-f", "GPKG", "-nln", layer)
    source.unlink()
    return path


def write_zipped_shapefile(
    path: Path, features: list[dict], *, name: str = "WDPA_polygons", srs: str = "", prj=True
) -> Path:
    """A zip of a shapefile written by ogr2ogr (reprojected to `srs` if given)."""
    folder = path.parent / f"{path.stem}_shp"
    folder.mkdir(exist_ok=True)
    source = write_geojson(folder / "source.geojson", features)
    options = ["-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8"]
    if srs:
        options += ["-t_srs", srs]
    ogr2ogr(folder / f"{name}.shp", source, *options)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in sorted(folder.glob(f"{name}.*")):
            if part.suffix == ".prj" and not prj:
                continue
            archive.write(part, part.name)
    shutil.rmtree(folder)
    return path


def write_filegdb_zip(path: Path, features: list[dict], *, layer: str = "WDPA_poly") -> Path:
    gdb = path.parent / "WDPA_public.gdb"
    source = write_geojson(path.parent / "gdb_source.geojson", features)
    ogr2ogr(gdb, source, "-f", "OpenFileGDB", "-nln", layer)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in sorted(gdb.rglob("*")):
            archive.write(part, f"WDPA_public.gdb/{part.relative_to(gdb)}")
    shutil.rmtree(gdb)
    source.unlink()
    return path


def write_csv(path: Path, header: list[str], rows: list[list], *, encoding="utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path
