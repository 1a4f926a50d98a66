"""The portal over HTTP as readers meet it: gunicorn (2 workers, production settings) on
the benchmark database, measured interleaved in one run, with the ratios to issue 16's
targets.

    BENCH_DATABASE_URL=postgis://…/neaspec_bench python -m bench.http [--runs 20] \\
        [--seconds 10] [--clients 8] [--pygeoapi var/pygeoapi-venv] [--peer-runs 3]

Two servers run side by side on loopback: one with the response cache off (every layer and
page computed) and one with it on (`RESPONSE_CACHE_ENABLED`). A third, pygeoapi on the same
protected-area table, runs when its virtual environment is there (bench/README.md says how
to make it); without it the peer is skipped with a message. For each map view each run
requests, in turn: the layer computed, the layer from the cache, a revalidation with its
ETag (304), the raw SQL writing the same bytes (bench/same_bytes.py: one query that builds
the identical FeatureCollection text), and in the first `--peer-runs` runs pygeoapi. The
computed, cached and raw bodies must be the same bytes (SHA-256), or no ratio is printed.
Then the vector tiles of two screens (bench/tiles.py's views) the same way: computed,
cached, revalidated, and each tile's own `ST_AsMVT` query run alone. Then each server
takes a bounded load of anonymous pages (a fixed number of concurrent keep-alive clients
for a fixed time) and the requests per second are printed.
bench/README.md records the figures."""

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

from bench.database import print_dataset_line, setup_django_on_bench_database
from bench.map_layers import VIEWS, ensure_fresh_occurrence_grid
from bench.same_bytes import run as run_sql
from bench.same_bytes import same_bytes_sql
from bench.tiles import VIEWS as TILE_VIEWS
from bench.tiles import screen_tiles

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_PYGEOAPI_VENV = BASE_DIR / "var" / "pygeoapi-venv"
LAYERS = ["protected-areas", "occurrences"]
# Anonymous pages, mixed: the home, the four lists and the map, in two languages.
PAGES = [
    f"{language}{page}"
    for language in ("", "/ja")
    for page in ("/", "/protected-areas/", "/projects/", "/species/", "/meetings/", "/map/")
]
# Issue 16's targets.
COMPUTED_RAW_TARGET = {"whole region, zoom 4": 1.1, "border view, zoom 8": 2.0}
CACHE_HIT_TARGET_MS = 3.0
TILES_COLD_RAW_TARGET = 1.2
PAGES_TARGET_RPS = 300.0


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
        "DASHBOARDS_REBUILD_ON_EDIT": "false",
        "LOG_LEVEL": "WARNING",
    }


def wait_for(process: subprocess.Popen, port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} stopped while starting")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the server on port {port} did not start")


def access_log(name: str) -> Path:
    return BASE_DIR / "var" / f"bench-access-{name}.log"


def start_server(*, cached: bool) -> tuple[subprocess.Popen, int]:
    """gunicorn logs each request's path, query, status and time in the worker (%(D)s, µs):
    the server's own time, without the client or the loopback."""
    port = free_port()
    log = access_log("cached" if cached else "computed")
    log.unlink(missing_ok=True)
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "neaspec_portal.wsgi:application",
            "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
            "--timeout", "300", "--access-logfile", str(log),
            "--access-logformat", "%(U)s?%(q)s %(s)s %(D)s",
        ],
        cwd=BASE_DIR,
        env=server_environment(cached=cached),
    )  # fmt: skip
    wait_for(process, port)
    return process, port


