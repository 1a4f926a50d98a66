"""What each indicator is: its function and parameters, the records it depends on, and how
its data becomes tables, charts and headline figures. Pages and CSV files read snapshots
through these; nothing here queries the database."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

from . import indicators
from .models import Indicator

Table = tuple[list[str], list[list]]


@dataclass(frozen=True)
class IndicatorSpec:
    slug: str
    compute: Callable[..., dict]
    sources: str
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
        "Protected area A",
        "Country A",
        "Protected area B",
        "Country B",
        "Distance (km)",
        "Shared border (km)",
        "Recorded link",
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
            or "none: candidate",
        ]
        for p in data["pairs"]
    ]
    return headers, rows


def _pairs_charts(data: dict) -> list[dict]:
    linked = data["pair_count"] - data["unlinked_count"]
    return [
        _bar(
            "Pairs within reach, by whether a link records them",
            ["Recorded in a transboundary link", "Candidate: no link yet"],
            [{"label": "Pairs", "data": [linked, data["unlinked_count"]]}],
        )
    ]


def _pairs_headline(data: dict) -> list[tuple[str, object]]:
    return [
        (
            f"protected-area pairs within {data['max_distance_km']:g} km across a border",
            data["pair_count"],
        ),
        ("of them not yet in any transboundary link", data["unlinked_count"]),
    ]


# -- 2. border protection ------------------------------------------------------------
def _border_table(data: dict) -> Table:
    headers = ["Member state", "Land neighbours", "Zone (km²)", "Protected (km²)", "Protected (%)"]
    rows = [
        [
            row["name"],
            ", ".join(row["neighbours"]) or "no land border",
            row["zone_km2"],
            row["protected_km2"],
            row["percent"] if row["percent"] is not None else "",
        ]
        for row in data["countries"]
    ]
    return headers, rows


def border_sides_table(data: dict) -> Table:
    headers = [
        "Border",
        "Length (km)",
        "Side",
        "Zone (km²)",
        "Protected (km²)",
        "Protected (%)",
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
            f"Share of the {data['zone_km']:g} km border zone that is protected (%)",
            [row["name"] for row in rows],
            [{"label": "Protected (%)", "data": [row["percent"] for row in rows]}],
            horizontal=True,
        )
    ]


def _border_headline(data: dict) -> list[tuple[str, object]]:
    zone = sum(row["zone_km2"] for row in data["countries"])
    protected = sum(row["protected_km2"] for row in data["countries"])
    share = f"{100 * protected / zone:.1f} %" if zone else "–"
    return [(f"of the land within {data['zone_km']:g} km of members' borders is protected", share)]


# -- 3. range protection -------------------------------------------------------------
def _ranges_table(data: dict) -> Table:
    headers = [
        "Species",
        "Country",
        "Range (km²)",
        "Protected (km²)",
        "Protected (%)",
        "Protected areas holding most of it",
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
            "Share of each species' range inside protected areas, by country (%)",
            [f"{row['species_name']} – {row['country']}" for row in data["rows"]],
            [{"label": "Protected (%)", "data": [row["percent"] for row in data["rows"]]}],
            horizontal=True,
        )
    ]


def _ranges_headline(data: dict) -> list[tuple[str, object]]:
    measured = {row["species"] for row in data["rows"]}
    return [
        ("species with a range map in the records", len(measured)),
        ("species without one", len(data["species_without_range"])),
    ]


# -- 4. population trends ------------------------------------------------------------
def _populations_table(data: dict) -> Table:
    headers = ["Species", "Area", "Year", "Figure", "Unit", "Source"]
    rows = [
        [
            row["species_name"],
            series["area"],
            point["year"],
            point["figure"],
            series["unit"],
            point["source"],
        ]
        for row in data["species"]
        for series in row["series"]
        for point in series["points"]
    ]
    return headers, rows


def populations_latest_table(data: dict) -> Table:
    headers = ["Species", "Latest figure", "Area", "Year", "Change since previous estimate"]
    rows = []
    for row in data["species"]:
        change = row["change"]
        rows.append(
            [
                row["species_name"],
                row["latest"]["figure"],
                row["latest"]["area"],
                row["latest"]["year"],
                _change_label(change),
            ]
        )
    return headers, rows


def _change_label(change: dict | None) -> str:
    if not change:
        return "only one estimate"
    sign = "+" if change["absolute"] >= 0 else "−"
    amount = f"{sign}{abs(change['absolute']):,.0f}"
    share = f" ({sign}{abs(change['percent']):.1f} %)" if change["percent"] is not None else ""
    approx = " (from ranges)" if change["approximate"] else ""
    return f"{amount}{share} since {change['from_year']}{approx}"


def _populations_charts(data: dict) -> list[dict]:
    charts = []
    for row in data["species"]:
        years = sorted({p["year"] for s in row["series"] for p in s["points"]})
        datasets = []
        for series in row["series"]:
            values = {p["year"]: p["value"] for p in series["points"]}
            datasets.append(
                {
                    "label": f"{series['area']} ({series['unit']})",
                    "data": [values.get(year) for year in years],
                }
            )
        charts.append(
            {"type": "line", "title": row["species_name"], "labels": years, "datasets": datasets}
        )
    return charts


def _populations_headline(data: dict) -> list[tuple[str, object]]:
    rising = sum(1 for r in data["species"] if r["change"] and r["change"]["absolute"] > 0)
    return [
        ("species with population estimates", len(data["species"])),
        ("of them higher at the latest estimate than at the one before", rising),
    ]


# -- 5. project portfolio ------------------------------------------------------------
def _portfolio_table(data: dict) -> Table:
    headers = ["Project", "Status", "Start", "End"]
    rows = [
        [p["title"], p["status"], p["start_year"] or "", p["end_year"] or ""]
        for p in data["timeline"]
    ]
    return headers, rows


def _portfolio_charts(data: dict) -> list[dict]:
    charts = [
        _bar(
            "Projects by status",
            [s["label"] for s in data["by_status"]],
            [{"label": "Projects", "data": [s["count"] for s in data["by_status"]]}],
        ),
        _bar(
            "Projects by species",
            [s["name"] for s in data["by_species"]],
            [{"label": "Projects", "data": [s["count"] for s in data["by_species"]]}],
            horizontal=True,
        ),
        _bar(
            "Projects by country",
            [c["name"] for c in data["by_country"]],
            [{"label": "Projects", "data": [c["count"] for c in data["by_country"]]}],
            horizontal=True,
        ),
        _bar(
            "Projects by year",
            [y["year"] for y in data["by_year"]],
            [
                {"label": "Active", "data": [y["active"] for y in data["by_year"]]},
                {"label": "Started", "data": [y["started"] for y in data["by_year"]]},
            ],
        ),
    ]
    dated = [p for p in data["timeline"] if p["start_year"]]
    if dated:
        charts.append(
            _bar(
                "Project periods",
                [_short(p["title"]) for p in dated],
                [{"label": "Period", "data": [[p["start_year"], p["shown_until"]] for p in dated]}],
                horizontal=True,
                floating=True,
            )
        )
    if data["budget_by_species"]:
        charts.append(
            _bar(
                "Budget by species",
                [f"{b['name']} ({b['currency']})" for b in data["budget_by_species"]],
                [{"label": "Budget", "data": [b["budget"] for b in data["budget_by_species"]]}],
                horizontal=True,
            )
        )
    return charts


def _portfolio_headline(data: dict) -> list[tuple[str, object]]:
    ongoing = next(s["count"] for s in data["by_status"] if s["status"] == "ongoing")
    return [("projects", data["project_count"]), ("ongoing", ongoing)]


def _short(text: str, length: int = 48) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


# -- 6. meeting follow-up ------------------------------------------------------------
def _meetings_table(data: dict) -> Table:
    statuses = data["statuses"]
    headers = ["Meeting", "Year", *[s["label"] for s in statuses], "Decisions"]
    rows = [
        [row["label"], row["year"], *[row[s["status"]] for s in statuses], row["total"]]
        for row in data["meetings"]
    ]
    return headers, rows


def _meetings_charts(data: dict) -> list[dict]:
    rows = data["meetings"]
    return [
        _bar(
            "Decisions by follow-up status",
            [row["label"] for row in rows],
            [
                {"label": s["label"], "data": [row[s["status"]] for row in rows]}
                for s in data["statuses"]
            ],
            stacked=True,
            horizontal=True,
        )
    ]


def _meetings_headline(data: dict) -> list[tuple[str, object]]:
    totals = data["totals"]
    return [
        ("meeting decisions recorded", totals["total"]),
        ("of them followed up (done)", totals["done"]),
    ]


INDICATORS: dict[str, IndicatorSpec] = {
    spec.slug: spec
    for spec in [
        IndicatorSpec(
            slug=Indicator.TRANSBOUNDARY_PAIRS,
            compute=indicators.transboundary_pairs,
            parameters=lambda: {"max_distance_km": settings.DASHBOARDS_PAIR_DISTANCE_KM},
            sources="Published protected areas (boundary, or location where no boundary is "
            "recorded) and published transboundary links.",
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
            sources="Country outlines (Natural Earth) and the boundaries of published "
            "protected areas; areas recorded only as a point are not counted.",
            depends_on=("protected_areas.Country", "protected_areas.ProtectedArea"),
            table=_border_table,
            charts=_border_charts,
            headline=_border_headline,
            spatial=True,
        ),
        IndicatorSpec(
            slug=Indicator.RANGE_PROTECTION,
            compute=indicators.range_protection,
            sources="Species ranges (all seasons together), country outlines (Natural Earth) "
            "and the boundaries of published protected areas.",
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
            sources="Population estimates of published species, each with its own source.",
            depends_on=("species.Species", "species.PopulationEstimate"),
            table=_populations_table,
            charts=_populations_charts,
            headline=_populations_headline,
        ),
        IndicatorSpec(
            slug=Indicator.PROJECT_PORTFOLIO,
            compute=indicators.project_portfolio,
            sources="Published projects with their status, years, budgets, species and countries.",
            depends_on=("projects.Project", "species.Species", "protected_areas.Country"),
            table=_portfolio_table,
            charts=_portfolio_charts,
            headline=_portfolio_headline,
        ),
        IndicatorSpec(
            slug=Indicator.MEETING_FOLLOW_UP,
            compute=indicators.meeting_follow_up,
            sources="Decisions of published meetings and their follow-up status.",
            depends_on=("meetings.Meeting", "meetings.Decision"),
            table=_meetings_table,
            charts=_meetings_charts,
            headline=_meetings_headline,
        ),
    ]
}
