"""What the API reads: each list starts from its model's `published()` queryset, and every
related record it names is read through `published()` too, so a draft (or archived, or
deleted) record's name or slug never rides along on a public one. Occurrences come through
`for_viewer`, whose `shown_location` is the only position the API writes."""

from django.db.models import Prefetch, QuerySet

from meetings.models import Decision, Meeting
from projects.models import Output, Project
from projects.selectors import project_detail_queryset
from protected_areas.models import ProtectedArea
from species.models import Occurrence, PopulationEstimate, Species


def _published_areas() -> QuerySet[ProtectedArea]:
    return ProtectedArea.objects.published().select_related("country").defer("boundary")


def api_projects() -> QuerySet[Project]:
    """As on the project's page: its approving meeting, species, protected areas and outputs
    only where they are published."""
    return project_detail_queryset().order_by("-start_year", "title", "pk")


def api_outputs() -> QuerySet[Output]:
    return (
        Output.objects.published()
        .filter(project__in=Project.objects.published())
        .select_related("project")
        .order_by("project__title", "-year", "title", "pk")
    )


def api_meetings() -> QuerySet[Meeting]:
    return (
        Meeting.objects.published()
        .select_related("host_country")
        .prefetch_related("documents")
        .order_by("-year", "-start_date", "title", "pk")
    )


def api_decisions() -> QuerySet[Decision]:
    return (
        Decision.objects.published()
        .select_related("meeting")
        .prefetch_related(Prefetch("related_projects", queryset=Project.objects.published()))
        .order_by("-meeting__year", "meeting__title", "reference", "pk")
    )


def api_species() -> QuerySet[Species]:
    return (
        Species.objects.published()
        .prefetch_related("range_countries")
        .order_by("-is_flagship", "common_name", "pk")
    )


def api_population_estimates() -> QuerySet[PopulationEstimate]:
    return (
        PopulationEstimate.objects.published()
        .select_related("species", "country")
        .prefetch_related(Prefetch("protected_area", queryset=_published_areas()))
        .order_by("species__common_name", "year", "scope", "pk")
    )


def api_protected_areas() -> QuerySet[ProtectedArea]:
    """Published areas without their boundary (a list carries each area's point)."""
    return _published_areas().order_by("country__name", "name", "pk")


def api_protected_area_detail() -> QuerySet[ProtectedArea]:
    return ProtectedArea.objects.published().select_related("country")


def api_occurrences(user) -> QuerySet[Occurrence]:
    """Published occurrences as `user` may see them (`shown_location`, generalised for
    sensitive species unless the user is entitled to exact points)."""
    return (
        Occurrence.objects.published()
        .for_viewer(user)
        .select_related("species")
        .prefetch_related(Prefetch("protected_area", queryset=_published_areas()))
        .order_by("-event_date", "pk")
    )
