"""What each indicator is: its function and parameters, the records it depends on, and how
its data becomes tables, charts and headline figures. Pages and CSV files read snapshots
through these; nothing here queries the database."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from meetings.models import FollowUpStatus
from projects.models import ProjectStatus
from species.models import CountUnit, EstimateScope

from . import indicators
from .models import Indicator

Table = tuple[list[str], list[list]]


@dataclass(frozen=True)
class IndicatorSpec:
    slug: str
    compute: Callable[..., dict]
    sources: "str | Promise"
    depends_on: tuple[str, ...]
    table: Callable[[dict], Table]
    charts: Callable[[dict], list[dict]]
    headline: Callable[[dict], list[tuple[str, object]]]
    spatial: bool = False
    parameters: Callable[[], dict] = field(default=dict)

    @property
    def title(self) -> str:
        return str(Indicator(self.slug).label)

    def run(self) -> dict:
        return self.compute(**self.parameters())


def _bar(title, labels, datasets, *, stacked=False, horizontal=False, floating=False) -> dict:
    """A bar chart; `floating` bars span [start, end] values (a timeline)."""
    return {
        "type": "bar",
        "title": title,
        "labels": labels,
        "datasets": datasets,
        "stacked": stacked,
        "horizontal": horizontal,
        "floating": floating,
    }


# -- 1. transboundary pairs ------------------------------------------------------------
def _pairs_table(data: dict) -> Table:
    headers = [
        _("Protected area A"),
        _("Country A"),
        _("Protected area B"),
        _("Country B"),
        _("Distance (km)"),
        _("Shared border (km)"),
        _("Recorded link"),
    ]
    rows = [
        [
            p["a"]["name"],
            p["a"]["country"],
            p["b"]["name"],
            p["b"]["country"],
            p["distance_km"],
            p["shared_border_km"],
            "; ".join(f"{link['name']} ({link['cooperation']})" for link in p["links"])
            or _("none: candidate"),
        ]
        for p in data["pairs"]
    ]
    return headers, rows


def _pairs_charts(data: dict) -> list[dict]:
    linked = data["pair_count"] - data["unlinked_count"]
    return [
        _bar(
            _("Pairs within reach, by whether a link records them"),
            [_("Recorded in a transboundary link"), _("Candidate: no link yet")],
            [{"label": _("Pairs"), "data": [linked, data["unlinked_count"]]}],
        )
    ]


def _pairs_headline(data: dict) -> list[tuple[str, object]]:
    pairs, unlinked = data["pair_count"], data["unlinked_count"]
    return [
        (
            ngettext(
                "protected-area pair within %(km)s km across a border",
                "protected-area pairs within %(km)s km across a border",
                pairs,
            )
            % {"km": f"{data['max_distance_km']:g}"},
            pairs,
        ),
        (
            ngettext(
                "of them not yet in any transboundary link",
                "of them not yet in any transboundary link",
                unlinked,
            ),
            unlinked,
        ),
    ]


# -- 2. border protection ------------------------------------------------------------
def _border_table(data: dict) -> Table:
    headers = [
        _("Member state"),
        _("Land neighbours"),
        _("Zone (km²)"),
        _("Protected (km²)"),
        _("Protected (%)"),
    ]
    rows = [
        [
            row["name"],
            ", ".join(row["neighbours"]) or _("no land border"),
            row["zone_km2"],
            row["protected_km2"],
            row["percent"] if row["percent"] is not None else "",
        ]
        for row in data["countries"]
    ]
    return headers, rows


def border_sides_table(data: dict) -> Table:
    headers = [
        _("Border"),
        _("Length (km)"),
        _("Side"),
        _("Zone (km²)"),
        _("Protected (km²)"),
        _("Protected (%)"),
    ]
    rows = [
        [
            " – ".join(border["countries"]),
            border["length_km"],
            side["country"],
            side["zone_km2"],
            side["protected_km2"],
            side["percent"] if side["percent"] is not None else "",
        ]
        for border in data["borders"]
        for side in border["sides"]
    ]
    return headers, rows


def _border_charts(data: dict) -> list[dict]:
    rows = [row for row in data["countries"] if row["zone_km2"]]
    return [
        _bar(
            _("Share of the %(km)s km border zone that is protected (%%)")
            % {"km": f"{data['zone_km']:g}"},
            [row["name"] for row in rows],
            [{"label": _("Protected (%)"), "data": [row["percent"] for row in rows]}],
            horizontal=True,
        )
    ]


def _border_headline(data: dict) -> list[tuple[str, object]]:
    zone = sum(row["zone_km2"] for row in data["countries"])
    protected = sum(row["protected_km2"] for row in data["countries"])
    share = f"{100 * protected / zone:.1f} %" if zone else "–"
    return [
        (
            _("of the land within %(km)s km of members' borders is protected")
            % {"km": f"{data['zone_km']:g}"},
            share,
        )
    ]


# -- 3. range protection -------------------------------------------------------------
def _ranges_table(data: dict) -> Table:
    headers = [
        _("Species"),
        _("Country"),
        _("Range (km²)"),
        _("Protected (km²)"),
        _("Protected (%)"),
        _("Protected areas holding most of it"),
    ]
    rows = [
        [
            row["species_name"],
            row["country_name"],
            row["range_km2"],
            row["protected_km2"],
            row["percent"] if row["percent"] is not None else "",
            "; ".join(f"{a['name']} ({a['percent_of_range']} %)" for a in row["top_areas"]),
        ]
        for row in data["rows"]
    ]
    return headers, rows


def _ranges_charts(data: dict) -> list[dict]:
    if not data["rows"]:
        return []
    return [
        _bar(
            _("Share of each species' range inside protected areas, by country (%)"),
            [f"{row['species_name']} – {row['country']}" for row in data["rows"]],
            [{"label": _("Protected (%)"), "data": [row["percent"] for row in data["rows"]]}],
            horizontal=True,
        )
    ]


def _ranges_headline(data: dict) -> list[tuple[str, object]]:
    measured = {row["species"] for row in data["rows"]}
    without = len(data["species_without_range"])
    return [
        (
            ngettext(
                "species with a range map in the records",
                "species with a range map in the records",
                len(measured),
            ),
            len(measured),
        ),
        (ngettext("species without one", "species without one", without), without),
    ]


# -- 4. population trends ------------------------------------------------------------
def _populations_table(data: dict) -> Table:
    headers = [_("Species"), _("Area"), _("Year"), _("Figure"), _("Unit"), _("Source")]
    rows = [
        [
            row["species_name"],
            series_area(series),
            point["year"],
            point_figure(point, series["unit"]),
            unit_label(series["unit"]),
            point["source"],
        ]
        for row in data["species"]
        for series in row["series"]
        for point in series["points"]
    ]
    return headers, rows


def populations_latest_table(data: dict) -> Table:
    """The latest figure of every area's series, widest first: a park's count is never
    passed off as the species' total."""
    headers = [
        _("Species"),
        _("Area"),
        _("Latest figure"),
        _("Year"),
        _("Change since previous estimate"),
    ]
    rows = [
        [
            row["species_name"],
            series_area(series),
            point_figure(series["latest"], series["unit"]),
            series["latest"]["year"],
            change_label(series["change"]),
        ]
        for row in data["species"]
        for series in row["series"]
    ]
    return headers, rows


