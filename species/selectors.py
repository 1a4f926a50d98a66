"""Reads for the public species pages. Every queryset starts from `published()`."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from common.geometry import snap_to_equal_area_grid
from governance.selectors import records_in_countries_q
from projects.models import Project
from protected_areas.models import Country, ProtectedArea

from .models import (
    CountSeries,
    GbifDownload,
    Occurrence,
    PopulationEstimate,
    SiteCount,
    Species,
    SpeciesPresence,
    SpeciesRange,
    exact_location_countries,
)


def species_list() -> QuerySet[Species]:
    return Species.objects.published()


def species_detail_queryset() -> QuerySet[Species]:
    return Species.objects.published().prefetch_related(
        Prefetch("range_countries", queryset=Country.objects.without_boundary()),
        Prefetch(
            "population_estimates",
            queryset=PopulationEstimate.objects.published()
            .select_related("country", "protected_area__country")
            .defer(
                "country__boundary", "protected_area__boundary", "protected_area__country__boundary"
            )
            .order_by("year", "scope", "pk"),
        ),
        Prefetch("ranges", queryset=SpeciesRange.objects.order_by("season")),
        Prefetch("projects", queryset=Project.objects.published()),
    )


def species_present_at(area: ProtectedArea) -> QuerySet[Species]:
    """Published species present at the area (`SpeciesQuerySet.present_at`). One query."""
    return Species.objects.present_at(area)


def species_at_area_with_presences(area: ProtectedArea) -> list[Species]:
    """The species present at the area, each with `presences_here`: the sourced statements
    of its role there (breeding, wintering…), which may be empty for a species known only
    from records or estimates. Two queries."""
    species = list(species_present_at(area))
    by_species: dict[int, list[SpeciesPresence]] = {}
    for presence in SpeciesPresence.objects.published().filter(protected_area=area):
        by_species.setdefault(presence.species_id, []).append(presence)
    for one in species:
        one.presences_here = by_species.get(one.pk, [])
    return species


def protected_areas_holding(
    areas: QuerySet[ProtectedArea], species_slugs: Iterable[str]
) -> QuerySet[ProtectedArea]:
    """The areas of `areas` where any of these species is present, by the one rule of
    `SpeciesQuerySet.present_at`."""
    species = Species.objects.filter(slug__in=species_slugs)
    return areas.filter(Exists(species.present_at(OuterRef("pk"))))


def species_protected_areas(species: Species) -> QuerySet[ProtectedArea]:
    """Published protected areas where the species is present. One query."""
    return (
        protected_areas_holding(ProtectedArea.objects.published(), [species.slug])
        .with_country()
        .defer("boundary")
        .order_by("country__name", "name")
    )


def species_areas_with_presences(species: Species) -> list[ProtectedArea]:
    """`species_protected_areas`, each area with `presences_here` (see
    `species_at_area_with_presences`). Two queries."""
    areas = list(species_protected_areas(species))
    by_area: dict[int, list[SpeciesPresence]] = {}
    for presence in SpeciesPresence.objects.published().filter(species=species):
        by_area.setdefault(presence.protected_area_id, []).append(presence)
    for area in areas:
        area.presences_here = by_area.get(area.pk, [])
    return areas


def population_chart(estimates: list[PopulationEstimate]) -> list[dict]:
    """Bars for the population chart: one per estimate, scaled to the largest figure; a
    range is drawn from its minimum to its maximum."""
    largest = max((e.count or e.count_max or e.count_min or 0 for e in estimates), default=0)
    if not largest:
        return []
    bars = []
    for estimate in estimates:
        low = estimate.count if estimate.count is not None else estimate.count_min
        high = estimate.count if estimate.count is not None else (estimate.count_max or low)
        bars.append(
            {
                "estimate": estimate,
                "offset": 100 * low / largest if high != low else 0.0,
                "width": max(100 * (high - low if high != low else high) / largest, 0.5),
                "is_range": high != low,
            }
        )
    return bars


def sees_exact_location_of(user, occurrence: Occurrence) -> bool:
    """Whether this user may see this occurrence's exact point: the rule of
    `Occurrence.objects.for_viewer(user)` for one record."""
    if not occurrence.species.is_sensitive:
        return True
    countries = exact_location_countries(user)
    if countries is None:
        return True
    return bool(countries) and (
        Occurrence.objects.filter(pk=occurrence.pk)
        .filter(records_in_countries_q("species.occurrence", countries))
        .exists()
    )


def occurrence_location_for(user, occurrence: Occurrence) -> Point:
    """The position of one occurrence as this user may see it: exact where
    `sees_exact_location_of`, else generalised to the equal-area grid. The same rule as
    `Occurrence.objects.for_viewer(user)` (use that for lists: it works in the database)."""
    if sees_exact_location_of(user, occurrence):
        return occurrence.location
    return snap_to_equal_area_grid(occurrence.location, settings.SENSITIVE_GRID_M)


SPECIES_RECORDS_LISTED = 50


def species_records(species: Species, *, limit: int = SPECIES_RECORDS_LISTED) -> dict:
    """The species' published records for its page, latest first, placed as the public sees
    them (generalised for a sensitive species, whoever reads: the page is the same for
    all): the `limit` latest and how many there are. Two queries."""
    records = (
        Occurrence.objects.published()
        .for_viewer(None)
        .filter(species=species)
        .select_related("protected_area")
        .defer("location", "protected_area__boundary", "protected_area__location")
        .order_by("-event_date", "-pk")
    )
    return {"listed": list(records[:limit]), "total": records.count()}


def species_gbif_downloads(species: Species) -> QuerySet[GbifDownload]:
    """The GBIF downloads the species' occurrences were imported from: each is cited (DOI)
    wherever its records are shown."""
    return (
        GbifDownload.objects.filter(occurrence_sources__occurrence__species=species)
        .distinct()
        .order_by("-downloaded_on", "-pk")
    )


def _count_series(queryset) -> list[CountSeries]:
    return list(
        queryset.filter(counts__isnull=False)
        .distinct()
        .select_related("species", "protected_area", "country")
        .defer("country__boundary", "protected_area__boundary")
        .prefetch_related(
            Prefetch("counts", queryset=SiteCount.objects.order_by("period_start", "period"))
        )
        .order_by("species__common_name", "country__name", "protected_area__name", "site_name")
    )


def species_count_series(species: Species) -> list[CountSeries]:
    """Census series of the species at sites readers may see (a published protected area,
    or a named site)."""
    return _count_series(
        CountSeries.objects.filter(species=species).filter(
            Q(protected_area__isnull=True) | Q(protected_area__in=ProtectedArea.objects.published())
        )
    )


def protected_area_count_series(area: ProtectedArea) -> list[CountSeries]:
    """Census series counted in the protected area, of published species."""
    return _count_series(
        CountSeries.objects.filter(protected_area=area).filter(
            species__in=Species.objects.published()
        )
    )


# The census chart's drawing area, in SVG user units.
CHART_WIDTH, CHART_HEIGHT = 320, 120
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 44, 10, 10, 22


def count_series_chart(series: CountSeries) -> dict:
    """An inline SVG line chart of a series: counts over time, from zero to the highest."""
    counts = list(series.counts.all())
    days = [count.period_start.toordinal() for count in counts]
    first, last = min(days), max(days)
    highest = max(count.count for count in counts) or 1
    inner_width = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    inner_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM

    def x(day: int) -> float:
        share = (day - first) / (last - first) if last > first else 0.5
        return CHART_LEFT + share * inner_width

    def y(value: int) -> float:
        return CHART_TOP + inner_height * (1 - value / highest)

    points = [
        {"x": round(x(day), 1), "y": round(y(count.count), 1), "count": count}
        for day, count in zip(days, counts, strict=True)
    ]
    return {
        "series": series,
        "points": points,
        "polyline": " ".join(f"{point['x']},{point['y']}" for point in points),
        "highest": highest,
        "first_label": counts[0].period,
        "last_label": counts[-1].period,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_RIGHT,
        "top": CHART_TOP,
        "bottom": CHART_HEIGHT - CHART_BOTTOM,
    }
