"""The archive's dataset metadata, eml.xml: EML 2.1.1 in the GBIF metadata profile, laid
out as the GBIF IPT writes it (the element order is the schema's)."""

import datetime
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from .darwin_core import PUBLISHER, Licence, decimal, taxon_rank, xml_document

EML = "eml://ecoinformatics.org/eml-2.1.1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
DC = "http://purl.org/dc/terms/"
XML = "http://www.w3.org/XML/1998/namespace"
GBIF_PROFILE = "http://rs.gbif.org/schema/eml-gbif-profile/1.1/eml.xsd"

# A stable identifier of this dataset, the same in every version of the archive.
PACKAGE_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "neaspec-portal:occurrences"))
TITLE = "NEASPEC Conservation Portal: occurrences of flagship species in North-East Asia"
GEOGRAPHIC_DESCRIPTION = (
    "North-East Asia: the NEASPEC member states (China, the Democratic People's Republic of "
    "Korea, Japan, Mongolia, the Republic of Korea and the Russian Federation) and their "
    "border areas. The box bounds the records as published, sensitive ones generalised."
)


@dataclass
class ArchiveCoverage:
    """What the rows of an archive cover, gathered while they are written."""

    west: float | None = None
    east: float | None = None
    south: float | None = None
    north: float | None = None
    # scientific name → common name
    species: dict[str, str] = field(default_factory=dict)
    records: int = 0
    generalised: int = 0

    def add(self, *, lon: float, lat: float, scientific_name: str, common_name: str) -> None:
        self.records += 1
        self.west = lon if self.west is None else min(self.west, lon)
        self.east = lon if self.east is None else max(self.east, lon)
        self.south = lat if self.south is None else min(self.south, lat)
        self.north = lat if self.north is None else max(self.north, lat)
        self.species.setdefault(scientific_name, common_name)


def _text(parent: ET.Element, tag: str, text: str, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = text
    return element


def _para(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    _text(element, "para", text)
    return element


def _organisation(parent: ET.Element, tag: str) -> None:
    # No address or e-mail of the Secretariat is given by the sources the portal relies on,
    # so the party is the organisation alone.
    _text(ET.SubElement(parent, tag), "organizationName", PUBLISHER)


def abstract(*, cell_km: str) -> str:
    return (
        "Occurrence records of the species in the NEASPEC Conservation Portal, led by the "
        "six flagship species of NEASPEC's Nature Conservation Strategy (Amur tiger, Amur "
        "leopard, snow leopard, black-faced spoonbill, white-naped crane and hooded crane), "
        "in the transboundary areas of North-East Asia, compiled on the portal from published "
        "counts, surveys and monitoring; each record names the dataset it comes from. Only "
        "records published on the portal are included. Occurrences of species at risk from "
        "poaching are "
        f"generalised to the centre of a {cell_km} equal-area grid cell; exact coordinates "
        "are available to authorised users on request."
    )


def citation(*, version: datetime.datetime) -> str:
    return f"{PUBLISHER} ({version:%Y}). {TITLE}. Version {version:%Y-%m-%d}. Occurrence dataset."


def eml_xml(
    *, coverage: ArchiveCoverage, licence: Licence, version: datetime.datetime, cell_km: str
) -> bytes:
    ET.register_namespace("eml", EML)
    ET.register_namespace("dc", DC)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(
        f"{{{EML}}}eml",
        {
            "packageId": PACKAGE_ID,
            "system": "http://gbif.org",
            "scope": "system",
            f"{{{XML}}}lang": "eng",
            f"{{{XSI}}}schemaLocation": f"{EML} {GBIF_PROFILE}",
        },
    )
    dataset = ET.SubElement(root, "dataset")
    _text(dataset, "alternateIdentifier", PACKAGE_ID)
    _text(dataset, "title", TITLE, **{f"{{{XML}}}lang": "eng"})
    _organisation(dataset, "creator")
    _organisation(dataset, "metadataProvider")
    _text(dataset, "pubDate", f"{version:%Y-%m-%d}")
    _text(dataset, "language", "eng")
    _para(dataset, "abstract", abstract(cell_km=cell_km))
    keywords = ET.SubElement(dataset, "keywordSet")
    _text(keywords, "keyword", "Occurrence")
    _text(
        keywords,
        "keywordThesaurus",
        "GBIF Dataset Type Vocabulary: http://rs.gbif.org/vocabulary/gbif/dataset_type_2015-07-10.xml",
    )
    rights = ET.SubElement(ET.SubElement(dataset, "intellectualRights"), "para")
    rights.text = licence.before
    link = ET.SubElement(rights, "ulink", {"url": licence.url})
    _text(link, "citetitle", licence.title)
    link.tail = licence.after
    if coverage.records:
        _coverage(dataset, coverage)
    maintenance = ET.SubElement(dataset, "maintenance")
    _para(
        maintenance,
        "description",
        "Rebuilt by the portal whenever a published record, or what the public may see of it, "
        "changes.",
    )
    _text(maintenance, "maintenanceUpdateFrequency", "asNeeded")
    _organisation(dataset, "contact")
    gbif = ET.SubElement(
        ET.SubElement(ET.SubElement(root, "additionalMetadata"), "metadata"), "gbif"
    )
    _text(gbif, "dateStamp", version.isoformat(timespec="seconds"))
    _text(gbif, "hierarchyLevel", "dataset")
    _text(gbif, "citation", citation(version=version))
    ET.indent(root)
    # The licence sentence is mixed content: no layout whitespace inside it.
    link.text = None
    link.find("citetitle").tail = None
    return xml_document(root)


def _coverage(dataset: ET.Element, coverage: ArchiveCoverage) -> None:
    element = ET.SubElement(dataset, "coverage")
    geographic = ET.SubElement(element, "geographicCoverage")
    _text(geographic, "geographicDescription", GEOGRAPHIC_DESCRIPTION)
    box = ET.SubElement(geographic, "boundingCoordinates")
    _text(box, "westBoundingCoordinate", decimal(coverage.west))
    _text(box, "eastBoundingCoordinate", decimal(coverage.east))
    _text(box, "northBoundingCoordinate", decimal(coverage.north))
    _text(box, "southBoundingCoordinate", decimal(coverage.south))
    taxonomic = ET.SubElement(element, "taxonomicCoverage")
    _text(
        taxonomic,
        "generalTaxonomicCoverage",
        "Mammals and birds of conservation concern in North-East Asia, led by NEASPEC's "
        "flagship species.",
    )
    for scientific_name, common_name in sorted(coverage.species.items()):
        classification = ET.SubElement(taxonomic, "taxonomicClassification")
        _text(classification, "taxonRankName", taxon_rank(scientific_name))
        _text(classification, "taxonRankValue", scientific_name)
        _text(classification, "commonName", common_name)