def series_area(series: dict) -> str:
    """The area of a series in the reader's language (snapshots store it in English)."""
    if series["scope"] == EstimateScope.GLOBAL:
        return str(EstimateScope.GLOBAL.label)
    return series["area"] or _("Country not given")


def unit_label(unit: str) -> str:
    return str(CountUnit(unit).label) if unit in CountUnit.values else unit


def point_figure(point: dict, unit: str) -> str:
    if point["is_exact"]:
        number = f"{point['value']:,.0f}"
    elif point["high"] is None:
        number = f"≥ {point['low']:,.0f}"
    else:
        number = f"{point['low']:,.0f}–{point['high']:,.0f}"
    return f"{number} {unit_label(unit)}"


def change_label(change: dict | None) -> str:
    if not change:
        return _("only one estimate")
    sign = "+" if change["absolute"] >= 0 else "−"
    amount = f"{sign}{abs(change['absolute']):,.0f}"
    if change["percent"] is not None:
        amount += f" ({sign}{abs(change['percent']):.1f} %)"
    if change["approximate"]:
        return _("%(amount)s since %(year)s (from ranges)") % {
            "amount": amount,
            "year": change["from_year"],
        }
    return _("%(amount)s since %(year)s") % {"amount": amount, "year": change["from_year"]}


