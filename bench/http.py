"""The portal over HTTP as readers meet it: gunicorn (2 workers, production settings) on
the benchmark database, measured interleaved in one run.

    BENCH_DATABASE_URL=postgis://…/neaspec_bench python -m bench.http [--runs 30] [--seconds 10]

Two servers run side by side on loopback: one with the response cache off (every layer and
page computed) and one with it on (`RESPONSE_CACHE_ENABLED`). For each map view each run
requests, in turn: the layer computed, the layer from the cache, a revalidation with its
ETag (304), and the layer's main query alone as raw SQL; the computed and cached bodies are
checked to be the same bytes (by hash). Then each server takes a bounded load of public
pages (a fixed number of concurrent keep-alive clients for a fixed time) and the requests
per second are printed. bench/README.md records the figures."""

import argparse
import gzip
import hashlib
import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.database import bench_database_settings
from bench.map_layers import VIEWS

BASE_DIR = Path(__file__).resolve().parent.parent
LAYERS = ["protected-areas", "occurrences"]
PAGES = ["/", "/protected-areas/", "/projects/", "/species/", "/meetings/", "/map/"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(*, cached: bool) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "neaspec_portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": os.environ["BENCH_DATABASE_URL"],
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "TRUSTED_PROXY_COUNT": "0",
        "RATELIMIT_ENABLED": "false",
        "STATIC_ROOT": str(BASE_DIR / "var" / "bench-static"),
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "locmemcache://"),
        "RESPONSE_CACHE_ENABLED": "true" if cached else "false",
        "LOG_LEVEL": "WARNING",
    }


def start_server(*, cached: bool) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "neaspec_portal.wsgi:application",
            "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
        ],
        cwd=BASE_DIR,
        env=server_environment(cached=cached),
    )  # fmt: skip
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def fetch(connection, path: str, headers: dict | None = None) -> tuple[float, int, bytes, dict]:
    started = time.perf_counter()
    connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, response.status, body, dict(response.getheaders())


def page_throughput(port: int, *, clients: int, seconds: float) -> float:
    done = [0] * clients
    stop = time.perf_counter() + seconds

    def reader(number: int):
        connection = http.client.HTTPConnection("127.0.0.1", port)
        index = number
        while time.perf_counter() < stop:
            _, status, _, _ = fetch(connection, PAGES[index % len(PAGES)])
            assert status == 200, status
            done[number] += 1
            index += 1

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def measure_layers(computed_port: int, cached_port: int, *, runs: int) -> None:
    from django.db import connection  # noqa: PLC0415
    from django.http import QueryDict  # noqa: PLC0415

    from maps import selectors  # noqa: PLC0415
    from maps.params import parse_layer_params  # noqa: PLC0415

    computed = http.client.HTTPConnection("127.0.0.1", computed_port)
    cached = http.client.HTTPConnection("127.0.0.1", cached_port)
    gz = {"Accept-Encoding": "gzip"}
    print(f"{runs} interleaved runs per view, gunicorn 2 workers, production settings.")
    print()
    print(
        "| view | layer | features | gzip KB | computed p50 ms | cached p50 ms "
        "| 304 p50 ms | raw SQL p50 ms | computed/raw | same bytes |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for view_name, query in VIEWS:
        for layer in LAYERS:
            path = f"/api/map/{layer}.geojson?{query}"
            sql, sql_params = selectors.LAYER_ROWS[layer](
                parse_layer_params(QueryDict(query))
            ).query.sql_with_params()
            for _ in range(2):  # warm both servers' workers and caches
                fetch(computed, path, gz), fetch(cached, path, gz)
            timings = {"computed": [], "cached": [], "304": [], "raw": []}
            hashes = set()
            for _ in range(runs):
                elapsed, status, body, headers = fetch(computed, path, gz)
                timings["computed"].append(elapsed)
                plain = gzip.decompress(body) if headers.get("Content-Encoding") else body
                hashes.add(hashlib.sha256(plain).hexdigest())
                elapsed, status, cached_body, cached_headers = fetch(cached, path, gz)
                timings["cached"].append(elapsed)
                cached_plain = (
                    gzip.decompress(cached_body)
                    if cached_headers.get("Content-Encoding")
                    else cached_body
                )
                hashes.add(hashlib.sha256(cached_plain).hexdigest())
                elapsed, status, _, _ = fetch(
                    cached, path, {**gz, "If-None-Match": cached_headers["ETag"]}
                )
                assert status == 304, status
                timings["304"].append(elapsed)
                started = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.execute(sql, sql_params)
                    cursor.fetchall()
                timings["raw"].append((time.perf_counter() - started) * 1000)
            p50 = {name: statistics.median(values) for name, values in timings.items()}
            features = plain.count(b'"type":"Feature"')
            same = "yes" if len(hashes) == 1 else "NO"
            print(
                f"| {view_name} | {layer} | {features:,} "
                f"| {len(cached_body) / 1024:,.0f} | {p50['computed']:.1f} "
                f"| {p50['cached']:.1f} | {p50['304']:.1f} | {p50['raw']:.1f} "
                f"| {p50['computed'] / p50['raw']:.2f} | {same} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()

    bench_database_settings()
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neaspec_portal.settings.local")
    import django  # noqa: PLC0415

    django.setup()
    # The production settings serve static files through WhiteNoise's manifest.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=server_environment(cached=False),
        check=True,
    )
    computed_server, computed_port = start_server(cached=False)
    cached_server, cached_port = start_server(cached=True)
    try:
        measure_layers(computed_port, cached_port, runs=args.runs)
        print()
        print(f"Public pages, {args.clients} concurrent keep-alive clients, {args.seconds:.0f} s:")
        for name, port in (("computed", computed_port), ("cached", cached_port)):
            rate = page_throughput(port, clients=args.clients, seconds=args.seconds)
            print(f"- {name}: {rate:,.1f} requests/s")
    finally:
        for server in (computed_server, cached_server):
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
