import csv

from django.http import Http404, HttpResponse, JsonResponse
from django.utils import translation
from django.views.generic import TemplateView, View

from .registry import INDICATORS
from .selectors import dashboard_history, dashboard_latest, dashboard_overview, member_outlines


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
        indicator = state.indicator
        context = super().get_context_data(state=state, indicator=indicator, **kwargs)
        if state.snapshot is None:
            return context
        data = state.snapshot.data
        headers, rows = indicator.table(data)
        dashboard_map = indicator.map(data)
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
                for i, chart in enumerate(indicator.charts(data))
            ],
            table_headers=headers,
            table_rows=rows,
            extra_table=indicator.extra_table(data),
            history=dashboard_history(indicator=indicator.slug),
            map=dashboard_map,
            map_outlines=member_outlines() if dashboard_map else None,
        )
        return context


def _chart_rows(chart: dict) -> list[list]:
    def cell(value):
        # A floating bar's value is its [start, end].
        return f"{value[0]}–{value[1]}" if isinstance(value, list) else value

    return [
        [label, *[cell(dataset["data"][i]) for dataset in chart["datasets"]]]
        for i, label in enumerate(chart["labels"])
    ]


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
            headers, rows = state.indicator.table(snapshot.data)
            writer = csv.writer(response)
            writer.writerow(headers)
            writer.writerows(rows)
            return response
        return JsonResponse(
            {
                "indicator": slug,
                "title": state.indicator.title,
                "computed_at": snapshot.computed_at,
                "last_confirmed_at": snapshot.checked_at,
                "duration_seconds": snapshot.duration_seconds,
                "computed_on": snapshot.database,
                "parameters": snapshot.parameters,
                "sources": str(state.indicator.sources),
                "data": snapshot.data,
            },
            json_dumps_params={"ensure_ascii": False},
        )
