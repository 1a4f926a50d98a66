"""Latency of OGC API – Features items against the benchmark database, beside the raw SQL.

    BENCH_DATABASE_URL=postgis://…/neaspec_map_bench python -m bench.ogc [--runs 20]

For the border view `bbox=127.5,41.5,134.5,45` each collection's items are requested through
Django's test client (the whole stack), at the default page (limit=100) and the largest
(limit=10000); then the same two queries the view runs (the count and the page, the ORM's
own SQL and parameters) are run alone on the same connection and their rows written into
the same bytes by the same writer, with no request around them. Prints a Markdown table
and the ratio app/raw of the medians; bench/README.md records the figures. Not a test."""

import argparse
import json
import os
import statistics
import subprocess
from pathlib import Path

import environ

from bench.database import print_dataset_line, setup_django_on_bench_database
from bench.map_layers import percentile, timed

BBOX = "127.5,41.5,134.5,45"
COLLECTIONS = ["occurrences", "protected-areas"]
LIMITS = [100, 10_000]


def _pygeoapi_url(collection_id: str, limit: int) -> str:
    return f"/collections/{collection_id}/items?bbox={BBOX}&limit={limit}&f=json"


def _pygeoapi_medians(args) -> dict:
    """pygeoapi timed in its own process and environment (bench/pygeoapi_peer.py)."""
    database = environ.Env.db_url_config(os.environ["BENCH_DATABASE_URL"])
    url = (
        f"postgresql://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or '127.0.0.1'}"
        f":{database['PORT'] or 5432}/{database['NAME']}"
    )
    urls = [_pygeoapi_url("occurrences", limit) for limit in LIMITS]
    peer_script = str(Path(__file__).with_name("pygeoapi_peer.py"))
    result = subprocess.run(
        [str(Path(args.pygeoapi) / "bin" / "python"), peer_script,
         url, str(args.runs), str(args.warmup), *urls],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument(
        "--pygeoapi",
        metavar="VENV",
        help="a virtual environment with pygeoapi, SQLAlchemy, GeoAlchemy2 and psycopg2 "
        "installed, to time it as a peer on the same tables",
    )
    args = parser.parse_args()
    peer = _pygeoapi_medians(args) if args.pygeoapi else {}

    setup_django_on_bench_database()
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    from opendata.collections import COLLECTIONS as SERVED  # noqa: PLC0415
    from opendata.collections import FeatureQuery  # noqa: PLC0415

    client = Client(HTTP_HOST="127.0.0.1")
    print_dataset_line(f"{args.runs} runs after {args.warmup} warm-up; bbox={BBOX}.")
    print()
    print(
        "| collection | limit | matched | returned | bytes | p50 ms | p95 ms | raw p50 ms "
        "| app/raw p50 | pygeoapi p50 ms | pygeoapi/app p50 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")  # fmt: skip
    bbox = tuple(float(part) for part in BBOX.split(","))
    for collection_id in COLLECTIONS:
        collection = SERVED[collection_id]
        for limit in LIMITS:
            url = f"/ogc/collections/{collection_id}/items?bbox={BBOX}&limit={limit}&f=json"
            timings, response = timed(
                lambda url=url: client.get(url), runs=args.runs, warmup=args.warmup
            )
            assert response.status_code == 200, response.content[:300]
            answer = response.json()

            rows = collection.select(FeatureQuery(bbox=bbox))
            count_sql, count_params = rows.order_by().values("pk").query.sql_with_params()
            page_sql, page_params = rows[:limit].query.sql_with_params()

            def raw(count_sql=count_sql, count_params=count_params, page_sql=page_sql,
                    page_params=page_params, write=collection.write):  # fmt: skip
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT count(*) FROM ({count_sql}) AS matched", count_params)
                    matched = cursor.fetchone()[0]
                    cursor.execute(page_sql, page_params)
                    features = [write(row) for row in cursor.fetchall()]
                return (
                    '{"type":"FeatureCollection","numberMatched":' + str(matched)
                    + ',"features":[' + ",".join(features) + "]}"
                )  # fmt: skip

            raw_timings, _ = timed(raw, runs=args.runs, warmup=args.warmup)
            app_p50 = statistics.median(timings)
            raw_p50 = statistics.median(raw_timings)
            peer_p50 = peer.get(_pygeoapi_url(collection_id, limit), {}).get("p50")
            peer_columns = f"{peer_p50:.0f} | {peer_p50 / app_p50:.2f}" if peer_p50 else " | "
            print(
                f"| {collection_id} | {limit:,} | {answer['numberMatched']:,} "
                f"| {answer['numberReturned']:,} | {len(response.content):,} | {app_p50:.0f} "
                f"| {percentile(timings, 0.95):.0f} | {raw_p50:.0f} | {app_p50 / raw_p50:.2f} "
                f"| {peer_columns} |"
            )


if __name__ == "__main__":
    main()
