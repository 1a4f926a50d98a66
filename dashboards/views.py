import csv

from django.http import Http404, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from .registry import INDICATORS, border_sides_table, populations_latest_table
from .selectors import dashboard_history, dashboard_latest, dashboard_overview, member_outlines

# Second tables shown on an indicator page besides its main one.
EXTRA_TABLES = {
    "border-protection": (gettext_lazy("Per border and side"), border_sides_table),
    "population-trends": (gettext_lazy("Latest figure of each area"), populations_latest_table),
}


def _state_or_404(slug: str):
    if slug not in INDICATORS:
        raise Http404("No such dashboard.")
    return dashboard_latest(indicator=slug)


class DashboardOverviewView(TemplateView):
    template_name = "dashboards/overview.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(states=dashboard_overview(), **kwargs)


class DashboardDetailView(TemplateView):
    template_name = "dashboards/detail.html"

    def get_context_data(self, **kwargs):
        state = _state_or_404(self.kwargs["slug"])
        context = super().get_context_data(state=state, spec=state.spec, **kwargs)
        if state.snapshot is None:
            return context
        data = state.snapshot.data
        headers, rows = state.spec.table(data)
        extra = EXTRA_TABLES.get(state.spec.slug)
        context.update(
            snapshot=state.snapshot,
            charts=[
                {
                    "id": f"chart-{i}",
                    "data_id": f"chart-{i}-data",
                    "spec": chart,
                    "headers": ["", *[dataset["label"] for dataset in chart["datasets"]]],
                    "rows": _chart_rows(chart),
                }
                for i, chart in enumerate(state.spec.charts(data))
            ],
            table_headers=headers,
            table_rows=rows,
            extra_table=(extra[0], *extra[1](data)) if extra else None,
            history=dashboard_history(indicator=state.spec.slug),
            map_features=_map_features(state.spec.slug, data),
        )
        if context["map_features"]:
            context["map_outlines"] = member_outlines()
        return context


def _chart_rows(chart: dict) -> list[list]:
    def cell(value):
        # A floating bar's value is its [start, end].
        return f"{value[0]}–{value[1]}" if isinstance(value, list) else value

    return [
        [label, *[cell(dataset["data"][i]) for dataset in chart["datasets"]]]
        for i, label in enumerate(chart["labels"])
    ]


def _map_features(slug: str, data: dict) -> dict | None:
    if slug == "border-protection":
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": row["zone_outline"],
                    "properties": {
                        "zone": True,
                        "label": _("%(country)s: %(percent)s %% of the border zone protected")
                        % {"country": row["name"], "percent": row["percent"]},
                    },
                }
                for row in data["countries"]
                if row.get("zone_outline")
            ],
        }
    if slug != "transboundary-pairs":
        return None
    features = []
    for pair in data["pairs"]:
        a, b = pair["a"], pair["b"]
        if a["lon"] is None or b["lon"] is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[a["lon"], a["lat"]], [b["lon"], b["lat"]]],
                },
                "properties": {
                    "linked": pair["linked"],
                    "label": f"{a['name']} ({a['country']}) – {b['name']} ({b['country']}): "
                    f"{pair['distance_km']:g} km",
                },
            }
        )
        for end in (a, b):
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [end["lon"], end["lat"]]},
                    "properties": {"linked": pair["linked"], "label": end["name"]},
                }
            )
    return {"type": "FeatureCollection", "features": features}


class DashboardDataView(View):
    """The data behind a dashboard page, as JSON (everything) or CSV (its main table).

    Downloads are in English whatever the page's language: scripts and spreadsheets that read
    them rely on stable column names and labels."""

    format = "json"

    def get(self, request, slug):
        with translation.override("en"):
            return self._download(slug)

    def _download(self, slug):
        state = _state_or_404(slug)
        if state.snapshot is None:
            return JsonResponse(
                {"error": f"The {slug} dashboard has not been computed yet."}, status=404
            )
        snapshot = state.snapshot
        if self.format == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="{slug}-{snapshot.computed_at:%Y%m%dT%H%M%SZ}.csv"'
            )
            headers, rows = state.spec.table(snapshot.data)
            writer = csv.writer(response)
            writer.writerow(headers)
            writer.writerows(rows)
            return response
        return JsonResponse(
            {
                "indicator": slug,
                "title": state.spec.title,
                "computed_at": snapshot.computed_at,
                "last_confirmed_at": snapshot.checked_at,
                "duration_seconds": snapshot.duration_seconds,
                "computed_on": snapshot.database,
                "parameters": snapshot.parameters,
                "sources": str(state.spec.sources),
                "data": snapshot.data,
            },
            json_dumps_params={"ensure_ascii": False},
        )
