"""pygeoapi serving the benchmark's tables, in its own virtual environment. Run by
pygeoapi's Python, not the portal's: it imports nothing of the portal.

Timed in its own process with Flask's test client (bench/ogc.py, `--pygeoapi VENV`): prints
one JSON line of median milliseconds per URL.

    VENV/bin/python bench/pygeoapi_peer.py DATABASE_URL RUNS WARMUP URL…

Served over HTTP by gunicorn from the same environment, 2 workers, as the portal is
(bench/http.py); replaces this process:

    VENV/bin/python bench/pygeoapi_peer.py serve DATABASE_URL PORT"""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

# Run as a script, this folder comes first on the path, and its http.py would stand in for
# the standard library's http package that pygeoapi's dependencies import.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    del sys.path[0]

CONFIG = """
server:
  bind: {{host: 127.0.0.1, port: 5000}}
  url: http://127.0.0.1:5000
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  language: en-US
  limits: {{default_items: 100, max_items: 100000}}
  map: {{url: "https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png", attribution: OSM}}
logging: {{level: ERROR}}
metadata:
  identification: {{title: bench, description: bench, keywords: [bench], keywords_type: theme,
                   terms_of_service: none, url: "http://example.org"}}
  license: {{name: CC-BY 4.0, url: "https://creativecommons.org/licenses/by/4.0/"}}
  provider: {{name: bench, url: "http://example.org"}}
  contact: {{name: bench, position: none, address: none, city: none, stateorprovince: none,
            postalcode: none, country: none, phone: none, fax: none, email: none,
            url: "http://example.org", hours: none, instructions: none, role: pointOfContact}}
resources:
{resources}
"""
RESOURCE = """
  {name}:
    type: collection
    title: {name}
    description: {name}
    keywords: [bench]
    extents: {{spatial: {{bbox: [-180, -90, 180, 90],
               crs: "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}}}}
    providers:
      - type: feature
        name: PostgreSQL
        data: {{host: "{host}", port: {port}, dbname: "{dbname}", user: "{user}",
               password: "{password}", search_path: [public]}}
        id_field: id
        table: {table}
        geom_field: {geom}
"""
# On the protected-area table itself (two geometry columns, translated names) pygeoapi
# 0.21's PostgreSQL provider answers 500, so it reads the table through a view of the
# published rows with one geometry column (made here, in the benchmark's database only).
PROTECTED_AREA_VIEW = """
CREATE OR REPLACE VIEW bench_pygeoapi_protected_areas AS
SELECT id, name, iucn_category, designation, boundary_quality, country_id, boundary
FROM protected_areas_protectedarea
WHERE publication_state = 'published' AND deleted_at IS NULL AND boundary IS NOT NULL
"""
TABLES = {
    "occurrences": ("species_occurrence", "location"),
    "protected-areas": ("bench_pygeoapi_protected_areas", "boundary"),
}


def configure(database_url: str) -> None:
    """Write pygeoapi's configuration and OpenAPI document and point it at them."""
    import psycopg2  # noqa: PLC0415

    with psycopg2.connect(database_url) as database, database.cursor() as cursor:
        cursor.execute(PROTECTED_AREA_VIEW)
    database.close()
    db = urlparse(database_url)
    resources = "".join(
        RESOURCE.format(
            name=name, table=table, geom=geom, host=db.hostname, port=db.port or 5432,
            dbname=db.path.lstrip("/"), user=db.username, password=db.password,
        )
        for name, (table, geom) in TABLES.items()
    )  # fmt: skip
    work = Path(tempfile.mkdtemp())
    (work / "config.yml").write_text(CONFIG.format(resources=resources))
    os.environ["PYGEOAPI_CONFIG"] = str(work / "config.yml")
    os.environ["PYGEOAPI_OPENAPI"] = str(work / "openapi.yml")
    from pygeoapi.openapi import generate_openapi_document  # noqa: PLC0415

    with open(work / "config.yml") as config:
        document = generate_openapi_document(config, "yaml")
    (work / "openapi.yml").write_text(document if isinstance(document, str) else str(document))


def serve(database_url: str, port: str) -> None:
    configure(database_url)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    os.execv(
        gunicorn,
        [str(gunicorn), "pygeoapi.flask_app:APP", "--workers", "2", "--timeout", "600",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
    )  # fmt: skip


def main() -> None:
    if sys.argv[1] == "serve":
        serve(*sys.argv[2:])
    database_url, runs, warmup, *urls = sys.argv[1:]
    configure(database_url)
    from pygeoapi.flask_app import APP  # noqa: PLC0415

    client = APP.test_client()
    medians = {}
    for url in urls:
        for _ in range(int(warmup)):
            client.get(url)
        timings = []
        for _ in range(int(runs)):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.data[:300]
        answer = response.get_json()
        medians[url] = {
            "p50": statistics.median(timings),
            "returned": answer.get("numberReturned"),
            "bytes": len(response.data),
        }
    print(json.dumps(medians))


if __name__ == "__main__":
    main()
