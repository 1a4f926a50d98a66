"""The Darwin Core Archive read back as GBIF's tools read it: python-dwca-reader for the core
file and its descriptor, the XML parser for the metadata."""

import math
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import Point
from django.core.checks import run_checks
from dwca.read import DwCAReader

from common.models import PublicationState
from opendata.darwin_core import BASIS_OF_RECORD, LICENCES, TERM_NAMES, cell_reach_m
from opendata.eml import EML
from opendata.services import occurrence_archive_write
from species.models import BasisOfRecord, Occurrence
from tests.factories import OccurrenceFactory
from tests.opendata.conftest import (
    LEOPARD_POINT,
    archive_texts,
    occurrence_id,
    read_rows,
)

pytestmark = pytest.mark.django_db

# Every term issue 13 names, plus those added for GBIF's taxon matching and status.
REQUIRED_TERMS = {
    "occurrenceID",
    "basisOfRecord",
    "scientificName",
    "taxonRank",
    "eventDate",
    "decimalLatitude",
    "decimalLongitude",
    "geodeticDatum",
    "coordinateUncertaintyInMeters",
    "countryCode",
    "locality",
    "individualCount",
    "organismID",
    "datasetName",
    "institutionCode",
    "license",
    "rightsHolder",
    "dataGeneralizations",
    "informationWithheld",
}
# Darwin Core's basisOfRecord vocabulary (https://dwc.tdwg.org/terms/#dwc:basisOfRecord).
DWC_BASIS_OF_RECORD = {
    "PreservedSpecimen",
    "FossilSpecimen",
    "LivingSpecimen",
    "MaterialSample",
    "MaterialEntity",
    "MaterialCitation",
    "HumanObservation",
    "MachineObservation",
    "Occurrence",
}
# The order of a dataset's elements in EML 2.1.1 (resource group, then dataset group).
EML_DATASET_ORDER = [
    "alternateIdentifier",
    "shortName",
    "title",
    "creator",
    "metadataProvider",
    "associatedParty",
    "pubDate",
    "language",
    "series",
    "abstract",
    "keywordSet",
    "additionalInfo",
    "intellectualRights",
    "distribution",
    "coverage",
    "purpose",
    "maintenance",
    "contact",
    "publisher",
    "pubPlace",
    "methods",
    "project",
]


@pytest.fixture
def archive(world, tmp_path):
    path = tmp_path / "dwca.zip"
    occurrence_archive_write(destination=path)
    return path


def test_the_core_is_an_occurrence_file_with_every_term(archive):
    with DwCAReader(str(archive)) as dwca:
        core = dwca.descriptor.core
        assert core.type == "http://rs.tdwg.org/dwc/terms/Occurrence"
        assert core.file_location == "occurrence.txt"
        assert core.fields_terminated_by == "\t"
        assert core.file_encoding == "UTF-8"
        assert core.fields_enclosed_by == ""
        assert core.lines_to_ignore == 1
        terms = {term.rsplit("/", 1)[1] for term in core.terms}
        assert terms >= REQUIRED_TERMS
        assert dwca.metadata is not None
    [header, *_] = archive_texts(archive)["occurrence.txt"].splitlines()
    assert header.split("\t") == TERM_NAMES


def test_core_rows_carry_the_published_records(world, archive):
    rows = read_rows(archive)
    assert set(rows) == {
        occurrence_id(record)
        for record in (
            world.leopard_record,
            world.crane_survey,
            world.crane_literature,
            world.crane_at_draft_area,
        )
    }
    survey = rows[occurrence_id(world.crane_survey)]
    assert survey == {
        **survey,
        "basisOfRecord": "HumanObservation",
        "occurrenceStatus": "present",
        "scientificName": "Grus monacha",
        "taxonRank": "species",
        "kingdom": "Animalia",
        "class": "Aves",
        "eventDate": "2023-11-05",
        "decimalLatitude": "44.7043",
        "decimalLongitude": "132.3127",
        "geodeticDatum": "EPSG:4326",
        "coordinateUncertaintyInMeters": "250",
        "countryCode": "RU",
        "locality": "Khanka Nature Reserve",
        "individualCount": "12",
        "organismID": "",
        "datasetName": 'Khanka "autumn" count',
        "institutionCode": "NEASPEC",
        "references": "https://example.org/khanka-2023",
        "license": LICENCES["CC-BY-4.0"].url,
        "rightsHolder": "NEASPEC Secretariat, ESCAP East and North-East Asia Office",
        "dataGeneralizations": "",
        "informationWithheld": "",
    }
    literature = rows[occurrence_id(world.crane_literature)]
    # Only the year is known; the country is found from the point (no protected area).
    assert literature["eventDate"] == "2006"
    assert literature["basisOfRecord"] == "Occurrence"
    assert literature["countryCode"] == "CN"
    assert literature["locality"] == ""
    assert literature["coordinateUncertaintyInMeters"] == ""
    leopard = rows[occurrence_id(world.leopard_record)]
    assert leopard["basisOfRecord"] == "MachineObservation"
    assert leopard["taxonRank"] == "subspecies"
    assert leopard["class"] == "Mammalia"


