"""Reads for the pages: the latest snapshots and their history. Never computes."""

import json
from dataclasses import dataclass

from common.geojson import compact, feature, feature_collection
from protected_areas.selectors import country_outlines

from .indicators import DashboardIndicator
from .indicators.base import east_of_antimeridian
from .models import DashboardSnapshot, Indicator
from .registry import INDICATORS

HISTORY_LENGTH = 12


@dataclass
class IndicatorState:
    indicator: DashboardIndicator
    snapshot: DashboardSnapshot | None

    @property
    def headline(self) -> list[tuple[str, object]]:
        return self.indicator.headline(self.snapshot.data) if self.snapshot else []


def dashboard_latest(*, indicator: str) -> IndicatorState:
    definition = INDICATORS[indicator]
    return IndicatorState(
        definition, DashboardSnapshot.objects.latest_for(indicator, definition.parameters())
    )


def dashboard_overview() -> list[IndicatorState]:
    return [dashboard_latest(indicator=slug) for slug in INDICATORS]


def dashboard_history(*, indicator: str, limit: int = HISTORY_LENGTH) -> list[dict]:
    """The most recent snapshots, newest first, each with its headline figures."""
    definition = INDICATORS[indicator]
    snapshots = DashboardSnapshot.objects.for_indicator(
        indicator, definition.parameters()
    ).order_by("-computed_at", "-pk")[:limit]
    return [
        {
            "computed_at": snapshot.computed_at,
            "duration_seconds": snapshot.duration_seconds,
            "headline": definition.headline(snapshot.data),
        }
        for snapshot in snapshots
    ]


OUTLINE_TOLERANCE_DEGREES = 0.03


def member_outlines() -> str:
    """The member states' outlines, simplified, as the maps' backdrop when no tile basemap
    can be loaded: GeoJSON text from the one outline selector, which caches them until a
    country changes. Chukotka's tip, which Natural Earth puts west of 180°, is drawn next to
    the rest of Russia rather than at the other edge of the world."""
    return feature_collection(
        [
            feature(
                compact(east_of_antimeridian(json.loads(outline.geojson))),
                {"label": outline.name, "outline": True},
            )
            for outline in country_outlines(
                tolerance=OUTLINE_TOLERANCE_DEGREES, digits=6, members_only=True, keep_valid=True
            )
            if outline.geojson
        ]
    )


def species_dashboard_figures(*, species_slug: str) -> dict:
    """What the latest snapshots say about one species, for its page (read, not computed):
    the latest population figure of each area and the range protected in each country,
    with when they were computed."""
    trends = dashboard_latest(indicator=Indicator.POPULATION_TRENDS)
    ranges = dashboard_latest(indicator=Indicator.RANGE_PROTECTION)
    return {
        "latest_by_area": trends.indicator.species_latest_by_area(
            trends.snapshot.data, species_slug
        )
        if trends.snapshot
        else [],
        "trend_computed_at": trends.snapshot.computed_at if trends.snapshot else None,
        "ranges": ranges.indicator.species_rows(ranges.snapshot.data, species_slug)
        if ranges.snapshot
        else [],
        "ranges_computed_at": ranges.snapshot.computed_at if ranges.snapshot else None,
    }
