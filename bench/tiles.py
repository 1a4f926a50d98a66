"""Vector tiles against the benchmark database: cold, cached, revalidated, and the raw
`ST_AsMVT` query on the pre-generalised shapes, and the bytes of a first view.

    BENCH_DATABASE_URL=postgis://…/neaspec_tiles_bench python -m bench.tiles [--runs 10]

Each view is the set of tiles a 1280×800 screen loads (the map draws tiles up to zoom 6):
the whole region at zoom 4 and the Tumen River border at zoom 6. For each layer:

- **cold**: every tile built (the portal's cache emptied before each run): the request
  through Django's test client, whole stack, encoding by PostGIS;
- **cached**: the same requests when the tiles are kept (one read of the data version);
- **304**: a revalidation with the ETag;
- **raw**: the tile's own SQL (captured from the cold request, parameters included) run
  alone on the same connection; its bytes' hash must equal the served tile's, so both do
  the same work.

Figures are sums over the view's tiles (a first view loads them all), with p50 of the
runs. The transfer is the gzip the portal sends. Prints Markdown; bench/README.md
records the figures. Not a test: nothing here asserts a time.

`--grow-to N` first copies the database's protected areas, each moved by up to a degree,
until there are N: the quick way to 100,000 areas with 2,000-vertex boundaries on a small
machine, where generating them in Python takes hours (`generate_map_benchmark` writes
~10,000 such areas an hour here). The copies are written by one INSERT, so the triggers
prepare their tile shapes as an import would."""

import argparse
import gzip
import hashlib
import math
import statistics
import time

from bench.database import print_dataset_line, setup_django_on_bench_database
from bench.map_layers import ensure_fresh_occurrence_grid, timed

SCREEN_TILES = (1280 / 256, 800 / 256)
VIEWS = [
    # (name, zoom, centre lon, centre lat)
    ("whole region, zoom 4", 4, 115.0, 40.0),
    ("border view, zoom 6", 6, 131.0, 43.25),
]
LAYERS = ["protected-areas", "occurrences"]