def start_pygeoapi(venv: Path) -> tuple[subprocess.Popen, int] | None:
    python, gunicorn = venv / "bin" / "python", venv / "bin" / "gunicorn"
    if not (python.exists() and gunicorn.exists()):
        print(
            f"pygeoapi skipped: no virtual environment with pygeoapi and gunicorn at {venv} "
            "(bench/README.md, “Over HTTP”, says how to make one)."
        )
        return None
    from django.db import connection  # noqa: PLC0415

    settings = connection.settings_dict
    url = (
        f"postgresql://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}"
        f":{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    port = free_port()
    process = subprocess.Popen(
        [str(python), str(BASE_DIR / "bench" / "pygeoapi_peer.py"), "serve", url, str(port)],
        cwd=BASE_DIR,
    )
    wait_for(process, port)
    return process, port


def fetch(connection, path: str, headers: dict | None = None) -> tuple[float, int, bytes, dict]:
    started = time.perf_counter()
    connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, response.status, body, dict(response.getheaders())


def plain(body: bytes, headers: dict) -> bytes:
    return gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body


def sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def server_times(name: str, *, skip_first: int = 0) -> dict[tuple[str, str], list[float]]:
    """Milliseconds in the worker per (path?query, status), from the server's access log,
    leaving out the first `skip_first` answers 200 of each (the warm-up; 304s have none)."""
    times: dict[tuple[str, str], list[float]] = {}
    for line in access_log(name).read_text().splitlines():
        url, status, micros = line.rsplit(" ", 2)
        times.setdefault((url.removesuffix("?"), status), []).append(int(micros) / 1000)
    return {
        (url, status): values[skip_first:] if status == "200" else values
        for (url, status), values in times.items()
    }


def warm_pages(port: int, rounds: int = 3) -> None:
    """Each page asked enough times that both workers have built or read it: the first
    build of a page is not what a reader of a cached page waits for."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    for _ in range(rounds):
        for page in PAGES:
            fetch(connection, page)


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
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started)


def http_floor(port: int, runs: int = 50) -> float:
    """The p50 of /healthz (no cache, one trivial query): what any answer costs on this
    loopback, client and connection included."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    return statistics.median(fetch(connection, "/healthz")[0] for _ in range(runs))


def measure_layers(ports: dict, *, runs: int, peer_runs: int, peer_views: set) -> list[dict]:
    connections = {
        name: http.client.HTTPConnection("127.0.0.1", port) for name, port in ports.items()
    }
    gz = {"Accept-Encoding": "gzip"}
    results = []
    for view_name, query in VIEWS:
        for layer in LAYERS:
            path = f"/api/map/{layer}.geojson?{query}"
            bbox = dict(part.split("=") for part in query.split("&"))["bbox"]
            peer_path = f"/collections/{layer}/items?bbox={bbox}&limit=100000&f=json"
            sql, sql_params = same_bytes_sql(layer, query)
            for _ in range(2):  # warm both servers' workers and caches
                fetch(connections["computed"], path, gz), fetch(connections["cached"], path, gz)
            timings = {"computed": [], "cached": [], "304": [], "raw": [], "pygeoapi": []}
            hashes = {"computed": set(), "cached": set(), "raw": set()}
            peer_features = peer_mb = None
            for run in range(runs):
                elapsed, status, body, headers = fetch(connections["computed"], path, gz)
                assert status == 200, status
                timings["computed"].append(elapsed)
                hashes["computed"].add(sha256(plain(body, headers)))
                features = plain(body, headers).count(b'"type":"Feature"')

                elapsed, status, cached_body, cached_headers = fetch(
                    connections["cached"], path, gz
                )
                timings["cached"].append(elapsed)
                hashes["cached"].add(sha256(plain(cached_body, cached_headers)))

                elapsed, status, _, _ = fetch(
                    connections["cached"], path, {**gz, "If-None-Match": cached_headers["ETag"]}
                )
                assert status == 304, status
                timings["304"].append(elapsed)

                started = time.perf_counter()
                raw_body = run_sql(sql, sql_params)
                timings["raw"].append((time.perf_counter() - started) * 1000)
                hashes["raw"].add(sha256(raw_body))

                if (
                    "pygeoapi" in connections
                    and layer == "protected-areas"
                    and run < peer_runs
                    and view_name.split(",")[0] in peer_views
                ):
                    elapsed, status, peer_body, _ = fetch(connections["pygeoapi"], peer_path)
                    assert status == 200, (status, peer_body[:300])
                    timings["pygeoapi"].append(elapsed)
                    peer_features = peer_body.count(b'"type": "Feature"') + peer_body.count(
                        b'"type":"Feature"'
                    )
                    peer_mb = len(peer_body) / 1024 / 1024
            results.append(
                {
                    "view": view_name,
                    "query": query,
                    "layer": layer,
                    "features": features,
                    "gzip_kb": len(cached_body) / 1024,
                    "p50": {k: statistics.median(v) for k, v in timings.items() if v},
                    "same": len(set().union(*hashes.values())) == 1,
                    "peer_features": peer_features,
                    "peer_mb": peer_mb,
                }
            )
    return results


def print_layers(results: list[dict]) -> None:
    computed_times = server_times("computed", skip_first=2)
    cached_times = server_times("cached", skip_first=2)
    print(
        "| view | layer | features | gzip KB | computed p50 ms (server) "
        "| raw SQL, same bytes, p50 ms | computed/raw (server/raw) | target "
        "| cached p50 ms (server) | 304 p50 ms (server) | pygeoapi p50 ms (features; body) "
        "| pygeoapi/computed |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|")
    hits, revalidations = [], []
    for result in results:
        p50 = result["p50"]
        url = f"/api/map/{result['layer']}.geojson?{result['query']}"
        server = {
            "computed": statistics.median(computed_times[(url, "200")]),
            "cached": statistics.median(cached_times[(url, "200")]),
            "304": statistics.median(cached_times[(url, "304")]),
        }
        hits.append(server["cached"])
        revalidations.append(server["304"])
        target = COMPUTED_RAW_TARGET[result["view"]]
        if result["same"]:
            ratio = p50["computed"] / p50["raw"]
            ratio_text = f"{ratio:.2f} ({server['computed'] / p50['raw']:.2f})"
            verdict = f"≤ {target}: {'met' if ratio <= target else 'NOT met'}"
        else:
            ratio_text = "—"
            verdict = "not comparable: the raw SQL wrote other bytes"
        peer = peer_ratio = ""
        if "pygeoapi" in p50:
            peer = (
                f"{p50['pygeoapi']:,.0f} ({result['peer_features']:,}; {result['peer_mb']:,.1f} MB)"
            )
            peer_ratio = f"{p50['pygeoapi'] / p50['computed']:,.1f}"
        print(
            f"| {result['view']} | {result['layer']} | {result['features']:,} "
            f"| {result['gzip_kb']:,.0f} | {p50['computed']:.1f} ({server['computed']:.1f}) "
            f"| {p50['raw']:.1f} | {ratio_text} | {verdict} "
            f"| {p50['cached']:.1f} ({server['cached']:.1f}) "
            f"| {p50['304']:.1f} ({server['304']:.1f}) | {peer} | {peer_ratio} |"
        )
    print()
    print(
        "p50s as the client saw them; in brackets, the time in the gunicorn worker (its access "
        "log), without the client and the loopback. The raw SQL runs in this process on a kept "
        "connection, so it has no HTTP around it."
    )
    verdict = "met" if max(hits + revalidations) <= CACHE_HIT_TARGET_MS else "NOT met"
    print(
        f"Cache hit ≤ {CACHE_HIT_TARGET_MS:.0f} ms server time: {verdict} "
        f"(hits {min(hits):.1f}–{max(hits):.1f} ms, 304s {min(revalidations):.1f}–"
        f"{max(revalidations):.1f} ms in the worker). A 304 issues no data query: asserted by "
        "tests/maps/test_layer_cache.py (counted queries), not timed here. "
        "Computed, cached and raw bodies are the same bytes (SHA-256): "
        f"{'yes' if all(result['same'] for result in results) else 'NO'}."
    )


def raw_tile(sql: str, params: list) -> bytes:
    from django.db import connection  # noqa: PLC0415

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (data,) = cursor.fetchone()
    return bytes(data or b"")


def measure_tiles(ports: dict, *, runs: int) -> list[dict]:
    """Each tile view's tiles (a 1280×800 screen, as Leaflet asks for them) one after the
    other on one connection, per layer and run: computed (the server without the cache
    builds each), cached, revalidated (304), and each tile's own `ST_AsMVT` query run alone
    in this process (maps.selectors.tiles.tile_query, built before the timing). Times are
    sums over the view's tiles; the bytes of every tile are compared by SHA-256."""
    from maps.params import LayerParams  # noqa: PLC0415
    from maps.selectors.tiles import tile_query  # noqa: PLC0415

    connections = {
        name: http.client.HTTPConnection("127.0.0.1", port) for name, port in ports.items()
    }
    gz = {"Accept-Encoding": "gzip"}
    results = []
    for view_name, zoom, lon, lat in TILE_VIEWS:
        tiles = screen_tiles(zoom, lon, lat)
        for layer in LAYERS:
            paths = [f"/tiles/{layer}/{t.z}/{t.x}/{t.y}.pbf" for t in tiles]
            queries = [tile_query(layer, t, LayerParams()) for t in tiles]
            for path in paths:  # both servers' workers warm, the cached one's copies kept
                for _ in range(2):
                    fetch(connections["computed"], path, gz), fetch(connections["cached"], path, gz)
            timings = {"computed": [], "cached": [], "304": [], "raw": []}
            same = True
            transfer = 0
            for _ in range(runs):
                sums = dict.fromkeys(timings, 0.0)
                transfer = 0
                for path, (sql, params) in zip(paths, queries, strict=True):
                    elapsed, status, body, headers = fetch(connections["computed"], path, gz)
                    assert status == 200, status
                    sums["computed"] += elapsed
                    elapsed, status, cached_body, cached_headers = fetch(
                        connections["cached"], path, gz
                    )
                    sums["cached"] += elapsed
                    transfer += len(cached_body)
                    elapsed, status, _, _ = fetch(
                        connections["cached"],
                        path,
                        {**gz, "If-None-Match": cached_headers["ETag"]},
                    )
                    assert status == 304, status
                    sums["304"] += elapsed
                    started = time.perf_counter()
                    raw_body = raw_tile(sql, params)
                    sums["raw"] += (time.perf_counter() - started) * 1000
                    same &= (
                        len({
                            sha256(plain(body, headers)),
                            sha256(plain(cached_body, cached_headers)),
                            sha256(raw_body),
                        })
                        == 1
                    )  # fmt: skip
                for name, total in sums.items():
                    timings[name].append(total)
            results.append(
                {
                    "view": view_name,
                    "layer": layer,
                    "paths": paths,
                    "transfer_kb": transfer / 1024,
                    "p50": {name: statistics.median(values) for name, values in timings.items()},
                    "same": same,
                }
            )
    return results


def print_tiles(results: list[dict]) -> None:
    computed_times = server_times("computed", skip_first=2)
    cached_times = server_times("cached", skip_first=2)
    print(
        "| view | layer | tiles | transfer gzip KB | computed ms (server) | raw ST_AsMVT ms "
        "| computed/raw (server/raw) | target | cached ms (server) | cached per tile ms "
        "| 304 ms (server) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|")
    for result in results:
        p50, tiles = result["p50"], len(result["paths"])
        server = {
            "computed": sum(statistics.median(computed_times[(p, "200")]) for p in result["paths"]),
            "cached": sum(statistics.median(cached_times[(p, "200")]) for p in result["paths"]),
            "304": sum(statistics.median(cached_times[(p, "304")]) for p in result["paths"]),
        }
        ratio = p50["computed"] / p50["raw"]
        verdict = (
            f"≤ {TILES_COLD_RAW_TARGET}: {'met' if ratio <= TILES_COLD_RAW_TARGET else 'NOT met'}"
            if result["same"]
            else "not comparable: other bytes"
        )
        print(
            f"| {result['view']} | {result['layer']} | {tiles} | {result['transfer_kb']:,.0f} "
            f"| {p50['computed']:.1f} ({server['computed']:.1f}) | {p50['raw']:.1f} "
            f"| {ratio:.2f} ({server['computed'] / p50['raw']:.2f}) | {verdict} "
            f"| {p50['cached']:.1f} ({server['cached']:.1f}) | {server['cached'] / tiles:.2f} "
            f"| {p50['304']:.1f} ({server['304']:.1f}) |"
        )
    print()
    print(
        "Sums over the view's tiles, asked one after the other on one connection (p50 of the "
        "runs; in brackets the sum of each tile's p50 time in the gunicorn worker). The raw "
        "query is each tile's own ST_AsMVT on the prepared shapes, run in this process with "
        "no request around it. Computed, cached and raw tiles are the same bytes (SHA-256): "
        f"{'yes' if all(result['same'] for result in results) else 'NO'}."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--pygeoapi", type=Path, default=DEFAULT_PYGEOAPI_VENV, metavar="VENV")
    parser.add_argument(
        "--peer-runs",
        type=int,
        default=3,
        help="pygeoapi takes seconds for the whole region: it is asked in the first runs only",
    )
    parser.add_argument(
        "--peer-views",
        default="whole region,border view",
        help="the views pygeoapi is asked for, comma-separated: at 100,000 areas its whole-"
        "region answer runs to gigabytes of memory",
    )
    parser.add_argument(
        "--parts",
        default="layers,tiles,pages",
        help="what to measure, comma-separated: at 100,000 areas of 2,000 vertices the tiles "
        "are what the scale is for",
    )
    args = parser.parse_args()
    parts = {part.strip() for part in args.parts.split(",")}

    setup_django_on_bench_database()
    print_dataset_line(
        f"{args.runs} interleaved runs per view; gunicorn 2 workers, production settings, "
        f"cache {os.environ.get('BENCH_CACHE_URL', 'locmemcache://')}; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start."
    )
    ensure_fresh_occurrence_grid()
    # The production settings serve static files through WhiteNoise's manifest.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=server_environment(cached=False),
        check=True,
    )
    servers = {}
    try:
        servers["computed"] = start_server(cached=False)
        servers["cached"] = start_server(cached=True)
        peer = start_pygeoapi(args.pygeoapi)
        if peer is not None:
            servers["pygeoapi"] = peer
        ports = {name: port for name, (_, port) in servers.items()}
        print(f"HTTP floor (/healthz p50): {http_floor(ports['cached']):.1f} ms")
        print()
        if "layers" in parts:
            print_layers(
                measure_layers(
                    ports,
                    runs=args.runs,
                    peer_runs=args.peer_runs,
                    peer_views={view.strip() for view in args.peer_views.split(",")},
                )
            )
            print()
        if "tiles" in parts:
            print("Vector tiles (/tiles/<layer>/{z}/{x}/{y}.pbf):")
            print()
            print_tiles(measure_tiles(ports, runs=args.runs))
            print()
        if "pages" in parts:
            measure_pages(ports, clients=args.clients, seconds=args.seconds)
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait(timeout=30)


def measure_pages(ports: dict, *, clients: int, seconds: float) -> None:
    print(
        f"Anonymous pages, mixed ({len(PAGES)} pages in 2 languages), {clients} "
        f"concurrent keep-alive clients, {seconds:.0f} s each:"
    )
    for name in ("computed", "cached"):
        warm_pages(ports[name], rounds=1 if name == "computed" else 3)
        rate = page_throughput(ports[name], clients=clients, seconds=seconds)
        verdict = "met" if rate >= PAGES_TARGET_RPS else "NOT met"
        target = f" (target ≥ {PAGES_TARGET_RPS:.0f}: {verdict})" if name == "cached" else ""
        print(f"- {name}: {rate:,.1f} requests/s{target}")
    pages = [
        ms
        for (url, status), values in server_times("cached").items()
        if url in PAGES and status == "200"
        for ms in values[3:]
    ]
    print(
        f"Server time of the cached pages under that load, p50 {statistics.median(pages):.1f}"
        f" ms (gunicorn's access log). Load average at the end: {os.getloadavg()[0]:.1f}."
    )


if __name__ == "__main__":
    main()
