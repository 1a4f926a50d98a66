"""The record filters of the map (species, countries, project), shared by the layers."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from common.models import PublicationState
from projects.models import Project
from protected_areas.models import ProtectedArea
from species.models import Species
from species.selectors import protected_areas_holding


def protected_areas_matching(params) -> QuerySet[ProtectedArea]:
    """Published protected areas matching the filters: where one of the species is present
    (the species app's rule), in one of the countries, in the project."""
    areas = ProtectedArea.objects.published()
    if params.countries:
        areas = areas.filter(country__iso_a3__in=params.countries)
    if params.species:
        areas = protected_areas_holding(areas, params.species)
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
