"""Latency and payload of the map layer API against the benchmark database.

    BENCH_DATABASE_URL=postgis://…/neaspec_map_bench python -m bench.map_layers [--runs 30]

Each view is requested through Django's test client (the whole stack: middleware, view,
gzip), then its main query is run alone as raw SQL on the same connection; app/raw is the
ratio of the two p95s (and of the two medians). Prints a Markdown table; bench/README.md
records the figures."""

import argparse
import gzip
import statistics
import time

from bench.database import print_dataset_line, setup_django_on_bench_database

VIEWS = [
    # A 1280×800 screen: at zoom 4 it shows the whole region, at zoom 8 the Tumen River
    # border of China, DPR Korea and Russia.
    ("whole region, zoom 4", "zoom=4&bbox=70.0,15.0,160.0,58.0"),
    ("border view, zoom 8", "zoom=8&bbox=127.5,41.5,134.5,45.0"),
]
LAYERS = ["protected-areas", "occurrences", "transboundary", "countries"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(call, *, runs: int, warmup: int = 0) -> tuple[list[float], object]:
    """Milliseconds of each of `runs` calls after `warmup` untimed ones, and the last result."""
    result = None
    for _ in range(warmup):
        result = call()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings, result


def ensure_fresh_occurrence_grid() -> None:
    """As the periodic task keeps it in production: low zooms read the occurrence grid."""
    from maps.models import OccurrenceGridState  # noqa: PLC0415
    from maps.services import occurrence_grid_rebuild  # noqa: PLC0415

    if not OccurrenceGridState.objects.filter(stale=False).exists():
        started = time.perf_counter()
        cells = occurrence_grid_rebuild()
        print(f"Occurrence grid rebuilt: {cells:,} cells in {time.perf_counter() - started:.0f} s.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()

    setup_django_on_bench_database()
    from django.db import connection  # noqa: PLC0415
    from django.http import QueryDict  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    from maps import selectors  # noqa: PLC0415
    from maps.params import parse_layer_params  # noqa: PLC0415

    client = Client(HTTP_HOST="127.0.0.1")
    print_dataset_line(f"{args.runs} runs after {args.warmup} warm-up.")
    ensure_fresh_occurrence_grid()
    print()
    print(
        "| view | layer | features | payload gzip | payload raw | p50 ms | p95 ms "
        "| raw SQL p50 ms | raw SQL p95 ms | app/raw | app/raw p50 | 304 p50 ms |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for view_name, query in VIEWS:
        for layer in LAYERS:
            layer_query = query.split("&")[0] if layer == "countries" else query
            url = f"/api/map/{layer}.geojson?{layer_query}"
            timings, response = timed(
                lambda url=url: client.get(url, headers={"accept-encoding": "gzip"}),
                runs=args.runs,
                warmup=args.warmup,
            )
            assert response.status_code == 200, response.content[:300]
            body = (
                gzip.decompress(response.content)
                if response.get("Content-Encoding") == "gzip"
                else response.content
            )
            features = body.count(b'"type":"Feature"')

            revalidations, not_modified = timed(
                lambda url=url, etag=response["ETag"]: client.get(
                    url, headers={"accept-encoding": "gzip", "if-none-match": etag}
                ),
                runs=args.runs,
            )
            assert not_modified.status_code == 304

            raw_p50 = raw_p95 = ""
            ratio = ratio_p50 = ""
            rows = selectors.LAYER_ROWS.get(layer)
            if rows is not None:
                params = parse_layer_params(QueryDict(layer_query))
                sql, sql_params = rows(params).query.sql_with_params()

                def run_raw(sql=sql, sql_params=sql_params):
                    with connection.cursor() as cursor:
                        cursor.execute(sql, sql_params)
                        return cursor.fetchall()

                raw, _ = timed(run_raw, runs=args.runs, warmup=args.warmup)
                raw_p95_value = percentile(raw, 0.95)
                raw_p95 = f"{raw_p95_value:.0f}"
                ratio = f"{percentile(timings, 0.95) / raw_p95_value:.2f}"
                # p95 of 20 runs is the second slowest: on a shared machine one stall moves
                # it, so the ratio of the medians is printed too.
                raw_p50 = f"{statistics.median(raw):.0f}"
                ratio_p50 = f"{statistics.median(timings) / statistics.median(raw):.2f}"
            print(
                f"| {view_name} | {layer} | {features:,} | {len(response.content) / 1024:,.0f} KB "
                f"| {len(body) / 1024:,.0f} KB | {statistics.median(timings):.0f} "
                f"| {percentile(timings, 0.95):.0f} | {raw_p50} | {raw_p95} | {ratio} "
                f"| {ratio_p50} | {statistics.median(revalidations):.1f} |"
            )


if __name__ == "__main__":
    main()
