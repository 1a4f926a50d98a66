"""A bounded mixed read load against gunicorn on loopback (issue 15): pages in several
languages, map layers at several views, both searches and the map's feature API, as a
reader's browser would ask for them. Not a test: it reports requests per second, p50/p95
latency and errors, overall and per kind of request. Zero errors is the bar.

    LOAD_DATABASE_URL=postgis://neaspec:neaspec@127.0.0.1:5432/neaspec_load \\
        .venv/bin/python -m bench.load [--seconds 30] [--concurrency 8] [--no-prepare]

It prepares its own database (created if missing, migrated, the NEASPEC dataset loaded;
never the portal's), collects static files into var/load-static, then starts gunicorn with
2 workers on 127.0.0.1 under the production settings (a throwaway secret, DEBUG off, no TLS
redirect, rate limits raised out of the way), and stops it afterwards."""

import argparse
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import environ

from bench.database import ensure_bench_database

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
DEFAULT_DATABASE_URL = "postgis://neaspec:neaspec@127.0.0.1:5432/neaspec_load"
LANGUAGES = ["", "/ja", "/ru", "/zh-hans", "/ko", "/mn"]
PAGES = ["/", "/species/", "/protected-areas/", "/projects/", "/meetings/", "/dashboards/", "/map/"]
LAYER_VIEWS = [
    ("70,15,160,58", 4),  # the whole region
    ("127.5,41.5,134.5,45", 8),  # the Tumen River border
    ("131.0,42.8,131.6,43.3", 11),  # a street-level view near Vladivostok
]
LAYERS = ["countries", "protected-areas", "transboundary", "species-ranges", "occurrences"]
SEARCHES = ["tiger", "crane", "leopard", "wetland", "Khanka"]
RAISED_LIMIT = "1000000/60"


def server_environment(database_url: str) -> dict:
    static_root = BASE_DIR / "var" / "load-static"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "neaspec_portal.settings.production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DEBUG": "False",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "False",
        "TRUSTED_PROXY_COUNT": "0",
        "STATIC_ROOT": str(static_root),
        "CACHE_URL": os.environ.get("LOAD_CACHE_URL", "locmemcache://"),
        "RATELIMIT_SEARCH": RAISED_LIMIT,
        "RATELIMIT_MAP_API": RAISED_LIMIT,
        "RATELIMIT_API": RAISED_LIMIT,
        "RATELIMIT_DOWNLOADS": RAISED_LIMIT,
        "DASHBOARDS_REBUILD_ON_EDIT": "False",
        "LOG_LEVEL": "WARNING",
    }


def database_url() -> str:
    url = os.environ.get("LOAD_DATABASE_URL", DEFAULT_DATABASE_URL)
    settings = environ.Env.db_url_config(url)
    portal = os.environ.get("DATABASE_URL", "")
    if portal and environ.Env.db_url_config(portal)["NAME"] == settings["NAME"]:
        raise SystemExit("LOAD_DATABASE_URL names the portal's own database; use another one.")
    return url


def prepare(env: dict, url: str) -> None:
    ensure_bench_database(environ.Env.db_url_config(url))
    for command in (
        ["migrate", "--no-input"],
        ["load_neaspec"],
        ["rebuild_dashboards"],
        ["collectstatic", "--no-input"],
    ):
        print("manage.py", *command, flush=True)
        subprocess.run(
            [PYTHON, "manage.py", *command],
            cwd=BASE_DIR,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def get(base: str, path: str, timeout: float = 60) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(base + path, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped while starting")
        try:
            get(base, "/healthz", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer within 60 s")


def request_mix(base: str) -> list[tuple[str, str]]:
    """(kind, path) pairs: the mix a reader's visits make, detail pages from the sitemap."""
    _status, sitemap = get(base, "/sitemap.xml")
    details = [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap.decode())]
    random.Random(15).shuffle(details)
    area_ids = [m[1] for d in details if (m := re.match(r"^/protected-areas/(\d+)/$", d))]
    mix = [("page", f"{language}{page}") for language in LANGUAGES for page in PAGES]
    # The sitemap lists every page in every language already.
    mix += [("detail", path) for path in details[:120]]
    mix += [
        ("layer", f"/api/map/{layer}.geojson?bbox={bbox}&zoom={zoom}")
        for layer in LAYERS
        for bbox, zoom in LAYER_VIEWS
    ]
    mix += [("search", f"/search/?q={q}") for q in SEARCHES]
    mix += [("api", f"/api/map/search.json?q={q}") for q in SEARCHES]
    mix += [("api", f"/api/map/features/protected-areas/{pk}.json") for pk in area_ids[:15]]
    mix += [("download", "/dashboards/population-trends.csv")]
    return mix


def run_load(base: str, mix, *, seconds: float, concurrency: int) -> dict:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(seed: int) -> None:
        chooser = random.Random(seed)
        while time.monotonic() < stop_at:
            kind, path = chooser.choice(mix)
            started = time.monotonic()
            try:
                status, _body = get(base, path)
            except OSError as error:
                status = f"{type(error).__name__}"
            elapsed = time.monotonic() - started
            with lock:
                timings[kind].append(elapsed)
                if status != 200:
                    errors.append(f"{status} {path}")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"timings": timings, "errors": errors, "elapsed": time.monotonic() - started}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(result: dict) -> None:
    timings, elapsed = result["timings"], result["elapsed"]
    every = [t for values in timings.values() for t in values]
    print(f"\n{len(every)} requests in {elapsed:.1f} s: {len(every) / elapsed:.1f} requests/s")
    print(f"{'kind':<10}{'requests':>10}{'p50 ms':>10}{'p95 ms':>10}")
    for kind, values in sorted(timings.items()):
        print(
            f"{kind:<10}{len(values):>10}{statistics.median(values) * 1000:>10.0f}"
            f"{percentile(values, 0.95) * 1000:>10.0f}"
        )
    print(
        f"{'all':<10}{len(every):>10}{statistics.median(every) * 1000:>10.0f}"
        f"{percentile(every, 0.95) * 1000:>10.0f}"
    )
    print(f"errors: {len(result['errors'])}")
    for line in sorted(set(result["errors"]))[:20]:
        print("  ", line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--no-prepare", action="store_true")
    options = parser.parse_args()

    url = database_url()
    env = server_environment(url)
    if not options.no_prepare:
        prepare(env, url)
    base = f"http://127.0.0.1:{options.port}"
    server = subprocess.Popen(
        [GUNICORN, "neaspec_portal.wsgi", "--workers", "2", "--bind", base[7:], "--timeout", "120"],
        cwd=BASE_DIR,
        env=env,
    )
    try:
        wait_until_up(base, server)
        mix = request_mix(base)
        print(f"{len(mix)} distinct requests; warming up", flush=True)
        for _kind, path in mix:
            get(base, path)
        result = run_load(base, mix, seconds=options.seconds, concurrency=options.concurrency)
        report(result)
    finally:
        server.terminate()
        server.wait(timeout=30)
    if result["errors"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
