"""Reads for the public project pages. Every queryset starts from `published()`."""

from django.db.models import Prefetch, Q, QuerySet

from protected_areas.models import Country, ProtectedArea
from species.models import Species

from .models import Output, Project


def project_list(
    *,
    species: str = "",
    country: str = "",
    status: str = "",
    year: int | None = None,
) -> QuerySet[Project]:
    """Published projects, filtered by species slug, country ISO code, status and a year
    the project was running in (a project with no end year is taken as still running)."""
    projects = Project.objects.published().prefetch_related(
        Prefetch("countries", queryset=Country.objects.without_boundary())
    )
    if species:
        projects = projects.filter(species__slug=species)
    if country:
        projects = projects.filter(countries__iso_a3=country)
    if status:
        projects = projects.filter(status=status)
    if year:
        projects = projects.filter(
            Q(start_year__lte=year) | Q(start_year__isnull=True),
            Q(end_year__gte=year) | Q(end_year__isnull=True),
        ).exclude(start_year__isnull=True, end_year__isnull=True)
    return projects.distinct()


def project_detail_queryset() -> QuerySet[Project]:
    """A published project with what its page shows, each part published: a project approved
    at a meeting that is not (yet, or any more) public shows no meeting (`approved_at` None)."""
    # Named through the field: meetings sit above projects and are not imported here.
    meeting_model = Project._meta.get_field("approved_at").related_model
    return Project.objects.published().prefetch_related(
        Prefetch("approved_at", queryset=meeting_model.objects.published()),
        Prefetch("species", queryset=Species.objects.published()),
        Prefetch("countries", queryset=Country.objects.without_boundary()),
        Prefetch(
            "protected_areas",
            queryset=ProtectedArea.objects.published().with_country().defer("boundary"),
        ),
        Prefetch("outputs", queryset=Output.objects.published().order_by("-year", "kind")),
    )


def project_related(project: Project, *, limit: int = 4) -> list[Project]:
    """Other published projects on the same species or in the same countries, those sharing
    species first. One query."""
    species_ids = [s.pk for s in project.species.all()]
    country_ids = [c.pk for c in project.countries.all()]
    if not species_ids and not country_ids:
        return []
    related = (
        Project.objects.published()
        .exclude(pk=project.pk)
        .filter(Q(species__in=species_ids) | Q(countries__in=country_ids))
        .distinct()
    )
    return list(related[:limit])


def projects_at(area: ProtectedArea) -> QuerySet[Project]:
    """Published projects working in the protected area, for its page. One query."""
    return Project.objects.published().filter(protected_areas=area)
