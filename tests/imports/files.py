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


GBIF_TERMS = {
    "gbifID": "http://rs.gbif.org/terms/1.0/gbifID",
    "datasetKey": "http://rs.gbif.org/terms/1.0/datasetKey",
    "occurrenceID": "http://rs.tdwg.org/dwc/terms/occurrenceID",
    "basisOfRecord": "http://rs.tdwg.org/dwc/terms/basisOfRecord",
    "license": "http://purl.org/dc/terms/license",
    "datasetName": "http://rs.tdwg.org/dwc/terms/datasetName",
    "scientificName": "http://rs.tdwg.org/dwc/terms/scientificName",
    "acceptedScientificName": "http://rs.gbif.org/terms/1.0/acceptedScientificName",
    "verbatimScientificName": "http://rs.gbif.org/terms/1.0/verbatimScientificName",
    "eventDate": "http://rs.tdwg.org/dwc/terms/eventDate",
    "year": "http://rs.tdwg.org/dwc/terms/year",
    "decimalLatitude": "http://rs.tdwg.org/dwc/terms/decimalLatitude",
    "decimalLongitude": "http://rs.tdwg.org/dwc/terms/decimalLongitude",
    "coordinateUncertaintyInMeters": "http://rs.tdwg.org/dwc/terms/coordinateUncertaintyInMeters",
    "individualCount": "http://rs.tdwg.org/dwc/terms/individualCount",
    "dataGeneralizations": "http://rs.tdwg.org/dwc/terms/dataGeneralizations",
}
GBIF_DEFAULTS = {
    "datasetKey": "4fa7b334-ce0d-4e88-aaae-2e0c138d049e",
    "basisOfRecord": "HUMAN_OBSERVATION",
    "license": "http://creativecommons.org/licenses/by/4.0/legalcode",
    "datasetName": "Crane surveys of the Amur basin",
    "eventDate": "2023-01-15",
    "year": "2023",
    "coordinateUncertaintyInMeters": "100",
    "individualCount": "3",
    "dataGeneralizations": "",
}


def gbif_row(gbif_id: int, name: str, lon: float, lat: float, **terms) -> dict:
    return {
        **GBIF_DEFAULTS,
        "gbifID": str(gbif_id),
        "occurrenceID": f"urn:survey:{gbif_id}",
        "scientificName": name,
        "acceptedScientificName": name,
        "verbatimScientificName": name,
        "decimalLatitude": str(lat),
        "decimalLongitude": str(lon),
        **terms,
    }


def write_gbif_download(
    path: Path,
    rows: list[dict],
    *,
    doi: str = "10.15468/dl.testab",
    terms: list[str] | None = None,
    encoding: str = "utf-8",
) -> Path:
    """A Darwin Core Archive laid out as GBIF.org's occurrence downloads are."""
    terms = terms or list(GBIF_TERMS)
    fields = "\n".join(
        f'    <field index="{index}" term="{GBIF_TERMS[term]}"/>'
        for index, term in enumerate(terms)
    )
    meta = f"""<?xml version="1.0" encoding="utf-8"?>
<archive xmlns="http://rs.tdwg.org/dwc/text/" metadata="metadata.xml">
  <core encoding="UTF-8" fieldsTerminatedBy="\\t" linesTerminatedBy="\\n" fieldsEnclosedBy=""
        ignoreHeaderLines="1" rowType="http://rs.tdwg.org/dwc/terms/Occurrence">
    <files><location>occurrence.txt</location></files>
    <id index="0"/>
{fields}
  </core>
</archive>"""
    eml = f"""<?xml version="1.0" encoding="utf-8"?>
<eml:eml xmlns:eml="eml://ecoinformatics.org/eml-2.1.1" packageId="{doi}" system="http://gbif.org">
  <dataset>
    <alternateIdentifier>{doi}</alternateIdentifier>
    <alternateIdentifier>0012345-240506114902167</alternateIdentifier>
    <title>GBIF Occurrence Download {doi}</title>
    <pubDate>2024-06-05</pubDate>
  </dataset>
</eml:eml>"""
    lines = ["\t".join(terms)] + ["\t".join(row.get(term, "") for term in terms) for row in rows]
    citation = (
        "Please cite this data as follows:\n"
        f"GBIF.org (05 June 2024) GBIF Occurrence Download https://doi.org/{doi}\n"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("meta.xml", meta)
        archive.writestr("metadata.xml", eml)
        archive.writestr("citations.txt", citation)
        archive.writestr("occurrence.txt", ("\n".join(lines) + "\n").encode(encoding))
    return path


def _ring_nodes(
    first_id: int, lon: float, lat: float, size: float
) -> list[tuple[int, float, float]]:
    corners = [(lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size)]
    return [(first_id + index, x, y) for index, (x, y) in enumerate(corners)]


def write_osm(path: Path, areas: list[dict]) -> Path:
    """An OpenStreetMap XML extract (GDAL's OSM driver reads it as it reads .osm.pbf).
    Each area: {"kind": "way" | "relation", "id": …, "square": (lon, lat, size), "tags": {…}}."""
    nodes, ways, relations = [], [], []
    for index, area in enumerate(areas):
        ring = _ring_nodes(1000 * (index + 1), *area["square"])
        nodes += ring
        refs = "".join(f'<nd ref="{node}"/>' for node, _x, _y in [*ring, ring[0]])
        tags = "".join(f'<tag k="{k}" v="{v}"/>' for k, v in area["tags"].items())
        if area["kind"] == "way":
            ways.append(f'<way id="{area["id"]}" version="1">{refs}{tags}</way>')
        else:
            way_id = 900000 + index
            ways.append(f'<way id="{way_id}" version="1">{refs}</way>')
            relations.append(
                f'<relation id="{area["id"]}" version="1">'
                f'<member type="way" ref="{way_id}" role="outer"/>'
                f'<tag k="type" v="multipolygon"/>{tags}</relation>'
            )
    node_xml = "".join(f'<node id="{n}" version="1" lat="{y}" lon="{x}"/>' for n, x, y in nodes)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><osm version="0.6" generator="tests">'
        f"{node_xml}{''.join(ways)}{''.join(relations)}</osm>",
        encoding="utf-8",
    )
    return path
