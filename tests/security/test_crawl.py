"""The crawl that keeps issue 15's holes shut.

With draft, in-review, archived and deleted records of every publishable model present (each
named and slugged with a token of its own, and linked from published records wherever a link
could leak it) and sensitive occurrences at distinctive points, the crawl enumerates the
public URLs as an anonymous visitor and as the focal point of another country:

- every URL pattern of the resolver outside the admin, its parameters filled with the seeded
  records (those of the view's model where it can tell, or every seeded slug and pk), in
  every language prefix where the pattern has one;
- every page of the sitemap, and every link of the list pages followed within the site
  (bounded depth and count);
- every map layer at several views and zooms, small boxes around each exact point included;
- the vector tiles around each exact point and its generalised node at every band's zooms,
  decoded (tests/vector_tiles.py) to names and coordinates in degrees before the check;
- the downloads (archives opened), the site search and the map search for every token.

It asserts that no response holds a non-public record's name or slug, or a sensitive point
at a precision finer than the grid: the point's longitude and latitude, each rendered at 2
to 6 decimals (rounded or truncated), found together in one response. A later path is
crawled as soon as it is routed, linked or listed in the sitemap."""

import io
import itertools
import math
import re
import zipfile
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern

from common.geometry import snap_to_equal_area_grid
from common.models import PublicationState, PublishableModel
from maps.selectors import DETAIL_READERS, LAYERS
from maps.selectors.tiles import TILE_LAYERS
from maps.tile_grid import TILE_MAX_ZOOM, Tile
from tests import factories
from tests.vector_tiles import decoded, tile_containing

pytestmark = pytest.mark.django_db

NON_PUBLIC = [
    PublicationState.DRAFT,
    PublicationState.IN_REVIEW,
    PublicationState.ARCHIVED,
    PublicationState.DELETED,
]
TEXT_FIELDS = ("name", "title", "common_name", "scientific_name", "acronym", "slug")
LANGUAGE_PREFIXES = ["" if code == "en" else f"/{code}" for code, _name in settings.LANGUAGES]

# Exact points of sensitive records (in tests/conftest.py's Russia and Mongolia), chosen so
# that no rendering of them is a rendering of their generalised grid node.
RUSSIAN_TRAP = (131.87654, 43.76543)
MONGOLIAN_TRAP = (106.23457, 47.65432)

# Paths not crawled: the admin (not public), the media route (no files are seeded), and the
# endpoints that take only POST.
SKIPPED_PREFIXES = ("/admin/", "/media/", "/csp-report/")
# Whose coordinates are not checked yet, and why. Empty it when the fix lands.
COORDINATES_NOT_CHECKED: dict[str, str] = {}

MAX_LINKS_FOLLOWED = 160
MAX_LINK_DEPTH = 2
MAX_VALUES_PER_PATTERN = 60


# -- the seeded world ----------------------------------------------------------------------
def token(model, state) -> str:
    return f"zq{model._meta.model_name}{state.replace('_', '')}"


def factory_for(model):
    for candidate in vars(factories).values():
        meta = getattr(candidate, "_meta", None)
        if getattr(meta, "model", None) is model and hasattr(candidate, "create"):
            return candidate
    raise AssertionError(f"tests/factories.py has no factory for {model._meta.label}")


def publishable_models():
    from django.apps import apps  # noqa: PLC0415

    return [m for m in apps.get_models() if issubclass(m, PublishableModel)]


@dataclass
class World:
    secrets: set[str] = field(default_factory=set)
    records: dict = field(default_factory=dict)  # model → [(state, record)]
    sensitive_slug: str = ""


