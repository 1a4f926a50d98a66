"""A small published world with one record of each kind the archive must treat differently:

Russia [130, 42] × [134, 46], China [124, 40] × [130, 48] (hand-drawn boxes)
leopard (sensitive)  camera trap at LEOPARD_POINT, in Land of the Leopard NP (Russia)
crane                survey at Khanka, day precision, 12 birds
crane                literature record, year only (2006), no protected area, in China
crane                telemetry, at a protected area still in draft
unpublished species  a record each in draft, in review, archived and deleted
"""

import datetime
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from dwca.read import DwCAReader

from common.models import PublicationState
from tests.factories import (
    CountryFactory,
    OccurrenceFactory,
    ProtectedAreaFactory,
    SpeciesFactory,
)

ARCHIVE_URL = "/downloads/occurrences-dwca.zip"
# The collections of OGC API – Features and the downloads page, in their order.
COLLECTION_IDS = [
    "protected-areas",
    "transboundary-links",
    "occurrences",
    "project-sites",
    "countries",
]
# Chosen so that its generalised point shares no two-decimal digits with it.
LEOPARD_POINT = (131.4582, 43.2371)


def box(xmin, ymin, xmax, ymax) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((xmin, ymin, xmax, ymax)), srid=4326)


@dataclass
class World:
    leopard: object
    crane: object
    leopard_record: object
    crane_survey: object
    crane_literature: object
    crane_at_draft_area: object
    hidden_records: dict


@pytest.fixture(autouse=True)
def archive_root(settings, tmp_path) -> Path:
    settings.OPENDATA_ROOT = tmp_path / "opendata"
    return settings.OPENDATA_ROOT


@pytest.fixture
def world(db, django_capture_on_commit_callbacks) -> World:
    # Committed, as far as on-commit hooks go: the archive is built once, as after an import.
    with django_capture_on_commit_callbacks(execute=True):
        return _world()


def _world() -> World:
    russia = CountryFactory(iso_a3="RUS", name="Russian Federation", boundary=box(130, 42, 134, 46))
    CountryFactory(iso_a3="CHN", name="China", boundary=box(124, 40, 130, 48))
    leopard_park = ProtectedAreaFactory(
        name="Land of the Leopard National Park",
        country=russia,
        boundary=box(131.2, 43.0, 131.8, 43.5),
        location=Point(131.5, 43.25, srid=4326),
    )
    khanka = ProtectedAreaFactory(
        name="Khanka Nature Reserve",
        country=russia,
        boundary=box(132.0, 44.5, 132.6, 45.0),
        location=Point(132.3, 44.7, srid=4326),
    )
    draft_area = ProtectedAreaFactory(
        name="Secret Draft Reserve",
        country=russia,
        boundary=box(133.0, 44.0, 133.2, 44.2),
        location=Point(133.1, 44.1, srid=4326),
        publication_state=PublicationState.DRAFT,
    )
    leopard = SpeciesFactory(
        scientific_name="Panthera pardus orientalis",
        slug="amur-leopard",
        common_name="Amur leopard",
        is_sensitive=True,
    )
    crane = SpeciesFactory(
        scientific_name="Grus monacha",
        slug="hooded-crane",
        common_name="Hooded crane",
        taxon_group="bird",
        movement="migratory",
    )
    leopard_record = OccurrenceFactory(
        species=leopard,
        location=Point(*LEOPARD_POINT, srid=4326),
        coordinate_uncertainty_m=30,
        protected_area=leopard_park,
        basis_of_record="camera_trap",
        dataset="Park camera traps",
        source_url="https://example.org/leopard-camera-trap-site",
    )
    crane_survey = OccurrenceFactory(
        species=crane,
        event_date=datetime.date(2023, 11, 5),
        location=Point(132.3127, 44.7043, srid=4326),
        coordinate_uncertainty_m=250,
        count=12,
        protected_area=khanka,
        basis_of_record="survey",
        dataset='Khanka "autumn" count',
        source_url="https://example.org/khanka-2023",
    )
    crane_literature = OccurrenceFactory(
        species=crane,
        event_date=datetime.date(2006, 1, 1),
        date_precision="year",
        location=Point(127.5, 45.5, srid=4326),
        count=10027,
        basis_of_record="literature",
        dataset="ESABII Migrant Birds Database",
    )
    # Not the name of an area that is not public; its country is public.
    crane_at_draft_area = OccurrenceFactory(
        species=crane,
        location=Point(133.1, 44.1, srid=4326),
        basis_of_record="telemetry",
        dataset="Crane tracking",
        protected_area=draft_area,
    )
    hidden_records = {}
    for state in (
        PublicationState.DRAFT,
        PublicationState.IN_REVIEW,
        PublicationState.ARCHIVED,
        PublicationState.DELETED,
    ):
        species = SpeciesFactory(
            scientific_name=f"Hiddenus {state.value.replace('_', '')}",
            slug=f"hidden-{state.value}",
            common_name=f"Hidden {state.label}",
            publication_state=state,
        )
        hidden_records[state] = OccurrenceFactory(
            species=species, location=Point(131.0 + len(hidden_records) / 10, 42.5, srid=4326)
        )
    return World(
        leopard,
        crane,
        leopard_record,
        crane_survey,
        crane_literature,
        crane_at_draft_area,
        hidden_records,
    )


def archive_texts(path: Path) -> dict[str, str]:
    """Every file of the zip, decompressed and decoded."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def read_rows(path: Path) -> dict[str, dict[str, str]]:
    """The core rows as python-dwca-reader reads them, by occurrenceID, with short term names."""
    with DwCAReader(str(path)) as dwca:
        return {
            row.id: {term.rsplit("/", 1)[1]: value for term, value in row.data.items()}
            for row in dwca
        }


def occurrence_id(record) -> str:
    return f"urn:neaspec-portal:occurrence:{record.pk}"