def _populations_charts(data: dict) -> list[dict]:
    charts = []
    for row in data["species"]:
        years = sorted({p["year"] for s in row["series"] for p in s["points"]})
        datasets = []
        for series in row["series"]:
            values = {p["year"]: p["value"] for p in series["points"]}
            datasets.append(
                {
                    "label": f"{series_area(series)} ({unit_label(series['unit'])})",
                    "data": [values.get(year) for year in years],
                }
            )
        charts.append(
            {"type": "line", "title": row["species_name"], "labels": years, "datasets": datasets}
        )
    return charts


def _populations_headline(data: dict) -> list[tuple[str, object]]:
    total = len(data["species"])
    rising = sum(1 for r in data["species"] if r["change"] and r["change"]["absolute"] > 0)
    return [
        (
            ngettext(
                "species with population estimates", "species with population estimates", total
            ),
            total,
        ),
        (
            ngettext(
                "of them higher at the latest estimate than at the one before",
                "of them higher at the latest estimate than at the one before",
                rising,
            ),
            rising,
        ),
    ]


# -- 5. project portfolio ------------------------------------------------------------
def _portfolio_table(data: dict) -> Table:
    headers = [_("Project"), _("Status"), _("Start"), _("End")]
    rows = [
        [
            p["title"],
            _choice(ProjectStatus, p["status"]),
            p["start_year"] or "",
            p["end_year"] or "",
        ]
        for p in data["timeline"]
    ]
    return headers, rows