def seed(russia, mongolia) -> World:
    world = World()
    for model in publishable_models():
        text_fields = [f.name for f in model._meta.fields if f.name in TEXT_FIELDS]
        extra = {"country": russia} if model._meta.model_name == "protectedarea" else {}
        for state in [PublicationState.PUBLISHED, *NON_PUBLIC]:
            mark = token(model, state)
            values = {name: mark for name in text_fields}
            if "scientific_name" in values:
                values["scientific_name"] = f"Zq {mark}"
            record = factory_for(model).create(publication_state=state, **values, **extra)
            world.records.setdefault(model, []).append((state, record))
            if state != PublicationState.PUBLISHED:
                world.secrets.add(mark)
    _link_everything(world, russia)
    leopard = factories.SpeciesFactory(
        slug="crawl-leopard", common_name="Crawl leopard", is_sensitive=True
    )
    world.sensitive_slug = leopard.slug
    for lon, lat in (RUSSIAN_TRAP, MONGOLIAN_TRAP):
        factories.OccurrenceFactory(species=leopard, location=Point(lon, lat, srid=4326))
    _seed_individuals(world, leopard, russia, mongolia)
    # The dashboards as readers get them: computed from all of the above.
    call_command("rebuild_dashboards", stdout=io.StringIO())
    return world


def _link_everything(world: World, russia) -> None:
    """Every non-public record linked from published ones wherever the models allow."""

    def of(label):
        from django.apps import apps  # noqa: PLC0415

        rows = world.records.get(apps.get_model(label), [])
        published = next(r for s, r in rows if s == PublicationState.PUBLISHED)
        return published, [r for s, r in rows if s != PublicationState.PUBLISHED]

    area, hidden_areas = of("protected_areas.ProtectedArea")
    link, hidden_links = of("protected_areas.TransboundaryLink")
    species, hidden_species = of("species.Species")
    meeting, hidden_meetings = of("meetings.Meeting")
    project, hidden_projects = of("projects.Project")
    link.protected_areas.set([area, *hidden_areas])
    for hidden in hidden_links:
        hidden.protected_areas.set([area])
    project.protected_areas.set([area, *hidden_areas])
    project.species.set([species, *hidden_species])
    project.countries.set([russia])
    for hidden in hidden_areas:
        factories.PopulationEstimateFactory(
            species=species, scope="site", protected_area=hidden, count=42
        )
        factories.OccurrenceFactory(species=species, protected_area=hidden)
    for hidden in hidden_species:
        factories.OccurrenceFactory(species=hidden)
        factories.PopulationEstimateFactory(species=hidden, protected_area=area, scope="site")
    for hidden in hidden_meetings:
        factories.ProjectFactory(approved_at=hidden).countries.set([russia])
        factories.StrategyDocumentFactory(adopted_at=hidden).target_species.set(hidden_species)
        factories.DecisionFactory(meeting=hidden).related_projects.set([project])
    for hidden in hidden_projects:
        hidden.protected_areas.set([area])
        hidden.species.set([species])
        factories.DecisionFactory(meeting=meeting).related_projects.set([hidden])


def _seed_individuals(world: World, leopard, russia, mongolia) -> None:
    """A leopard of every monitoring dataset, published or not, seen by camera traps at the
    two sensitive points, across the border: the movement indicator and the species page
    count them, and must name only the published dataset and its animal."""
    from monitoring.models import MonitoringDataset  # noqa: PLC0415
    from tests.monitoring.factories import (  # noqa: PLC0415
        CameraObservationFactory,
        CameraStationFactory,
        IndividualFactory,
    )

    for _state, dataset in world.records[MonitoringDataset]:
        animal = IndividualFactory(dataset=dataset, species=leopard, code=f"{dataset.title}-1")
        for (lon, lat), country in ((RUSSIAN_TRAP, russia), (MONGOLIAN_TRAP, mongolia)):
            station = CameraStationFactory(
                dataset=dataset, location=Point(lon, lat, srid=4326), country=country
            )
            CameraObservationFactory(
                individual=animal,
                station=station,
                dataset=dataset,
                occurrence__dataset="Crawl camera traps",
            )


# -- what must not be found ------------------------------------------------------------------
def renderings(value: float) -> set[str]:
    found = set()
    for decimals in range(2, 7):
        found.add(f"{value:.{decimals}f}")
        truncated = math.trunc(value * 10**decimals) / 10**decimals
        found.add(f"{truncated:.{decimals}f}")
    return found


def point_patterns(point) -> list[tuple[re.Pattern, re.Pattern]]:
    lon, lat = point

    def pattern(value):
        alternatives = "|".join(re.escape(text) for text in sorted(renderings(value)))
        return re.compile(rf"(?<![\d.])(?:{alternatives})")

    return [(pattern(lon), pattern(lat))]


