"""Reads for the pages: the latest snapshots and their history. Never computes."""

from dataclasses import dataclass

from common.geojson import feature, feature_collection
from protected_areas.selectors import country_outlines

from .models import DashboardSnapshot
from .registry import INDICATORS, IndicatorSpec

HISTORY_LENGTH = 12


@dataclass
class IndicatorState:
    spec: IndicatorSpec
    snapshot: DashboardSnapshot | None

    @property
    def headline(self) -> list[tuple[str, object]]:
        return self.spec.headline(self.snapshot.data) if self.snapshot else []


def dashboard_latest(*, indicator: str) -> IndicatorState:
    spec = INDICATORS[indicator]
    return IndicatorState(spec, DashboardSnapshot.objects.latest_for(indicator, spec.parameters()))


def dashboard_overview() -> list[IndicatorState]:
    return [dashboard_latest(indicator=slug) for slug in INDICATORS]


def dashboard_history(*, indicator: str, limit: int = HISTORY_LENGTH) -> list[dict]:
    """The most recent snapshots, newest first, each with its headline figures."""
    spec = INDICATORS[indicator]
    snapshots = DashboardSnapshot.objects.for_indicator(indicator, spec.parameters()).order_by(
        "-computed_at", "-pk"
    )[:limit]
    return [
        {
            "computed_at": snapshot.computed_at,
            "duration_seconds": snapshot.duration_seconds,
            "headline": spec.headline(snapshot.data),
        }
        for snapshot in snapshots
    ]


OUTLINE_TOLERANCE_DEGREES = 0.03


def member_outlines() -> str:
    """The member states' outlines, simplified, as the maps' backdrop when no tile basemap
    can be loaded: GeoJSON text from the one outline selector, which caches them until a
    country changes."""
    return feature_collection(
        [
            feature(outline.geojson, {"label": outline.name, "outline": True})
            for outline in country_outlines(
                tolerance=OUTLINE_TOLERANCE_DEGREES, digits=6, members_only=True, keep_valid=True
            )
        ]
    )


def species_dashboard_figures(*, species_slug: str) -> dict:
    """What the latest snapshots say about one species, for its page (read, not computed):
    its population trend row and its range-protection rows, with when they were computed."""
    trends = dashboard_latest(indicator="population-trends").snapshot
    ranges = dashboard_latest(indicator="range-protection").snapshot
    return {
        "trend": next(
            (row for row in trends.data["species"] if row["species"] == species_slug), None
        )
        if trends
        else None,
        "trend_computed_at": trends.computed_at if trends else None,
        "ranges": [row for row in ranges.data["rows"] if row["species"] == species_slug]
        if ranges
        else [],
        "ranges_computed_at": ranges.computed_at if ranges else None,
    }