def screen_tiles(zoom: int, lon: float, lat: float):
    """The tiles of a 1280×800 screen centred on lon/lat, as Leaflet asks for them."""
    from maps.tile_grid import WEB_MERCATOR_HALF, Tile, degrees_to_mercator  # noqa: PLC0415

    x, y = degrees_to_mercator(lon, lat)
    size = 2 * WEB_MERCATOR_HALF / 2**zoom
    column = (x + WEB_MERCATOR_HALF) / size
    row = (WEB_MERCATOR_HALF - y) / size
    half_w, half_h = SCREEN_TILES[0] / 2, SCREEN_TILES[1] / 2
    return [
        Tile(zoom, tx, ty)
        for tx in range(int(column - half_w), int(column + half_w) + 1)
        for ty in range(int(row - half_h), int(row + half_h) + 1)
        if 0 <= tx < 2**zoom and 0 <= ty < 2**zoom
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--grow-to", type=int, default=0, help="Copy areas up to this many.")
    args = parser.parse_args()

    setup_django_on_bench_database()
    if args.grow_to:
        grow_protected_areas(args.grow_to)
    from django.conf import settings  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    from maps.models import ProtectedAreaTileShape  # noqa: PLC0415

    settings.RESPONSE_CACHE_ENABLED = True
    client = Client(HTTP_HOST="127.0.0.1")
    print_dataset_line(
        f"{ProtectedAreaTileShape.objects.count():,} prepared shapes; "
        f"{args.runs} runs after {args.warmup} warm-up."
    )
    ensure_fresh_occurrence_grid()
    print()
    print(
        "| view | layer | tiles | features | transfer gzip | raw bytes | cold p50 ms "
        "| raw ST_AsMVT p50 ms | cold/raw | cached p50 ms | cached per tile ms | 304 p50 ms |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for view_name, zoom, lon, lat in VIEWS:
        tiles = screen_tiles(zoom, lon, lat)
        for layer in LAYERS:
            print(measure(client, view_name, tiles, layer, runs=args.runs, warmup=args.warmup))


def measure(client, view_name: str, tiles, layer: str, *, runs: int, warmup: int) -> str:
    """One row of the table: a view's tiles of one layer, cold, raw, cached and revalidated."""
    from django.core.cache import cache  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    urls = [f"/tiles/{layer}/{t.z}/{t.x}/{t.y}.pbf" for t in tiles]

    def fetch_all(**headers):
        return [client.get(url, headers={"accept-encoding": "gzip", **headers}) for url in urls]

    def cold():
        cache.clear()
        return fetch_all()

    for _ in range(warmup):
        cold()
    responses = cold()
    bodies = [
        gzip.decompress(r.content) if r.get("Content-Encoding") == "gzip" else r.content
        for r in responses
    ]
    transfer = sum(len(r.content) for r in responses)
    features = sum(_feature_count(body) for body in bodies)

    # The raw query of each tile: its SQL as the app sent it, run alone.
    cache.clear()
    raw_queries = []
    for url, body in zip(urls, bodies, strict=True):
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        [sql] = [q["sql"] for q in queries.captured_queries if "ST_AsMVT" in q["sql"]]
        raw_queries.append((sql, hashlib.sha256(body).hexdigest()))

    def run_raw():
        with connection.cursor() as cursor:
            for sql, expected in raw_queries:
                cursor.execute(sql)
                (data,) = cursor.fetchone()
                assert hashlib.sha256(bytes(data or b"")).hexdigest() == expected
        return True

    # Interleaved, so both meet the same load from the machine's other work.
    cold_runs, raw_runs = [], []
    for _ in range(runs):
        cold_runs += timed(cold, runs=1)[0]
        raw_runs += timed(run_raw, runs=1)[0]
    fetch_all()  # kept again
    cached_runs, _ = timed(fetch_all, runs=runs)
    etags = [r["ETag"] for r in responses]

    def revalidate_all():
        return [
            client.get(url, headers={"accept-encoding": "gzip", "if-none-match": etag})
            for url, etag in zip(urls, etags, strict=True)
        ]

    revalidations, not_modified = timed(revalidate_all, runs=runs)
    assert all(r.status_code == 304 for r in not_modified)
    cold_p50, raw_p50 = statistics.median(cold_runs), statistics.median(raw_runs)
    cached_p50 = statistics.median(cached_runs)
    return (
        f"| {view_name} | {layer} | {len(tiles)} | {features:,} "
        f"| {transfer / 1024:,.0f} KB | {sum(map(len, bodies)) / 1024:,.0f} KB "
        f"| {cold_p50:.0f} | {raw_p50:.0f} | {cold_p50 / raw_p50:.2f} "
        f"| {cached_p50:.1f} | {cached_p50 / len(tiles):.2f} "
        f"| {statistics.median(revalidations):.1f} |"
    )


def grow_protected_areas(target: int) -> None:
    """Copies of the existing areas (published or not, as they are), moved by up to a
    degree each way, until there are `target`: one statement, timed."""
    from django.db import connection, transaction  # noqa: PLC0415

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM protected_areas_protectedarea")
        (count,) = cursor.fetchone()
        if count >= target:
            return
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'protected_areas_protectedarea' AND column_name <> 'id' "
            "ORDER BY ordinal_position"
        )
        columns = [name for (name,) in cursor.fetchall()]
        moved = {
            "boundary": "ST_Translate(a.boundary, d.dx, d.dy)",
            "location": "ST_Translate(a.location, d.dx, d.dy)",
            "wdpa_id": "NULL",
            "name": "a.name || ' ' || g.copy",
            "name_en": "a.name_en || ' ' || g.copy",
        }
        values = ", ".join(moved.get(name, f"a.{name}") for name in columns)
        copies = math.ceil((target - count) / count)
        started = time.perf_counter()
        with transaction.atomic():
            cursor.execute(
                f"INSERT INTO protected_areas_protectedarea ({', '.join(columns)}) "
                f"SELECT {values} FROM protected_areas_protectedarea AS a "
                f"CROSS JOIN generate_series(1, %s) AS g (copy) "
                f"CROSS JOIN LATERAL (SELECT random() * 2 - 1 + 0 * g.copy AS dx, "
                f"random() * 2 - 1 + 0 * a.id AS dy) AS d "
                f"ORDER BY g.copy, a.id LIMIT %s",
                [copies, target - count],
            )
        cursor.execute("ANALYZE protected_areas_protectedarea")
        cursor.execute("ANALYZE maps_protectedareatileshape")
    print(
        f"Grew to {target:,} protected areas in {time.perf_counter() - started:.0f} s "
        "(copies and their tile shapes, one statement)."
    )


def _feature_count(body: bytes) -> int:
    import mapbox_vector_tile  # noqa: PLC0415

    if not body:
        return 0
    return sum(len(layer["features"]) for layer in mapbox_vector_tile.decode(body).values())


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"\n({time.perf_counter() - started:.0f} s)")
