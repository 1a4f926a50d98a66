"""The record filters of the map (species, countries, project), shared by the layers."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from common.models import PublicationState
from projects.models import Project
from protected_areas.models import ProtectedArea
from species.models import Occurrence, PopulationEstimate, Species


def protected_areas_matching(params) -> QuerySet[ProtectedArea]:
    """Published protected areas matching the species, country and project filters."""
    areas = ProtectedArea.objects.published()
    if params.countries:
        areas = areas.filter(country__iso_a3__in=params.countries)
    if params.species:
        areas = areas.filter(
            Exists(
                Occurrence.objects.published().filter(
                    protected_area=OuterRef("pk"), species__slug__in=params.species
                )
            )
            | Exists(
                PopulationEstimate.objects.published().filter(
                    protected_area=OuterRef("pk"), species__slug__in=params.species
                )
            )
            | Exists(
                Project.objects.published().filter(
                    protected_areas=OuterRef("pk"), species__slug__in=params.species
                )
            )
        )
    if params.project:
        areas = areas.filter(
            Exists(
                Project.objects.published().filter(
                    protected_areas=OuterRef("pk"), slug=params.project
                )
            )
        )
    return areas


def species_filter(params, species_path: str) -> Q:
    """Species records (ranges, occurrences) matching the filters, through `species_path`."""
    condition = Q()
    if params.species:
        condition &= Q(**{f"{species_path}__slug__in": params.species})
    if params.countries:
        condition &= Q(
            Exists(
                Species.range_countries.through.objects.filter(
                    species=OuterRef(species_path), country__iso_a3__in=params.countries
                )
            )
        )
    if params.project:
        condition &= Q(
            Exists(
                Project.species.through.objects.filter(
                    species=OuterRef(species_path),
                    project__slug=params.project,
                    project__publication_state=PublicationState.PUBLISHED,
                )
            )
        )
    return condition
