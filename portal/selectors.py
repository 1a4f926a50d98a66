"""Reads that span the domain apps: the home page's figures and the site search."""

from dataclasses import dataclass

from django.db.models import Case, Count, QuerySet, When

from common.sql import matches_any_language
from meetings.models import Meeting
from projects.models import Project, ProjectStatus
from protected_areas.models import ProtectedArea, TransboundaryLink
from species.models import Species

SEARCH_LIMIT_PER_KIND = 25


def portal_figures() -> dict:
    """Headline figures for the home page; four queries whatever the data size."""
    by_status = dict(
        Project.objects.published()
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "species": Species.objects.published().count(),
        "protected_areas": ProtectedArea.objects.published().count(),
        "transboundary_links": TransboundaryLink.objects.published().count(),
        "projects_by_status": [
            {"status": status, "label": label, "count": by_status.get(status, 0)}
            for status, label in ProjectStatus.choices
        ],
        "projects": sum(by_status.values()),
    }


def featured_projects(*, limit: int = 3) -> list[Project]:
    """Ongoing projects first, then the most recent ones."""
    ongoing_first = Case(When(status=ProjectStatus.ONGOING, then=0), default=1)
    return list(Project.objects.published().order_by(ongoing_first, "-start_year", "title")[:limit])


@dataclass
class SearchResults:
    query: str
    projects: list
    species: list
    protected_areas: list
    meetings: list

    @property
    def total(self) -> int:
        return (
            len(self.projects) + len(self.species) + len(self.protected_areas) + len(self.meetings)
        )


def _first(queryset: QuerySet) -> list:
    return list(queryset.distinct()[:SEARCH_LIMIT_PER_KIND])


def portal_search(*, query: str) -> SearchResults:
    """Published projects, species, protected areas and meetings matching the words."""
    query = query.strip()
    if not query:
        return SearchResults(query, [], [], [], [])
    return SearchResults(
        query=query,
        projects=_first(
            Project.objects.published().filter(
                matches_any_language(query, ["title", "summary", "body"], ["acronym", "partners"])
            )
        ),
        species=_first(
            Species.objects.published().filter(
                matches_any_language(query, ["common_name", "description"], ["scientific_name"])
            )
        ),
        protected_areas=_first(
            ProtectedArea.objects.published()
            .with_country()
            .defer("boundary")
            .filter(
                matches_any_language(query, ["name", "designation", "description"], ["name_local"])
            )
        ),
        meetings=_first(
            Meeting.objects.published().filter(
                matches_any_language(query, ["title", "city", "summary"], ["number"])
            )
        ),
    )


def site_map_records() -> dict[str, list]:
    """Every published record for the sitemap page, by kind; one query each."""
    return {
        "projects": sorted(Project.objects.published(), key=lambda p: p.title.casefold()),
        "species": list(Species.objects.published()),
        "protected_areas": list(
            ProtectedArea.objects.published()
            .with_country()
            .defer("boundary")
            .order_by("country__name", "name")
        ),
        "meetings": list(Meeting.objects.published().order_by("-year", "-start_date")),
    }