@dataclass
class Checker:
    secrets: set[str]
    points: list
    failures: list = field(default_factory=list)
    seen: int = 0
    paths: set = field(default_factory=set)

    def check(self, path: str, body: str, status: int = 200) -> None:
        self.seen += 1
        self.paths.add(path)
        lowered = body.lower()
        for secret in self.secrets:
            if secret in path.lower():
                # A "not found" page may repeat the path it was asked for; a page found there
                # is itself the leak.
                if status == 200:
                    self.failures.append(f"{path}: a non-public record's page is found")
                continue
            if secret in lowered:
                self.failures.append(f"{path}: names the non-public record {secret!r}")
        if any(path.startswith(p) for p in COORDINATES_NOT_CHECKED):
            return
        body = without_echoed_box(path, body)
        for point, ((lon_pattern, lat_pattern),) in self.points:
            lon = lon_pattern.search(body)
            lat = lat_pattern.search(body)
            if lon and lat:
                self.failures.append(
                    f"{path}: holds the sensitive point {point} as {lon[0]}, {lat[0]}"
                )


NUMBER = re.compile(r"-?\d+\.\d+")
# How near a number must be to the asked box's edge to be that edge, echoed: a layer cut to
# the view (country outlines) has vertices on it, rounded to the zoom's digits. The crawl's
# boxes lie 0.001° from the point, so at 4+ digits an echo is told from the point itself.
ECHO_TOLERANCE = 0.0002


def without_echoed_box(path: str, body: str) -> str:
    """The body without the numbers that only repeat the box the client asked for: the
    client knew them already, so they reveal nothing."""
    match = re.search(r"[?&]bbox=([^&]+)", path)
    if not match:
        return body
    edges = [float(value) for value in match[1].split(",")]

    def keep(number):
        value = float(number[0])
        # A number written to d digits stands for anything within one unit of its last digit.
        digits = len(number[0].rpartition(".")[2])
        tolerance = max(ECHO_TOLERANCE, 10**-digits)
        return "" if any(abs(value - edge) <= tolerance for edge in edges) else number[0]

    return NUMBER.sub(keep, body)


TILE_PATH = re.compile(r"^/tiles/[-\w]+/(\d+)/(\d+)/(\d+)\.pbf")


