"""Writes of the map app: rebuilding the occurrence grid that low-zoom views read."""

from django.db import connection, transaction
from django.utils import timezone

from species.models import Occurrence

from .models import OccurrenceCell, OccurrenceGridState
from .selectors.occurrences import OCCURRENCE_GRID_MAX_ZOOM, count_per_cell

CELL_COLUMNS = '(zoom, generalised, species_id, "column", "row", records, lon, lat)'


def _counted_at_finest_zoom(*, exact: bool):
    """Published occurrences counted per cell of the finest stored zoom, as the public sees
    them (exact=False) or, for sensitive species only, as staff see them (exact=True)."""
    occurrences = Occurrence.objects.published().with_shown_location(exact=exact)
    if exact:
        occurrences = occurrences.filter(species__is_sensitive=True)
    return count_per_cell(
        occurrences, OCCURRENCE_GRID_MAX_ZOOM, also_by=("location_generalised",)
    ).order_by()


def occurrence_grid_rebuild() -> int:
    """Recount every stored zoom's cells from the occurrences; returns the cells written.

    PostgreSQL only (elsewhere nothing reads the grid). The state row is locked before the
    occurrences are read, so a write that commits meanwhile leaves the grid marked stale
    (its trigger waits for the lock, then finds the grid fresh and marks it stale again)."""
    if connection.vendor != "postgresql":
        return 0
    OccurrenceGridState.objects.get_or_create(pk=1)
    with transaction.atomic():
        OccurrenceGridState.objects.filter(pk=1).update(stale=False, rebuilt=timezone.now())
        OccurrenceCell.objects.all().delete()
        with connection.cursor() as cursor:
            for exact in (False, True):
                sql, params = _counted_at_finest_zoom(exact=exact).query.sql_with_params()
                cursor.execute(
                    f"INSERT INTO maps_occurrencecell {CELL_COLUMNS} "
                    "SELECT %s, counted.location_generalised, counted.species_id, "
                    'counted."column", counted."row", counted.records, counted.lon, '
                    f"counted.lat FROM ({sql}) AS counted",
                    [OCCURRENCE_GRID_MAX_ZOOM, *params],
                )
            # Each zoom's cells are 2×2 cells of the next: floor(x / 2c) = floor(floor(x / c) / 2).
            for zoom in range(OCCURRENCE_GRID_MAX_ZOOM - 1, -1, -1):
                cursor.execute(
                    f"INSERT INTO maps_occurrencecell {CELL_COLUMNS} "
                    'SELECT %s, generalised, species_id, floor("column" / 2.0), '
                    'floor("row" / 2.0), SUM(records), SUM(lon * records) / SUM(records), '
                    "SUM(lat * records) / SUM(records) FROM maps_occurrencecell "
                    'WHERE zoom = %s GROUP BY generalised, species_id, floor("column" / 2.0), '
                    'floor("row" / 2.0)',
                    [zoom, zoom + 1],
                )
            # Fresh statistics, or the planner guesses the view's cells from an empty table.
            cursor.execute("ANALYZE maps_occurrencecell")
    return OccurrenceCell.objects.count()
