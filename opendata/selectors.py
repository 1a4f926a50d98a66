"""Reads for the open-data files: what the public may see, through the same querysets as
every public page (`published()`, and `for_viewer` of an anonymous visitor for positions)."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, F, Max, OuterRef, QuerySet, Subquery
from modeltranslation.utils import build_localized_fieldname

from monitoring.models import GeneticSample
from projects.models import Project
from protected_areas.models import Country, ProtectedArea, TransboundaryLink
from species.models import Occurrence, Species

# Every model whose rows an archive is built from. An edit to one of them (or a change of
# its publication state) rebuilds the archive, and their change history dates it.
ARCHIVE_SOURCES = [Occurrence, Species, ProtectedArea, Country]
# Those of every open-data file (the archive and the layers of the downloads page): an edit
# to one of them queues the rebuild.
OPEN_DATA_SOURCES = [*ARCHIVE_SOURCES, TransboundaryLink, Project]


def occurrences_for_archive() -> QuerySet[Occurrence]:
    """Published occurrences as an anonymous visitor sees them (`shown_location`,
    `location_generalised`, `shown_uncertainty_m`), with what the archive adds:

    - `locality_name`: the protected area's name, only if that area is published;
    - `country_iso_a3`: the country of the record's protected area, if it has one (see
      `CountryLocator` for the others);
    - `material_sample`: whether the record is a genetic sample's (scat, hair: Darwin Core
      `MaterialSample`, where the portal's basis of record says only "specimen").
    """
    published_area = ProtectedArea.objects.published().filter(pk=OuterRef("protected_area_id"))
    return (
        Occurrence.objects.published()
        .for_viewer(AnonymousUser())
        .select_related("species")
        # What the archive writes, and never the exact `location`.
        .only(
            "event_date",
            "date_precision",
            "coordinate_uncertainty_m",
            "count",
            "basis_of_record",
            "dataset",
            "source_url",
            "species__scientific_name",
            # The English name (translated fields are stored per language).
            f"species__{build_localized_fieldname('common_name', 'en')}",
            "species__taxon_group",
        )
        .annotate(
            locality_name=Subquery(published_area.values("name")[:1]),
            country_iso_a3=F("protected_area__country__iso_a3"),
            material_sample=Exists(GeneticSample.objects.filter(occurrence=OuterRef("pk"))),
        )
        .order_by("pk")
    )


class CountryLocator:
    """The country whose boundary holds a point, found in memory with prepared geometries.

    Asking the database for each row costs ~12 ms (it unpacks a country's 36,000-vertex
    boundary every time): hours for a million records. Here it is microseconds. Only ever
    given points the public may see."""

    def __init__(self):
        self.countries = [
            (country.boundary.extent, country.boundary.prepared, country.iso_a3)
            for country in Country.objects.order_by("pk").only("iso_a3", "boundary")
        ]

    def iso_a3(self, point, x: float, y: float) -> str | None:
        """The country holding `point`, whose coordinates are `x`, `y`."""
        for (xmin, ymin, xmax, ymax), prepared, iso_a3 in self.countries:
            if xmin <= x <= xmax and ymin <= y <= ymax and prepared.intersects(point):
                return iso_a3
        return None


def archive_data_version(sources=ARCHIVE_SOURCES) -> datetime.datetime | None:
    """When a record the archive (or other files built from `sources`) is built from last
    changed (saved, published, deleted…), from the change history: the files' version date.
    None before any record exists."""
    changes = [model.history.aggregate(latest=Max("history_date"))["latest"] for model in sources]
    return max((change for change in changes if change is not None), default=None)
