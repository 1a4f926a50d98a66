"""The Darwin Core side of the occurrence archive: which terms the core file has, how the
portal's values map onto Darwin Core's, and the archive descriptor (meta.xml).

The file is tab-delimited UTF-8 with a header line and no quoting, as the GBIF IPT writes it:
values therefore never contain a tab or a line break (they are replaced by spaces)."""

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pycountry

from species.models import BasisOfRecord, TaxonGroup

DWC = "http://rs.tdwg.org/dwc/terms/"
DCTERMS = "http://purl.org/dc/terms/"
DWC_TEXT = "http://rs.tdwg.org/dwc/text/"
OCCURRENCE_ROW_TYPE = f"{DWC}Occurrence"
CORE_FILE = "occurrence.txt"

# Column order of occurrence.txt; the first is the record's identifier.
TERMS = [
    ("occurrenceID", DWC),
    ("basisOfRecord", DWC),
    ("occurrenceStatus", DWC),
    ("scientificName", DWC),
    ("taxonRank", DWC),
    ("kingdom", DWC),
    ("class", DWC),
    ("vernacularName", DWC),
    ("eventDate", DWC),
    ("decimalLatitude", DWC),
    ("decimalLongitude", DWC),
    ("geodeticDatum", DWC),
    ("coordinateUncertaintyInMeters", DWC),
    ("countryCode", DWC),
    ("locality", DWC),
    ("individualCount", DWC),
    ("organismID", DWC),
    ("datasetName", DWC),
    ("institutionCode", DWC),
    ("references", DCTERMS),
    ("license", DCTERMS),
    ("rightsHolder", DCTERMS),
    ("dataGeneralizations", DWC),
    ("informationWithheld", DWC),
]
TERM_NAMES = [name for name, _ in TERMS]

# The portal's basis of record → Darwin Core's basisOfRecord vocabulary. A figure taken
# from a publication is recorded as a generic Occurrence: the publication rarely says how it
# was observed (MaterialCitation is for specimens cited in literature).
BASIS_OF_RECORD = {
    BasisOfRecord.CAMERA_TRAP: "MachineObservation",
    BasisOfRecord.TELEMETRY: "MachineObservation",
    BasisOfRecord.MACHINE: "MachineObservation",
    BasisOfRecord.SPECIMEN: "PreservedSpecimen",
    BasisOfRecord.SURVEY: "HumanObservation",
    BasisOfRecord.LITERATURE: "Occurrence",
}


def basis_of_record(occurrence) -> str:
    """Darwin Core's basisOfRecord of an occurrence. A genetic sample's (scat, hair) is a
    `MaterialSample`, which the portal's basis "specimen" alone cannot tell from a preserved
    specimen: `occurrences_for_archive` annotates `material_sample`."""
    if getattr(occurrence, "material_sample", False):
        return "MaterialSample"
    return BASIS_OF_RECORD.get(occurrence.basis_of_record, "Occurrence")


# Higher taxa for GBIF's name matching.
TAXON_GROUP_CLASS = {TaxonGroup.MAMMAL: "Mammalia", TaxonGroup.BIRD: "Aves"}
KINGDOM = "Animalia"

GEODETIC_DATUM = "EPSG:4326"
INSTITUTION_CODE = "NEASPEC"
PUBLISHER = "NEASPEC Secretariat, ESCAP East and North-East Asia Office"


@dataclass(frozen=True)
class Licence:
    url: str
    title: str
    # The sentence the IPT writes into eml.xml's intellectualRights, around the link.
    before: str
    after: str


# The licences GBIF accepts, worded as the IPT words them.
LICENCES = {
    "CC0-1.0": Licence(
        url="http://creativecommons.org/publicdomain/zero/1.0/legalcode",
        title="Public Domain (CC0 1.0)",
        before=(
            "To the extent possible under law, the publisher has waived all rights to these "
            "data and has dedicated them to the "
        ),
        after=(
            ". Users may copy, modify, distribute and use the work, including for commercial "
            "purposes, without restriction."
        ),
    ),
    "CC-BY-4.0": Licence(
        url="http://creativecommons.org/licenses/by/4.0/legalcode",
        title="Creative Commons Attribution (CC-BY) 4.0 License",
        before="This work is licensed under a ",
        after=".",
    ),
    "CC-BY-NC-4.0": Licence(
        url="http://creativecommons.org/licenses/by-nc/4.0/legalcode",
        title="Creative Commons Attribution Non Commercial (CC-BY-NC) 4.0 License",
        before="This work is licensed under a ",
        after=".",
    ),
}


