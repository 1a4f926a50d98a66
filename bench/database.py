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