def _portfolio_charts(data: dict) -> list[dict]:
    charts = [
        _bar(
            _("Projects by status"),
            [_choice(ProjectStatus, s["status"]) for s in data["by_status"]],
            [{"label": _("Projects"), "data": [s["count"] for s in data["by_status"]]}],
        ),
        _bar(
            _("Projects by species"),
            [s["name"] for s in data["by_species"]],
            [{"label": _("Projects"), "data": [s["count"] for s in data["by_species"]]}],
            horizontal=True,
        ),
        _bar(
            _("Projects by country"),
            [c["name"] for c in data["by_country"]],
            [{"label": _("Projects"), "data": [c["count"] for c in data["by_country"]]}],
            horizontal=True,
        ),
        _bar(
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
            _bar(
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
        charts.append(
            _bar(
                _("Budget by species"),
                [f"{b['name']} ({b['currency']})" for b in data["budget_by_species"]],
                [{"label": _("Budget"), "data": [b["budget"] for b in data["budget_by_species"]]}],
                horizontal=True,
            )
        )
    return charts


def _portfolio_headline(data: dict) -> list[tuple[str, object]]:
    ongoing = next(s["count"] for s in data["by_status"] if s["status"] == "ongoing")
    total = data["project_count"]
    return [
        (ngettext("published project", "published projects", total), total),
        (ngettext("of them ongoing", "of them ongoing", ongoing), ongoing),
    ]


def _choice(choices, value: str) -> str:
    """A choice's label in the reader's language (snapshots store values and English)."""
    return str(choices(value).label) if value in choices.values else value


def _short(text: str, length: int = 48) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


# -- 6. meeting follow-up ------------------------------------------------------------
def _meetings_table(data: dict) -> Table:
    statuses = data["statuses"]
    headers = [
        _("Meeting"),
        _("Year"),
        *[_choice(FollowUpStatus, s["status"]) for s in statuses],
        _("Decisions"),
    ]
    rows = [
        [row["label"], row["year"], *[row[s["status"]] for s in statuses], row["total"]]
        for row in data["meetings"]
    ]
    return headers, rows


def _meetings_charts(data: dict) -> list[dict]:
    rows = data["meetings"]
    return [
        _bar(
            _("Decisions by follow-up status"),
            [row["label"] for row in rows],
            [
                {
                    "label": _choice(FollowUpStatus, s["status"]),
                    "data": [row[s["status"]] for row in rows],
                }
                for s in data["statuses"]
            ],
            stacked=True,
            horizontal=True,
        )
    ]


def _meetings_headline(data: dict) -> list[tuple[str, object]]:
    totals = data["totals"]
    total, done = totals["total"], totals["done"]
    return [
        (ngettext("meeting decision recorded", "meeting decisions recorded", total), total),
        (ngettext("of them followed up (done)", "of them followed up (done)", done), done),
    ]


INDICATORS: dict[str, IndicatorSpec] = {
    spec.slug: spec
    for spec in [
        IndicatorSpec(
            slug=Indicator.TRANSBOUNDARY_PAIRS,
            compute=indicators.transboundary_pairs,
            parameters=lambda: {"max_distance_km": settings.DASHBOARDS_PAIR_DISTANCE_KM},
            sources=gettext_lazy(
                "Published protected areas (boundary, or location where no boundary is "
                "recorded) and published transboundary links."
            ),
            depends_on=("protected_areas.ProtectedArea", "protected_areas.TransboundaryLink"),
            table=_pairs_table,
            charts=_pairs_charts,
            headline=_pairs_headline,
            spatial=True,
        ),
        IndicatorSpec(
            slug=Indicator.BORDER_PROTECTION,
            compute=indicators.border_protection,
            parameters=lambda: {"zone_km": settings.DASHBOARDS_BORDER_ZONE_KM},
            sources=gettext_lazy(
                "Country outlines (Natural Earth) and the boundaries of published "
                "protected areas; areas recorded only as a point are not counted."
            ),
            depends_on=("protected_areas.Country", "protected_areas.ProtectedArea"),
            table=_border_table,
            charts=_border_charts,
            headline=_border_headline,
            spatial=True,
        ),
        IndicatorSpec(
            slug=Indicator.RANGE_PROTECTION,
            compute=indicators.range_protection,
            sources=gettext_lazy(
                "Species ranges (all seasons together), country outlines (Natural Earth) "
                "and the boundaries of published protected areas."
            ),
            depends_on=(
                "species.Species",
                "species.SpeciesRange",
                "protected_areas.Country",
                "protected_areas.ProtectedArea",
            ),
            table=_ranges_table,
            charts=_ranges_charts,
            headline=_ranges_headline,
            spatial=True,
        ),
        IndicatorSpec(
            slug=Indicator.POPULATION_TRENDS,
            compute=indicators.population_trends,
            sources=gettext_lazy(
                "Population estimates of published species, each with its own source."
            ),
            depends_on=("species.Species", "species.PopulationEstimate"),
            table=_populations_table,
            charts=_populations_charts,
            headline=_populations_headline,
        ),
        IndicatorSpec(
            slug=Indicator.PROJECT_PORTFOLIO,
            compute=indicators.project_portfolio,
            sources=gettext_lazy(
                "Published projects with their status, years, budgets, species and countries."
            ),
            depends_on=("projects.Project", "species.Species", "protected_areas.Country"),
            table=_portfolio_table,
            charts=_portfolio_charts,
            headline=_portfolio_headline,
        ),
        IndicatorSpec(
            slug=Indicator.MEETING_FOLLOW_UP,
            compute=indicators.meeting_follow_up,
            sources=gettext_lazy("Decisions of published meetings and their follow-up status."),
            depends_on=("meetings.Meeting", "meetings.Decision"),
            table=_meetings_table,
            charts=_meetings_charts,
            headline=_meetings_headline,
        ),
    ]
}
