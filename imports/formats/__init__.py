"""The importers, one per format (imports.models.ImportFormat)."""

from ..models import Import, ImportFormat
from .base import Importer
from .boundary import BoundaryImporter
from .camtrap import CamtrapImporter
from .census import CensusImporter
from .gbif import GbifImporter
from .genetic import GeneticImporter
from .osm import OsmImporter
from .wdpa import WdpaImporter

IMPORTERS: dict[str, type[Importer]] = {
    ImportFormat.WDPA: WdpaImporter,
    ImportFormat.BOUNDARY: BoundaryImporter,
    ImportFormat.GBIF: GbifImporter,
    ImportFormat.CENSUS: CensusImporter,
    ImportFormat.OSM: OsmImporter,
    ImportFormat.CAMTRAP_DP: CamtrapImporter,
    ImportFormat.GENETIC: GeneticImporter,
}


def importer_for(run: Import, *, user, decisions: dict | None) -> Importer:
    return IMPORTERS[run.format](run, user=user, decisions=decisions)