def taxon_rank(scientific_name: str) -> str:
    """The rank a name without authorship spells: a binomial is a species, a trinomial
    (Panthera tigris altaica) a subspecies."""
    return {2: "species", 3: "subspecies"}.get(len(scientific_name.split()), "")


def country_code(iso_a3: str | None) -> str:
    """ISO 3166-1 alpha-2 for the portal's alpha-3; empty for codes ISO does not assign."""
    country = pycountry.countries.get(alpha_3=iso_a3) if iso_a3 else None
    return country.alpha_2 if country else ""


def decimal(value: float | None, digits: int = 6) -> str:
    """A coordinate in plain decimal notation (never 1e-05), without trailing zeros."""
    if value is None:
        return ""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def cell_reach_m(latitude: float, cell_m: float) -> int:
    """How far on the ground a point of an equal-area grid cell (EASE-Grid 2.0, EPSG:6933)
    may lie from the cell's centre at this latitude: the distance to its farthest corner.

    The projection keeps areas, not lengths: a cell of `cell_m` projected metres is narrower
    and taller than that on the ground away from 30° of latitude, so its half-diagonal on
    the ground is longer than `cell_m · √2 / 2` (7.1 km for 10 km cells at 30°, 7.3 km at
    43°, 9.1 km at 60°). Computed on the sphere, plus 1 % for the ellipsoid."""
    radius = 6_371_007.2  # the authalic sphere EASE-Grid 2.0 is defined on
    cos_standard = math.cos(math.radians(30))
    lat0 = math.radians(latitude)
    half_lon = (cell_m / 2) / (radius * cos_standard)
    reach = 0.0
    for sign in (-1, 1):
        sin_lat = math.sin(lat0) + sign * (cell_m / 2) * cos_standard / radius
        corner_lat = math.asin(max(-1.0, min(1.0, sin_lat)))
        # Haversine distance from the centre to the corner.
        h = (
            math.sin((corner_lat - lat0) / 2) ** 2
            + math.cos(lat0) * math.cos(corner_lat) * math.sin(half_lon / 2) ** 2
        )
        reach = max(reach, 2 * radius * math.asin(math.sqrt(h)))
    return math.ceil(reach * 1.01)


def field(value) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def core_line(values: dict[str, object]) -> str:
    return "\t".join(field(values.get(name)) for name in TERM_NAMES) + "\n"


def header_line() -> str:
    return "\t".join(TERM_NAMES) + "\n"


def meta_xml() -> bytes:
    """The archive descriptor: one Occurrence core, its file and its columns."""
    ET.register_namespace("", DWC_TEXT)
    archive = ET.Element(f"{{{DWC_TEXT}}}archive", {"metadata": "eml.xml"})
    core = ET.SubElement(
        archive,
        f"{{{DWC_TEXT}}}core",
        {
            "encoding": "UTF-8",
            "fieldsTerminatedBy": "\\t",
            "linesTerminatedBy": "\\n",
            "fieldsEnclosedBy": "",
            "ignoreHeaderLines": "1",
            "rowType": OCCURRENCE_ROW_TYPE,
        },
    )
    files = ET.SubElement(core, f"{{{DWC_TEXT}}}files")
    ET.SubElement(files, f"{{{DWC_TEXT}}}location").text = CORE_FILE
    ET.SubElement(core, f"{{{DWC_TEXT}}}id", {"index": "0"})
    for index, (name, namespace) in enumerate(TERMS):
        ET.SubElement(
            core, f"{{{DWC_TEXT}}}field", {"index": str(index), "term": f"{namespace}{name}"}
        )
    ET.indent(archive)
    return xml_document(archive)


def xml_document(root: ET.Element) -> bytes:
    """UTF-8 XML with its declaration, as the IPT writes it."""
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
