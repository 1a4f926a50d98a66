"""`{% species_dashboard species %}`: a species page's figures from the dashboard snapshots."""

from django import template

from dashboards.registry import point_figure, series_area
from dashboards.selectors import species_dashboard_figures

register = template.Library()


@register.inclusion_tag("dashboards/_species_figures.html")
def species_dashboard(species):
    figures = species_dashboard_figures(species_slug=species.slug)
    trend = figures["trend"]
    # The latest figure of each area, widest first (the order of the series): one park's
    # recent count sits under the global and national figures, not in their place.
    figures["latest_by_area"] = [
        {
            "area": series_area(series),
            "figure": point_figure(series["latest"], series["unit"]),
            "year": series["latest"]["year"],
            "change": _change(series["change"]),
        }
        for series in (trend["series"] if trend else [])
    ]
    return figures


def _change(change: dict | None) -> dict | None:
    if not change:
        return None
    absolute = change["absolute"]
    return {
        "direction": "up" if absolute > 0 else "down" if absolute < 0 else "same",
        "from_year": change["from_year"],
        "percent": abs(change["percent"]) if change["percent"] is not None else None,
    }
