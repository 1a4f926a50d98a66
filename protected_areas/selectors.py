"""Reads for the public protected-area pages. Every queryset starts from `published()`."""

from django.db.models import Prefetch, Q, QuerySet

from common.geometry import SimplifyPreserveTopology
from common.models import PublicationState
from projects.models import Project
from species.models import Species

from .models import ProtectedArea, TransboundaryLink


def protected_area_list(
    *, country: str = "", iucn_category: str = "", species: str = ""
) -> QuerySet[ProtectedArea]:
    """Published protected areas, filtered by country ISO code, IUCN category and the slug
    of a species recorded there (a record or a population estimate)."""
    areas = ProtectedArea.objects.published().select_related("country")
    if country:
        areas = areas.filter(country__iso_a3=country)
    if iucn_category:
        areas = areas.filter(iucn_category=iucn_category)
    if species:
        published = PublicationState.PUBLISHED
        areas = areas.filter(
            Q(occurrences__species__slug=species, occurrences__publication_state=published)
            | Q(
                population_estimates__species__slug=species,
                population_estimates__publication_state=published,
            )
        ).distinct()
    return areas.defer("boundary")


# Degrees of tolerance for the boundary on an area's page: its small map opens at zoom 7 at
# most, where a pixel spans about 0.011° of longitude (0.008° of latitude at 45° N), so
# 0.002° (~200 m) changes nothing visible there. The full boundary of a surveyed area runs
# to tens of thousands of vertices and would make the page megabytes; /map/ has the detail.
PAGE_BOUNDARY_TOLERANCE = 0.002


def protected_area_detail_queryset() -> QuerySet[ProtectedArea]:
    """Published areas for their page, with `page_boundary`, the boundary simplified in the
    database for the page's map; the full `boundary` is not read."""
    published_links = TransboundaryLink.objects.published().prefetch_related(
        Prefetch(
            "protected_areas",
            queryset=ProtectedArea.objects.published().select_related("country").defer("boundary"),
        )
    )
    return (
        ProtectedArea.objects.published()
        .select_related("country")
        .defer("boundary")
        .annotate(page_boundary=SimplifyPreserveTopology("boundary", PAGE_BOUNDARY_TOLERANCE))
        .prefetch_related(
            Prefetch("transboundary_links", queryset=published_links),
            Prefetch("projects", queryset=Project.objects.published()),
        )
    )


def protected_area_species(area: ProtectedArea) -> QuerySet[Species]:
    """Published species recorded in the area. One query."""
    return (
        Species.objects.published()
        .filter(
            Q(
                occurrences__protected_area=area,
                occurrences__publication_state=PublicationState.PUBLISHED,
            )
            | Q(
                population_estimates__protected_area=area,
                population_estimates__publication_state=PublicationState.PUBLISHED,
            )
        )
        .distinct()
    )


def transboundary_link_count() -> int:
    return TransboundaryLink.objects.published().count()