def body_text(response, path: str = "") -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    tile = TILE_PATH.match(path)
    if tile and response.status_code == 200:
        # A vector tile: its features as text, points and vertices in degrees to 6 decimals.
        return tile_text(decoded(content, Tile(*map(int, tile.groups()))))
    if content[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"\n".join(archive.read(name) for name in archive.namelist())
    return content.decode("utf-8", errors="replace")


def tile_text(layers: dict) -> str:
    def coordinates(value):
        if value and isinstance(value[0], (int, float)):
            return [f"{value[0]:.6f} {value[1]:.6f}"]
        return [text for part in value for text in coordinates(part)]

    lines = []
    for name, features in layers.items():
        for feature in features:
            lines.append(f"{name} {feature['id']} {feature['properties']}")
            lines += coordinates(feature["geometry"]["coordinates"])
    return "\n".join(lines)


# -- what is crawled -------------------------------------------------------------------------
def walk_patterns(patterns, prefix="", localised=False):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            is_locale = isinstance(entry.pattern, LocalePrefixPattern)
            route = "" if is_locale else str(entry.pattern)
            yield from walk_patterns(entry.url_patterns, prefix + route, localised or is_locale)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback, localised


PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def model_of_view(callback):
    view_class = getattr(callback, "view_class", None)
    if view_class is None:
        return None
    model = getattr(view_class, "model", None)
    if model is not None:
        return model
    try:
        return view_class(kwargs={}).get_queryset().model
    except Exception:  # a view that needs a request: no model to tell
        return None


def parameter_values(world: World, callback, names) -> list[dict]:
    model = model_of_view(callback)
    records = (
        [r for _s, r in world.records[model]]
        if model in world.records
        else [r for rows in world.records.values() for _s, r in rows]
    )
    from dashboards.registry import INDICATORS  # noqa: PLC0415

    candidates = {}
    for name in names:
        if name == "layer":
            candidates[name] = sorted(set(LAYERS) | set(DETAIL_READERS))
        elif name == "slug" and "Dashboard" in getattr(callback, "__name__", ""):
            candidates[name] = list(INDICATORS)
        elif name == "slug":
            candidates[name] = [r.slug for r in records if getattr(r, "slug", None)]
            candidates[name] += list(INDICATORS) if model is None else []
        else:  # pk, id and any later one: every seeded primary key
            candidates[name] = sorted({r.pk for r in records})
    combos = itertools.product(*(candidates[name] for name in names))
    return [dict(zip(names, combo, strict=True)) for combo in itertools.islice(combos, 400)][
        :MAX_VALUES_PER_PATTERN
    ]


def resolver_paths(world: World) -> list[str]:
    paths = []
    for route, callback, localised in walk_patterns(get_resolver().url_patterns):
        if "(" in route or "^" in route:
            continue  # regular-expression routes belong to the admin
        path = "/" + route
        if path.startswith(SKIPPED_PREFIXES):
            continue
        prefixes = LANGUAGE_PREFIXES if localised else [""]
        names = [m["name"] for m in PARAMETER.finditer(route)]
        if not names:
            paths += [f"{prefix}{path}" for prefix in prefixes]
            continue
        for values in parameter_values(world, callback, names):
            filled = PARAMETER.sub(lambda m, v=values: str(v[m["name"]]), path)
            # Every language for the first values, English for the rest: bounded.
            paths += [f"{prefix}{filled}" for prefix in prefixes[:2]]
    return paths


def layer_paths(world: World) -> list[str]:
    views = ["90,30,150,60", "125,40,140,55", "100,42,115,57"]
    for lon, lat in (RUSSIAN_TRAP, MONGOLIAN_TRAP):
        views += [f"{lon - d},{lat - d},{lon + d},{lat + d}" for d in (0.001, 0.05)]
    paths = []
    for layer in LAYERS:
        for bbox, zoom in itertools.product(views, (4, 8, 12, 16)):
            paths.append(f"/api/map/{layer}.geojson?bbox={bbox}&zoom={zoom}")
        paths.append(f"/api/map/{layer}.geojson?species={world.sensitive_slug}&zoom=12")
        paths.append(f"/api/map/{layer}.geojson")
    return paths


def tile_paths(world: World) -> list[str]:
    """The tiles holding each exact point and each generalised node, at every zoom from the
    continent to the closest, with and without the sensitive species' filter."""
    paths = []
    for lon, lat in (RUSSIAN_TRAP, MONGOLIAN_TRAP):
        node = snap_to_equal_area_grid(Point(lon, lat, srid=4326), settings.SENSITIVE_GRID_M)
        for z in range(2, TILE_MAX_ZOOM + 1, 2):
            for tile in {tile_containing(lon, lat, z), tile_containing(node.x, node.y, z)}:
                for layer in TILE_LAYERS:
                    path = f"/tiles/{layer}/{tile.z}/{tile.x}/{tile.y}.pbf"
                    paths += [path, f"{path}?species={world.sensitive_slug}"]
    return paths


def search_paths(world: World) -> list[str]:
    # Prefixes of the tokens, matching published and non-public records alike; a query is
    # echoed by the page, so the full token of a non-public record is never asked for.
    queries = ["zq", "leopard", "crawl"]
    queries += sorted({f"zq{model._meta.model_name}" for model in world.records})
    return [f"/search/?q={q}" for q in queries] + [f"/api/map/search.json?q={q}" for q in queries]


def sitemap_paths(client) -> list[str]:
    body = client.get("/sitemap.xml").content.decode()
    return [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", body)]


HREF = re.compile(r"""href=["']([^"'#]+)""")


def crawl(client, checker: Checker, start: list[str]) -> None:
    queue = deque((path, 0) for path in start)
    visited = set()
    followed = 0
    while queue:
        path, depth = queue.popleft()
        if path in visited or path.startswith(SKIPPED_PREFIXES):
            continue
        visited.add(path)
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)
        body = body_text(response, path)
        checker.check(path, body, response.status_code)
        if depth >= MAX_LINK_DEPTH or "html" not in response.get("Content-Type", ""):
            continue
        for found in HREF.findall(body):
            href = found.replace("&amp;", "&")
            parts = urlsplit(href)
            if parts.netloc not in ("", "testserver") or not href.startswith(("/", "http")):
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if link not in visited and followed < MAX_LINKS_FOLLOWED:
                followed += 1
                queue.append((link, depth + 1))


@pytest.fixture
def world(russia, mongolia):
    return seed(russia, mongolia)


def url_sections() -> set[str]:
    """The first path segment of every public URL pattern ("/ogc/", "/api/", "/programme/")."""
    sections = set()
    for route, _callback, _localised in walk_patterns(get_resolver().url_patterns):
        first = route.lstrip("^").split("/")[0]
        if first and not PARAMETER.search(first) and f"/{first}/" not in SKIPPED_PREFIXES:
            sections.add(f"/{first}/" if "/" in route else f"/{first}")
    return sections


def unprefixed(paths) -> set[str]:
    """Paths without their language prefix (/ja/projects/ → /projects/)."""
    out = set()
    for path in paths:
        head, _, rest = path.lstrip("/").partition("/")
        out.add(f"/{rest}" if f"/{head}" in LANGUAGE_PREFIXES else path)
    return out


def crawl_everything(client, checker: Checker, world: World) -> None:
    start = [*resolver_paths(world), *sitemap_paths(client)]
    start += [f"{prefix}/" for prefix in LANGUAGE_PREFIXES]
    start += layer_paths(world) + tile_paths(world) + search_paths(world)
    crawl(client, checker, start)


def test_the_crawl_finds_no_leak_for_anonymous_visitors(world):
    checker = Checker(
        world.secrets, [(p, point_patterns(p)) for p in (RUSSIAN_TRAP, MONGOLIAN_TRAP)]
    )
    crawl_everything(Client(), checker, world)
    assert checker.seen > 500, checker.seen  # the crawl reached what it should
    # Every part of the site the URL patterns name is reached, so a new page, API, export or
    # download is crawled the day it is added.
    unreached = sorted(
        section
        for section in url_sections()
        if not any(path.split("?")[0].startswith(section) for path in unprefixed(checker.paths))
    )
    assert not unreached, f"The crawl does not reach: {unreached}"
    assert not checker.failures, "\n".join(checker.failures[:40])


def test_the_crawl_finds_no_leak_for_another_countrys_focal_point(world, focal_client):
    # A Mongolia focal point: Russia's exact points and every non-public record stay hidden.
    checker = Checker(world.secrets, [(RUSSIAN_TRAP, point_patterns(RUSSIAN_TRAP))])
    crawl_everything(focal_client, checker, world)
    assert checker.seen > 500, checker.seen
    assert not checker.failures, "\n".join(checker.failures[:40])


def test_the_crawl_sees_what_it_looks_for(world, editor_client):
    """The checks are not vacuous: the Secretariat, entitled to exact points, gets them
    from the map layer, and a published record's token is found where it is shown."""
    checker = Checker(
        {
            token(type(r), PublicationState.PUBLISHED)
            for rows in world.records.values()
            for s, r in rows[:1]
        },
        [(RUSSIAN_TRAP, point_patterns(RUSSIAN_TRAP))],
    )
    crawl(
        editor_client,
        checker,
        [f"/api/map/occurrences.geojson?bbox={b}&zoom=12" for b in ("125,40,140,55",)]
        + ["/species/", "/projects/", "/dashboards/transborder-movement/"],
    )
    trap = tile_containing(*RUSSIAN_TRAP, TILE_MAX_ZOOM)
    tile_path = f"/tiles/occurrences/{trap.z}/{trap.x}/{trap.y}.pbf"
    crawl(editor_client, checker, [tile_path])
    found = "\n".join(checker.failures)
    # A tile is decoded before it is checked: the exact point is found in it too.
    assert f"{tile_path}: holds the sensitive point" in found
    assert "sensitive point" in found
    assert "zqspeciespublished" in found and "zqprojectpublished" in found
    # The published dataset's leopard, seen on both sides, is on the movement dashboard.
    assert any(
        line.startswith("/dashboards/transborder-movement/")
        and "zqmonitoringdatasetpublished" in line
        for line in checker.failures
    )
