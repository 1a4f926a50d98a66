"""The benchmark's own PostGIS database, named by BENCH_DATABASE_URL: never the portal's."""

import os

import environ

BENCH_ALIAS = "bench"


def bench_database_settings() -> dict:
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url:
        raise SystemExit(
            "Set BENCH_DATABASE_URL to a PostGIS database used only for the benchmark, e.g. "
            "BENCH_DATABASE_URL=postgis://neaspec:neaspec@127.0.0.1:5432/neaspec_bench"
        )
    settings = environ.Env.db_url_config(url)
    if not settings["ENGINE"].endswith("postgis"):
        raise SystemExit(
            "BENCH_DATABASE_URL must be a postgis:// URL: the targets are for PostGIS."
        )
    portal_url = os.environ.get("DATABASE_URL", "")
    if portal_url and environ.Env.db_url_config(portal_url)["NAME"] == settings["NAME"]:
        raise SystemExit("BENCH_DATABASE_URL names the portal's own database; use another one.")
    return settings


def ensure_bench_database(settings: dict) -> None:
    """Create the benchmark database and its PostGIS extension if they are missing."""
    import psycopg2  # noqa: PLC0415
    from psycopg2 import sql  # noqa: PLC0415

    credentials = {
        "user": settings["USER"],
        "password": settings["PASSWORD"],
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
    }
    server = psycopg2.connect(dbname="postgres", **credentials)
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings["NAME"])))
    server.close()
    database = psycopg2.connect(dbname=settings["NAME"], **credentials)
    database.autocommit = True
    with database.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    database.close()


def setup_django_on_bench_database() -> None:
    """Point Django at the benchmark database, without the query log, and set it up."""
    bench_database_settings()
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    os.environ["DEBUG"] = "0"  # no query log: it would slow the app down
    # The test-client benchmarks time answers computed from the database: with the response
    # cache on, every repeated request would be a cache hit (bench.http measures those).
    os.environ.setdefault("RESPONSE_CACHE_ENABLED", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neaspec_portal.settings.local")
    import django  # noqa: PLC0415

    django.setup()


def print_dataset_line(extra: str) -> None:
    from protected_areas.models import ProtectedArea  # noqa: PLC0415
    from species.models import Occurrence  # noqa: PLC0415

    print(
        f"Dataset: {ProtectedArea.objects.count():,} protected areas, "
        f"{Occurrence.objects.count():,} occurrences; {extra}"
    )
