"""Indicator 5: published projects by status, species, country and year; budget by species;
the timeline of project periods."""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from projects.models import Project, ProjectStatus
from species.models import Species

from ..models import Indicator
from .base import DashboardIndicator, Names, Table, bar_chart, choice_label


def project_portfolio(*, current_year: int | None = None) -> dict:
    """Budgets are never added across currencies. A project working on several species counts
    in full for each of them (the records do not split budgets by species)."""
    current_year = current_year or datetime.date.today().year
    projects = list(
        Project.objects.published()
        .prefetch_related(Prefetch("species", queryset=Species.objects.published()), "countries")
        .order_by("start_year", "title")
    )
    by_status = Counter(project.status for project in projects)
    by_species: Counter = Counter()
    by_country: Counter = Counter()
    budget: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    budget_projects: Counter = Counter()
    by_year: dict[int, dict] = defaultdict(lambda: {"started": 0, "active": 0})
    timeline = []
    for project in projects:
        for species in project.species.all():
            by_species[species.slug] += 1
            if project.budget is not None:
                budget[(species.slug, project.budget_currency)] += project.budget
                budget_projects[(species.slug, project.budget_currency)] += 1
        for country in project.countries.all():
            by_country[country.iso_a3] += 1
        if project.start_year:
            by_year[project.start_year]["started"] += 1
            for year in range(project.start_year, _until(project, current_year) + 1):
                by_year[year]["active"] += 1
        timeline.append(
            {
                "title": str(project),
                "url": project.get_absolute_url(),
                "status": project.status,
                "start_year": project.start_year,
                "end_year": project.end_year,
                "open_ended": project.end_year is None,
                "shown_until": project.end_year
                or (
                    current_year if project.status == ProjectStatus.ONGOING else project.start_year
                ),
            }
        )
    return {
        "project_count": len(projects),
        "current_year": current_year,
        "by_status": [
            {"status": status.value, "label": str(status.label), "count": by_status[status.value]}
            for status in ProjectStatus
        ],
        "by_species": [
            {"species": slug, "count": count}
            for slug, count in sorted(by_species.items(), key=lambda i: (-i[1], i[0]))
        ],
        "by_country": [
            {"country": iso, "count": count}
            for iso, count in sorted(by_country.items(), key=lambda i: (-i[1], i[0]))
        ],
        "by_year": [
            {"year": year, **by_year[year]}
            for year in (range(min(by_year), max(by_year) + 1) if by_year else [])
        ],
        "budget_by_species": [
            {
                "species": slug,
                "currency": currency,
                "budget": float(amount),
                "projects": budget_projects[(slug, currency)],
            }
            for (slug, currency), amount in sorted(budget.items())
        ],
        "projects_without_budget": sum(1 for p in projects if p.budget is None),
        "timeline": timeline,
    }


def _until(project: Project, current_year: int) -> int | None:
    """The last year a project is shown as active: an ongoing one without an end year runs
    until this year."""
    if project.end_year:
        return project.end_year
    if project.status == ProjectStatus.ONGOING:
        return current_year
    return project.start_year


class ProjectPortfolio(DashboardIndicator):
    slug = Indicator.PROJECT_PORTFOLIO
    sources = gettext_lazy(
        "Published projects with their status, years, budgets, species and countries."
    )
    depends_on = ("projects.Project", "species.Species", "protected_areas.Country")
    compute = staticmethod(project_portfolio)

    def table(self, data: dict) -> Table:
        headers = [_("Project"), _("Status"), _("Start"), _("End")]
        rows = [
            [
                p["title"],
                choice_label(ProjectStatus, p["status"]),
                p["start_year"] or "",
                p["end_year"] or "",
            ]
            for p in data["timeline"]
        ]
        return headers, rows

    def charts(self, data: dict) -> list[dict]:
        names = Names.for_data(data)
        charts = [
            bar_chart(
                _("Projects by status"),
                [choice_label(ProjectStatus, s["status"]) for s in data["by_status"]],
                [{"label": _("Projects"), "data": [s["count"] for s in data["by_status"]]}],
            ),
            bar_chart(
                _("Projects by species"),
                [names.species(s["species"], s.get("name")) for s in data["by_species"]],
                [{"label": _("Projects"), "data": [s["count"] for s in data["by_species"]]}],
                horizontal=True,
            ),
            bar_chart(
                _("Projects by country"),
                [names.country(c["country"], c.get("name")) for c in data["by_country"]],
                [{"label": _("Projects"), "data": [c["count"] for c in data["by_country"]]}],
                horizontal=True,
            ),
            bar_chart(
                _("Projects by year"),
                [y["year"] for y in data["by_year"]],
                [
                    {"label": _("Active"), "data": [y["active"] for y in data["by_year"]]},
                    {"label": _("Started"), "data": [y["started"] for y in data["by_year"]]},
                ],
            ),
        ]
        dated = [p for p in data["timeline"] if p["start_year"]]
        if dated:
            charts.append(
                bar_chart(
                    _("Project periods"),
                    [_short(p["title"]) for p in dated],
                    [
                        {
                            "label": _("Period"),
                            "data": [[p["start_year"], p["shown_until"]] for p in dated],
                        }
                    ],
                    horizontal=True,
                    floating=True,
                )
            )
        if data["budget_by_species"]:
            budgets = data["budget_by_species"]
            charts.append(
                bar_chart(
                    _("Budget by species"),
                    [
                        f"{names.species(b['species'], b.get('name'))} ({b['currency']})"
                        for b in budgets
                    ],
                    [{"label": _("Budget"), "data": [b["budget"] for b in budgets]}],
                    horizontal=True,
                )
            )
        return charts

    def headline(self, data: dict) -> list[tuple[str, object]]:
        ongoing = next(s["count"] for s in data["by_status"] if s["status"] == "ongoing")
        total = data["project_count"]
        return [
            (ngettext("published project", "published projects", total), total),
            (ngettext("of them ongoing", "of them ongoing", ongoing), ongoing),
        ]


def _short(text: str, length: int = 48) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
