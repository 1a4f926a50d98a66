"""Reads for the public species pages. Every queryset starts from `published()`."""

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db.models import Prefetch, Q, QuerySet

from common.geometry import snap_to_equal_area_grid
from projects.models import Project
from protected_areas.models import ProtectedArea

from .models import (
    GbifDownload,
    Occurrence,
    PopulationEstimate,
    Species,
    SpeciesRange,
    sees_exact_locations,
)


def species_list() -> QuerySet[Species]:
    return Species.objects.published()


def species_detail_queryset() -> QuerySet[Species]:
    return Species.objects.published().prefetch_related(
        "range_countries",
        Prefetch(
            "population_estimates",
            queryset=PopulationEstimate.objects.select_related(
                "country", "protected_area"
            ).order_by("year", "scope", "pk"),
        ),
        Prefetch("ranges", queryset=SpeciesRange.objects.order_by("season")),
        Prefetch("projects", queryset=Project.objects.published()),
    )


def species_protected_areas(species: Species) -> QuerySet[ProtectedArea]:
    """Published protected areas holding the species: those with a record or a population
    estimate of it, and those lying in its mapped range. One query."""
    holds = Q(occurrences__species=species) | Q(population_estimates__species=species)
    for species_range in species.ranges.all():
        holds |= Q(location__intersects=species_range.geometry)
    return (
        ProtectedArea.objects.published()
        .filter(holds)
        .select_related("country")
        .distinct()
        .order_by("country__name", "name")
    )


def population_chart(estimates: list[PopulationEstimate]) -> list[dict]:
    """Bars for the population chart: one per estimate, scaled to the largest figure; a
    range is drawn from its minimum to its maximum."""
    largest = max((e.count or e.count_max or e.count_min or 0 for e in estimates), default=0)
    if not largest:
        return []
    bars = []
    for estimate in estimates:
        low = estimate.count if estimate.count is not None else estimate.count_min
        high = estimate.count if estimate.count is not None else (estimate.count_max or low)
        bars.append(
            {
                "estimate": estimate,
                "offset": 100 * low / largest if high != low else 0.0,
                "width": max(100 * (high - low if high != low else high) / largest, 0.5),
                "is_range": high != low,
            }
        )
    return bars


def occurrence_location_for(user, occurrence: Occurrence) -> Point:
    """The position of one occurrence as this user may see it: exact for staff; for anyone
    else, generalised to the equal-area grid when its species is sensitive. The same rule as
    `Occurrence.objects.for_viewer(user)` (use that for lists: it works in the database)."""
    if sees_exact_locations(user) or not occurrence.species.is_sensitive:
        return occurrence.location
    return snap_to_equal_area_grid(occurrence.location, settings.SENSITIVE_GRID_M)


def species_gbif_downloads(species: Species) -> QuerySet[GbifDownload]:
    """The GBIF downloads the species' occurrences were imported from: each is cited (DOI)
    wherever its records are shown."""
    return (
        GbifDownload.objects.filter(occurrence_sources__occurrence__species=species)
        .distinct()
        .order_by("-downloaded_on", "-pk")
    )
