"""Indicator 4: population estimates per species as series by area, each with its latest
figure and the change since the previous estimate of the same area and unit.

A species' headline figure is the latest of its widest series (global, else a country, else a
site), never simply the most recent estimate anywhere: a national park's recent count must not
stand for the species as a whole. Readers see every area's latest figure, widest first."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from species.models import CountUnit, EstimateScope, PopulationEstimate, Species

from ..models import Indicator
from .base import DashboardIndicator, Names, Table, number


def population_trends() -> dict:
    estimates = (
        PopulationEstimate.objects.published()
        .select_related("species", "country", "protected_area__country")
        .order_by("species__common_name", "year", "pk")
    )
    by_species: dict[int, dict] = {}
    for estimate in estimates:
        species = by_species.setdefault(
            estimate.species_id, {"species": estimate.species, "series": {}}
        )
        country = _country_code(estimate)
        # Sites not named to readers stay apart from each other (each its own series) by
        # the area's key, which is kept out of the snapshot.
        key = (
            estimate.scope,
            country,
            _site_label(estimate),
            estimate.unit,
            _withheld_site_key(estimate),
        )
        series = species["series"].setdefault(
            key,
            {"scope": key[0], "country": key[1], "area": key[2], "unit": key[3], "points": []},
        )
        series["points"].append(_point(estimate))

    rows = []
    for entry in by_species.values():
        species: Species = entry["species"]
        series = sorted(entry["series"].values(), key=_series_order)
        for one in series:
            one["latest"] = one["points"][-1]
            one["change"] = _change(one["points"])
        headline = _widest(series)
        rows.append(
            {
                "species": species.slug,
                "scientific_name": species.scientific_name,
                "url": species.get_absolute_url(),
                "iucn_trend": species.iucn_trend,
                "series": series,
                "latest": {
                    "country": headline["country"],
                    "area": headline["area"],
                    "unit": headline["unit"],
                    **headline["latest"],
                },
                "change": headline["change"],
            }
        )
    return {"species": rows}


def _site_label(estimate: PopulationEstimate) -> str:
    """A site's label as recorded, where readers may learn it (the snapshot is read by
    anyone: a protected area that is not published is not named); global and national
    series are named from their scope and country code when shown, in the reader's
    language."""
    return estimate.public_site_label if estimate.scope == EstimateScope.SITE else ""


def _withheld_site_key(estimate: PopulationEstimate) -> int | None:
    return None if estimate.names_site else estimate.protected_area_id


def _country_code(estimate: PopulationEstimate) -> str | None:
    if estimate.country_id:
        return estimate.country.iso_a3
    if estimate.protected_area_id:
        return estimate.protected_area.country.iso_a3
    return None


def _point(estimate: PopulationEstimate) -> dict:
    if estimate.count is not None:
        value, low, high = estimate.count, estimate.count, estimate.count
    elif estimate.count_max is not None:
        low, high = estimate.count_min, estimate.count_max
        value = (low + high) / 2
    else:
        # "At least N": the only figure is the minimum, and it is shown as such.
        value, low, high = estimate.count_min, estimate.count_min, None
    return {
        "year": estimate.year,
        "value": value,
        "low": low,
        "high": high,
        "figure": estimate.figure,
        "is_exact": estimate.count is not None,
        "approximate": estimate.approximate,
        "source": estimate.source_citation,
        "source_url": estimate.source_url,
    }


def _change(points: list[dict]) -> dict | None:
    """The change between the last two estimates of a series. None where a figure is only a
    lower bound ("at least 750"): no amount of change follows from it. Between ranges the
    change of the midpoints is given, marked approximate and without a percentage, which
    would claim a precision the sources do not have."""
    if len(points) < 2:
        return None
    previous, latest = points[-2], points[-1]
    if previous["high"] is None or latest["high"] is None:
        return None
    absolute = latest["value"] - previous["value"]
    approximate = not (previous["is_exact"] and latest["is_exact"])
    return {
        "from_year": previous["year"],
        "to_year": latest["year"],
        "absolute": absolute,
        "percent": (
            round(100 * absolute / previous["value"], 1)
            if previous["value"] and not approximate
            else None
        ),
        "approximate": approximate,
    }


def _series_order(series: dict) -> tuple:
    scope_rank = {EstimateScope.GLOBAL: 0, EstimateScope.COUNTRY: 1, EstimateScope.SITE: 2}
    return (
        scope_rank.get(series["scope"], 3),
        series.get("country") or "",
        series["area"],
        series["unit"],
    )


def _widest(series: list[dict]) -> dict:
    """The series of the widest scope; among several (two countries), the most recent."""
    rank = _series_order(series[0])[0]
    same_scope = [s for s in series if _series_order(s)[0] == rank]
    return max(same_scope, key=lambda s: s["latest"]["year"])


class PopulationTrends(DashboardIndicator):
    slug = Indicator.POPULATION_TRENDS
    sources = gettext_lazy("Population estimates of published species, each with its own source.")
    # An area's publication decides whether its name is shown.
    depends_on = ("species.Species", "species.PopulationEstimate", "protected_areas.ProtectedArea")
    compute = staticmethod(population_trends)

    def table(self, data: dict) -> Table:
        headers = [_("Species"), _("Area"), _("Year"), _("Figure"), _("Unit"), _("Source")]
        names = Names.for_data(data)
        rows = [
            [
                names.species(row["species"], row.get("species_name")),
                series_area(series, names),
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

    def extra_table(self, data: dict) -> tuple[str, list[str], list[list]]:
        """The latest figure of every area's series, widest first: a park's count is never
        passed off as the species' total."""
        headers = [
            _("Species"),
            _("Area"),
            _("Latest figure"),
            _("Year"),
            _("Change since previous estimate"),
        ]
        names = Names.for_data(data)
        rows = [
            [
                names.species(row["species"], row.get("species_name")),
                series_area(series, names),
                point_figure(series["latest"], series["unit"]),
                series["latest"]["year"],
                change_label(series["change"]),
            ]
            for row in data["species"]
            for series in row["series"]
        ]
        return _("Latest figure of each area"), headers, rows

    def charts(self, data: dict) -> list[dict]:
        charts = []
        names = Names.for_data(data)
        for row in data["species"]:
            years = sorted({p["year"] for s in row["series"] for p in s["points"]})
            datasets = []
            for series in row["series"]:
                values = {p["year"]: p["value"] for p in series["points"]}
                datasets.append(
                    {
                        "label": f"{series_area(series, names)} ({unit_label(series['unit'])})",
                        "data": [values.get(year) for year in years],
                    }
                )
            charts.append(
                {
                    "type": "line",
                    "title": names.species(row["species"], row.get("species_name")),
                    "labels": years,
                    "datasets": datasets,
                }
            )
        return charts

    def headline(self, data: dict) -> list[tuple[str, object]]:
        total = len(data["species"])
        rising = sum(1 for r in data["species"] if r["change"] and r["change"]["absolute"] > 0)
        return [
            (
                ngettext(
                    "species with population estimates",
                    "species with population estimates",
                    total,
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

    def species_latest_by_area(self, data: dict, species_slug: str) -> list[dict]:
        """For a species page: the latest figure of each area, widest first (the order of
        the series): one park's recent count sits under the global and national figures,
        not in their place. Stale figures are left out (`current_series`)."""
        row = next((row for row in data["species"] if row["species"] == species_slug), None)
        names = Names.for_data(data)
        return [
            {
                "area": series_area(series, names),
                "figure": point_figure(series["latest"], series["unit"]),
                "year": series["latest"]["year"],
                "change": _change_direction(series["change"]),
            }
            for series in current_series(row["series"] if row else [])
        ]


# A figure this many years older than the newest figure of the same species in the same
# country (or, for global figures, worldwide) has been overtaken: a 2007 count of
# south-western Primorye is not shown beside the 2024 count of the park that covers it.
STALE_AFTER_YEARS = 5


def current_series(series: list[dict]) -> list[dict]:
    """The series a reader is shown as "latest": one per area (the most recent, whatever
    its unit, so that a species has one "Global" row), and none whose latest figure is more
    than STALE_AFTER_YEARS older than the newest figure of its country (or of the world)."""
    by_area: dict[tuple, dict] = {}
    for one in series:
        key = _area_key(one)
        if key not in by_area or one["latest"]["year"] > by_area[key]["latest"]["year"]:
            by_area[key] = one
    newest: dict = {}
    for one in by_area.values():
        place = _place(one)
        newest[place] = max(newest.get(place, 0), one["latest"]["year"])
    return [
        one
        for one in series
        if by_area[_area_key(one)] is one
        and one["latest"]["year"] >= newest[_place(one)] - STALE_AFTER_YEARS
    ]


def _area_key(series: dict) -> tuple:
    # National series are named by their country code, sites by their label.
    return (series["scope"], series.get("country"), series["area"])


def _place(series: dict) -> str | None:
    if series["scope"] == EstimateScope.GLOBAL:
        return "global"
    return series.get("country")  # snapshots computed before issue 10 lack the key


def _change_direction(change: dict | None) -> dict | None:
    if not change:
        return None
    absolute = change["absolute"]
    return {
        "direction": "up" if absolute > 0 else "down" if absolute < 0 else "same",
        "from_year": change["from_year"],
        "percent": abs(change["percent"]) if change["percent"] is not None else None,
    }


def series_area(series: dict, names: Names) -> str:
    """The area of a series in the reader's language: a country from its code (snapshots
    before codes stored its English name in `area`), a site as recorded."""
    if series["scope"] == EstimateScope.GLOBAL:
        return str(EstimateScope.GLOBAL.label)
    if series["scope"] == EstimateScope.COUNTRY and series.get("country"):
        return names.country(series["country"], series["area"] or None)
    return series["area"] or _("Country not given")


def unit_label(unit: str) -> str:
    return str(CountUnit(unit).label) if unit in CountUnit.values else unit


def point_figure(point: dict, unit: str) -> str:
    if point["is_exact"]:
        figure = number(point["value"], 0)
    elif point["high"] is None:
        figure = f"≥ {number(point['low'], 0)}"
    else:
        figure = f"{number(point['low'], 0)}–{number(point['high'], 0)}"
    if point.get("approximate"):  # snapshots computed before issue 10 lack the key
        figure = _("about %(figure)s") % {"figure": figure}
    return f"{figure} {unit_label(unit)}"


def change_label(change: dict | None) -> str:
    if not change:
        return _("only one estimate")
    sign = "+" if change["absolute"] >= 0 else "−"
    amount = f"{sign}{number(abs(change['absolute']), 0)}"
    if change["percent"] is not None:
        amount += f" ({sign}{number(abs(change['percent']), 1)} %)"
    if change["approximate"]:
        return _("%(amount)s since %(year)s (from ranges)") % {
            "amount": amount,
            "year": change["from_year"],
        }
    return _("%(amount)s since %(year)s") % {"amount": amount, "year": change["from_year"]}
