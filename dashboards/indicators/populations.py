"""Indicator 4: population estimates per species as series by area, each with its latest
figure and the change since the previous estimate of the same area and unit.

A species' headline figure is the latest of its widest series (global, else a country, else a
site), never simply the most recent estimate anywhere: a national park's recent count must not
stand for the species as a whole. Readers see every area's latest figure, widest first."""

from species.models import EstimateScope, PopulationEstimate, Species


def population_trends() -> dict:
    estimates = (
        PopulationEstimate.objects.published()
        .select_related("species", "country", "protected_area")
        .order_by("species__common_name", "year", "pk")
    )
    by_species: dict[int, dict] = {}
    for estimate in estimates:
        species = by_species.setdefault(
            estimate.species_id, {"species": estimate.species, "series": {}}
        )
        key = (estimate.scope, _area_label(estimate), estimate.unit)
        series = species["series"].setdefault(
            key, {"scope": key[0], "area": key[1], "unit": key[2], "points": []}
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
                "species_name": species.common_name,
                "scientific_name": species.scientific_name,
                "url": species.get_absolute_url(),
                "iucn_trend": species.iucn_trend,
                "series": series,
                "latest": {
                    "area": headline["area"],
                    "unit": headline["unit"],
                    **headline["latest"],
                },
                "change": headline["change"],
            }
        )
    return {"species": rows}


def _area_label(estimate: PopulationEstimate) -> str:
    if estimate.scope == EstimateScope.GLOBAL:
        return "Global"
    if estimate.scope == EstimateScope.COUNTRY:
        return estimate.country.name if estimate.country_id else "Country not given"
    return estimate.site_label


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
    return (scope_rank.get(series["scope"], 3), series["area"], series["unit"])


def _widest(series: list[dict]) -> dict:
    """The series of the widest scope; among several (two countries), the most recent."""
    rank = _series_order(series[0])[0]
    same_scope = [s for s in series if _series_order(s)[0] == rank]
    return max(same_scope, key=lambda s: s["latest"]["year"])