def test_every_basis_of_record_maps_onto_darwin_core():
    assert set(BASIS_OF_RECORD) == set(BasisOfRecord)
    assert set(BASIS_OF_RECORD.values()) <= DWC_BASIS_OF_RECORD


def test_unpublished_records_are_absent_everywhere(world, archive):
    texts = archive_texts(archive)
    everything = "\n".join(texts.values())
    for state, record in world.hidden_records.items():
        assert occurrence_id(record) not in everything, state
        assert record.species.scientific_name not in everything, state
        assert record.species.common_name not in everything, state
    # Nor the name of a protected area still in draft, though a published record lies in it.
    assert "Secret Draft Reserve" not in everything
    assert read_rows(archive)[occurrence_id(world.crane_at_draft_area)]["countryCode"] == "RU"


def test_a_sensitive_record_is_generalised_and_says_so(world, archive, settings):
    texts = archive_texts(archive)
    lon, lat = LEOPARD_POINT
    for name, text in texts.items():
        for digits in (2, 3, 4):
            for value in (lon, lat):
                for shown in {
                    f"{value:.{digits}f}",
                    f"{math.floor(value * 10**digits) / 10**digits}",
                }:
                    assert shown not in text, f"{shown} (exact) found in {name}"
    # Nor anything that would lead to the site: its protected area, or its source.
    assert "Land of the Leopard" not in "".join(texts.values())
    assert "leopard-camera-trap-site" not in "".join(texts.values())

    row = read_rows(archive)[occurrence_id(world.leopard_record)]
    public = (
        Occurrence.objects.published().for_viewer(AnonymousUser()).get(pk=world.leopard_record.pk)
    )
    assert float(row["decimalLongitude"]) == pytest.approx(public.shown_location.x, abs=1e-6)
    assert float(row["decimalLatitude"]) == pytest.approx(public.shown_location.y, abs=1e-6)
    assert "10 km equal-area grid cell" in row["dataGeneralizations"]
    assert "Exact coordinates" in row["informationWithheld"]
    assert row["locality"] == "" and row["references"] == ""
    # Covers the whole cell (its half-diagonal at least), plus the record's own uncertainty.
    uncertainty = int(row["coordinateUncertaintyInMeters"])
    assert uncertainty >= settings.SENSITIVE_GRID_M * math.sqrt(2) / 2 + 30
    assert (
        uncertainty == cell_reach_m(float(row["decimalLatitude"]), settings.SENSITIVE_GRID_M) + 30
    )


def test_a_generalised_record_without_a_protected_area_names_no_country(world, tmp_path):
    # Its cell's centre may lie across the border from the record.
    record = OccurrenceFactory(species=world.leopard, location=Point(131.0, 43.0, srid=4326))
    path = tmp_path / "dwca.zip"
    occurrence_archive_write(destination=path)
    rows = read_rows(path)
    assert rows[occurrence_id(record)]["countryCode"] == ""
    assert rows[occurrence_id(world.leopard_record)]["countryCode"] == "RU"  # its area's


def test_the_grid_size_comes_from_the_settings(world, tmp_path, settings):
    settings.SENSITIVE_GRID_M = 25_000
    path = tmp_path / "coarse.zip"
    occurrence_archive_write(destination=path)
    row = read_rows(path)[occurrence_id(world.leopard_record)]
    assert "25 km equal-area grid cell" in row["dataGeneralizations"]
    assert int(row["coordinateUncertaintyInMeters"]) >= 25_000 * math.sqrt(2) / 2


def test_the_cell_reach_covers_the_cell_on_the_ground(db):
    """Against PostGIS: the geodesic distance from a cell's centre to its corners."""
    from django.db import connection  # noqa: PLC0415

    if connection.vendor != "postgresql":
        pytest.skip("geodesic distances from PostGIS")
    cell = 10_000
    with connection.cursor() as cursor:
        for lat in (0.0, 30.0, 43.3, 52.0, 65.0):
            cursor.execute(
                """
                WITH centre AS (
                    SELECT ST_Transform(ST_SetSRID(ST_MakePoint(131, %s), 4326), 6933) AS p
                )
                SELECT max(ST_Distance(
                    ST_Transform(p, 4326)::geography,
                    ST_Transform(ST_Translate(p, dx * %s / 2, dy * %s / 2), 4326)::geography
                ))
                FROM centre, (VALUES (-1, -1), (-1, 1), (1, -1), (1, 1)) AS corner(dx, dy)
                """,
                [lat, cell, cell],
            )
            [(farthest,)] = cursor.fetchall()
            assert farthest <= cell_reach_m(lat, cell) <= farthest * 1.03, lat


