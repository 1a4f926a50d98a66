"""Time a full rebuild of every dashboard indicator on a synthetic dataset.

    DATABASE_URL=postgis://neaspec:neaspec@127.0.0.1:5432/neaspec_dash_bench \\
        .venv/bin/python -m bench.dashboards [--areas 25000] [--occurrences 1000000]

The database named by DATABASE_URL must be an empty PostGIS database of its own: it is
migrated, filled with the shipped NEASPEC dataset (countries, species, projects, meetings)
plus synthetic protected areas, species ranges and occurrences, and emptied again at the
end unless --keep is given. Prints the time and figures of each indicator and the peak
memory of this process. Targets (issue 4): all indicators within 60 s, memory within 1 GiB.
"""

import argparse
import io
import math
import os
import random
import resource
import sys
import time
from pathlib import Path

# Run as a script, Python puts bench/ first on the path, where bench/http.py would hide the
# standard library's `http` (Django imports it): the project's root goes there instead.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    del sys.path[0]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neaspec_portal.settings.local")
# The bench measures the indicators, not the on-commit triggers of the data it loads.
os.environ.setdefault("DASHBOARDS_REBUILD_ON_EDIT", "false")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.gis.geos import MultiPolygon, Point, Polygon  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from common.geometry import circle_of_area  # noqa: E402
from common.models import PublicationState  # noqa: E402
from dashboards.geodesy import linework  # noqa: E402
from dashboards.registry import INDICATORS  # noqa: E402
from dashboards.services import dashboard_snapshot_rebuild  # noqa: E402
from protected_areas.models import Country, ProtectedArea  # noqa: E402
from species.models import Species, SpeciesRange  # noqa: E402

SEED = 4


def synthetic_protected_areas(count: int, rng: random.Random) -> None:
    """Small protected areas (1–300 km², a few larger) at random points in the member states,
    half of them within ~150 km of a land border so pairs and border zones get real work."""
    members = list(Country.objects.members())
    prepared = [(c, c.boundary.prepared, c.boundary.extent) for c in members]
    borders = []
    for country in members:
        for other in Country.objects.exclude(pk=country.pk):
            if country.boundary.envelope.intersects(other.boundary.envelope):
                shared = country.boundary.intersection(other.boundary)
                lines = linework(shared)
                if lines is not None:
                    points = [point for line in lines for point in line.coords]
                    borders.extend((country, point) for point in points[::10])
    areas = []
    while len(areas) < count:
        if borders and rng.random() < 0.5:
            country, (lon, lat) = rng.choice(borders)
            lon += rng.uniform(-1.5, 1.5)
            lat += rng.uniform(-1.0, 1.0)
        else:
            country, _, (xmin, ymin, xmax, ymax) = rng.choice(prepared)
            lon, lat = rng.uniform(xmin, xmax), rng.uniform(ymin, ymax)
        point = Point(lon, lat, srid=4326)
        owner = next((c for c, p, _ in prepared if p.contains(point)), None)
        if owner is None:
            continue
        area_km2 = rng.choice([rng.uniform(1, 300)] * 9 + [rng.uniform(300, 5000)])
        boundary = circle_of_area(point, area_km2, segments=16)
        min_lon, _, max_lon, _ = boundary.extent
        if max_lon - min_lon > 90 or not boundary.valid:
            continue  # across the antimeridian (Chukotka): the table's check refuses it
        areas.append(
            ProtectedArea(
                name=f"Synthetic area {len(areas) + 1}",
                country=owner,
                designation="Synthetic",
                boundary=boundary,
                location=point,
                computed_area_km2=round(area_km2, 2),
                publication_state=PublicationState.PUBLISHED,
            )
        )
    ProtectedArea.objects.bulk_create(areas, batch_size=2000)


def synthetic_ranges(rng: random.Random) -> None:
    """One range per species: a rough ellipse of 200,000–800,000 km² across a border."""
    for species in Species.objects.all():
        lon, lat = rng.uniform(110, 132), rng.uniform(40, 50)
        radius_lat = rng.uniform(2, 4)
        radius_lon = radius_lat * 1.5 / math.cos(math.radians(lat))
        ring = [
            (lon + radius_lon * math.cos(t), lat + radius_lat * math.sin(t))
            for t in (2 * math.pi * i / 48 for i in range(48))
        ]
        SpeciesRange.objects.create(
            species=species,
            geometry=MultiPolygon(Polygon([*ring, ring[0]]), srid=4326),
            source_citation="Synthetic range for benchmarking",
        )


def synthetic_occurrences(count: int) -> None:
    """Point records in one INSERT … SELECT: the database generates them."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO species_occurrence
                (created, updated, event_date, date_precision, location, basis_of_record,
                 dataset, source_citation, source_url, notes, internal_notes,
                 count_approximate, publication_state, species_id)
            SELECT now(), now(), DATE '2000-01-01' + (random() * 9000)::int, 'day',
                   ST_SetSRID(ST_MakePoint(110 + random() * 25, 38 + random() * 15), 4326),
                   'survey', 'Synthetic', '', '', '', '', false, 'published',
                   (SELECT id FROM species_species ORDER BY id LIMIT 1 OFFSET (g %% 6))
            FROM generate_series(1, %s) AS g
            """,
            [count],
        )


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--areas", type=int, default=25_000)
    parser.add_argument("--occurrences", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="Keep the data afterwards.")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to an empty PostGIS database of the benchmark's own.")

    rng = random.Random(SEED)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if ProtectedArea.objects.exists():
        sys.exit(f"{settings.DATABASES['default']['NAME']} is not empty; use a fresh database.")
    try:
        call_command("load_neaspec", stdout=io.StringIO())
        synthetic_protected_areas(args.areas, rng)
        synthetic_ranges(rng)
        synthetic_occurrences(args.occurrences)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"Dataset: {ProtectedArea.objects.count():,} protected areas, "
            f"{args.occurrences:,} synthetic occurrences, {SpeciesRange.objects.count()} "
            f"ranges (built in {time.perf_counter() - started:.0f} s)"
        )
        total = 0.0
        for slug in INDICATORS:
            snapshot = dashboard_snapshot_rebuild(indicator=slug)
            total += snapshot.duration_seconds
            headline = "; ".join(
                f"{label}: {value}" for label, value in INDICATORS[slug].headline(snapshot.data)
            )
            print(f"{slug:22} {snapshot.duration_seconds:7.2f} s   {headline}")
        print(f"{'all indicators':22} {total:7.2f} s   (target ≤ 60 s)")
        print(f"{'peak memory (RSS)':22} {peak_rss_mib():7.0f} MiB (target ≤ 1024 MiB)")
    finally:
        if not args.keep:
            call_command("flush", interactive=False, verbosity=0)


if __name__ == "__main__":
    main()