def test_metadata_files_are_well_formed_eml_with_title_rights_and_coverage(world, archive):
    texts = archive_texts(archive)
    meta = ET.fromstring(texts["meta.xml"])
    assert meta.tag == "{http://rs.tdwg.org/dwc/text/}archive"
    assert meta.get("metadata") == "eml.xml"

    eml = ET.fromstring(texts["eml.xml"])
    assert eml.tag == f"{{{EML}}}eml"
    assert eml.get("packageId")
    dataset = eml.find("dataset")
    children = [child.tag for child in dataset]
    assert [tag for tag in EML_DATASET_ORDER if tag in children] == list(dict.fromkeys(children))
    for required in ("title", "creator", "abstract", "intellectualRights", "coverage", "contact"):
        assert required in children
    assert "occurrences" in dataset.findtext("title")
    assert "10 km" in dataset.findtext("abstract/para")
    link = dataset.find("intellectualRights/para/ulink")
    assert link.get("url") == LICENCES["CC-BY-4.0"].url
    assert "CC-BY" in link.findtext("citetitle")
    assert dataset.findtext("contact/organizationName") == (
        "NEASPEC Secretariat, ESCAP East and North-East Asia Office"
    )
    assert "NEASPEC Secretariat" in eml.findtext("additionalMetadata/metadata/gbif/citation")

    # The box bounds the records as published: the leopard's generalised point, not its own.
    rows = read_rows(archive).values()
    lons = [float(row["decimalLongitude"]) for row in rows]
    lats = [float(row["decimalLatitude"]) for row in rows]
    bounds = dataset.find("coverage/geographicCoverage/boundingCoordinates")
    assert float(bounds.findtext("westBoundingCoordinate")) == min(lons)
    assert float(bounds.findtext("eastBoundingCoordinate")) == max(lons)
    assert float(bounds.findtext("southBoundingCoordinate")) == min(lats)
    assert float(bounds.findtext("northBoundingCoordinate")) == max(lats)
    taxa = {
        element.findtext("taxonRankValue"): element.findtext("taxonRankName")
        for element in dataset.iterfind("coverage/taxonomicCoverage/taxonomicClassification")
    }
    assert taxa == {"Grus monacha": "species", "Panthera pardus orientalis": "subspecies"}


def test_queries_do_not_grow_with_the_records(world, tmp_path, django_assert_max_num_queries):
    for _ in range(30):
        OccurrenceFactory(species=world.leopard)
        OccurrenceFactory(species=world.crane)
    with django_assert_max_num_queries(8):
        summary = occurrence_archive_write(destination=tmp_path / "dwca.zip")
    assert summary.coverage.records == 64


def test_an_empty_portal_gives_a_valid_empty_archive(db, tmp_path):
    path = tmp_path / "empty.zip"
    summary = occurrence_archive_write(destination=path)
    assert summary.coverage.records == 0
    assert read_rows(path) == {}
    eml = ET.fromstring(archive_texts(path)["eml.xml"])
    assert eml.find("dataset/coverage") is None  # coverage may not be empty in EML


def test_the_same_data_gives_the_same_bytes(world, tmp_path):
    first, second = tmp_path / "1.zip", tmp_path / "2.zip"
    occurrence_archive_write(destination=first)
    occurrence_archive_write(destination=second)
    assert first.read_bytes() == second.read_bytes()


def test_a_licence_gbif_does_not_accept_is_refused(settings):
    settings.OPENDATA_LICENCE = "CC-BY-SA-4.0"
    assert [error.id for error in run_checks() if error.id.startswith("opendata")] == [
        "opendata.E001"
    ]
    settings.OPENDATA_LICENCE = "CC0-1.0"
    assert not [error for error in run_checks() if error.id.startswith("opendata")]


def test_the_licence_setting_reaches_rows_and_metadata(world, tmp_path, settings):
    settings.OPENDATA_LICENCE = "CC0-1.0"
    path = tmp_path / "cc0.zip"
    occurrence_archive_write(destination=path)
    assert {row["license"] for row in read_rows(path).values()} == {LICENCES["CC0-1.0"].url}
    eml = ET.fromstring(archive_texts(path)["eml.xml"])
    assert eml.find("dataset/intellectualRights/para/ulink").get("url") == LICENCES["CC0-1.0"].url


def test_unpublishing_a_species_removes_its_records(world, tmp_path):
    world.crane.publication_state = PublicationState.ARCHIVED
    world.crane.save()
    path = tmp_path / "after.zip"
    occurrence_archive_write(destination=path)
    assert set(read_rows(path)) == {occurrence_id(world.leopard_record)}
