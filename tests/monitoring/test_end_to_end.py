"""Issue 12 end to end, through the paths a user takes, the two halves of the issue together:

1. the Tumen Camtrap DP package (tests/monitoring/camtrap_package.py: stations CN-01 in
   China and RU-01 in Russia, leopards L-01 — seen on both sides — and L-02) is imported
   through the import pipeline: the dry run writes nothing, the apply writes everything;
2. a Russian laboratory's genetic-samples CSV is imported the same way: genotype RU-G12
   (two scats in Russia) is L-02's; the same file holds a draft dataset's genotype D-9,
   found on both sides, which is never published;
3. staff publish the two datasets and their occurrences (governance services);
4. Alice proposes L-02 = RU-G12, is refused when she decides, Boris confirms: one
   cross-border identity, whose match's history reads “proposed by Alice, confirmed by Boris”;
5. the confirmation queues the transborder movement indicator (Celery, eager in tests),
   whose JSON and CSV hold the figures worked out by hand below;
6. an anonymous visitor fetches every public response that could carry these leopards and
   finds them (counted), never an exact station or sample point (the security crawl's test:
   longitude and latitude at 2 to 6 decimals, rounded or truncated, together in one
   response; tiles decoded first) and never the draft dataset's title;
7. Russia's focal point (species.view_exact_location for Russia) sees RU-01 exactly on the
   staff movement map, and CN-01 only as its grid node.

The figures by hand. Days are the stations' local days (Camtrap DP timestamps carry their
offset; RU-01's 02:40+10:00 on 12 March is 11 March in UTC):

    L-01            CN-01 2015-03-10          RU-01 2015-03-12
    L-02 = RU-G12   CN-01 2015-04-02          scats in Russia 2015-05-18, 2015-06-02
    D-9 (draft)     scat in China 2015-05-01  scat in Russia 2015-05-03   (never counted)

    Amur leopard, China – Russia: 2 animals, first 2015-03-10, last 2015-06-02,
    2 detections in China (o1, o3), 3 in Russia (o2, two scats).
"""

import csv
import io
import json
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse

from common.geometry import snap_to_equal_area_grid
from dashboards.models import DashboardSnapshot
from governance.services import (
    SECRETARIAT_EDITOR,
    focal_point_assign,
    publication_publish,
    roles_setup,
)
from imports.models import ImportStatus
from maps.tile_grid import TILE_MAX_ZOOM
from monitoring.models import (
    CameraObservation,
    CameraStation,
    CrossBorderIdentity,
    GeneticSample,
    IdentityMatch,
    Individual,
    MonitoringDataset,
)
from monitoring.services import identity_match_confirm, identity_match_propose
from species.models import Occurrence
from tests.factories import CountryFactory, SpeciesFactory
from tests.imports.files import write_csv
from tests.imports.runs import apply, dry_run
from tests.security.test_crawl import body_text, point_patterns, renderings
from tests.vector_tiles import tile_containing

from .camtrap_package import CHINA_STATION, LEOPARD, RUSSIA_STATION, tumen_package

pytestmark = pytest.mark.django_db

SLUG = "transborder-movement"
BORDER_LON = 130.65  # the tests' border (tests/imports/conftest.py)
CAMERAS = ("https://doi.org/10.0000/test-tumen-leopards", "Amur leopards of the Tumen borderland")
LAB = ("urn:test:ru-lab-genotypes", "Leopard genotypes of a Russian laboratory")
DRAFT = ("urn:test:draft-genotypes", "Unreleased draft genotypes of the borderland")
HEADER = [
    "sample_id", "date", "latitude", "longitude", "coordinate_uncertainty_m", "species",
    "sample_type", "genotype_id", "laboratory", "dataset_id", "dataset_title",
]  # fmt: skip
# (lat, lon) as in the package's stations.
LAB_SAMPLES = [
    ("S-101", "2015-05-18", (42.65127, 130.71893)),
    ("S-102", "2015-06-02", (42.66804, 130.73356)),
]
DRAFT_SAMPLES = [
    ("S-901", "2015-05-01", (42.59218, 130.58734)),
    ("S-902", "2015-05-03", (42.67342, 130.69128)),
]
# (lon, lat), every point no public response may hold.
EXACT_POINTS = [
    (lon, lat)
    for lat, lon in [CHINA_STATION, RUSSIA_STATION]
    + [point for _id, _day, point in LAB_SAMPLES + DRAFT_SAMPLES]
]


def _box(west, east) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((west, 40.0, east, 46.0)), srid=4326)


def _staff(django_user_model, username):
    user = django_user_model.objects.create_user(
        username, f"{username}@example.org", "pw", is_staff=True, first_name=username.title()
    )
    user.groups.add(Group.objects.get(name=SECRETARIAT_EDITOR))
    return django_user_model.objects.get(pk=user.pk)


def _sample_rows(dataset, genotype, samples):
    return [
        [
            *(sample_id, day, str(lat), str(lon), "20", LEOPARD, "scat", genotype),
            *("Test laboratory, Vladivostok", *dataset),
        ]
        for sample_id, day, (lat, lon) in samples
    ]


@pytest.fixture
def world(db, django_user_model):
    roles_setup()
    china = CountryFactory(iso_a3="CHN", name="China", boundary=_box(124.0, BORDER_LON))
    russia = CountryFactory(iso_a3="RUS", name="Russian Federation", boundary=_box(BORDER_LON, 136))
    leopard = SpeciesFactory(
        scientific_name=LEOPARD, slug="amur-leopard", common_name="Amur leopard", is_sensitive=True
    )
    importer = django_user_model.objects.create_superuser("importer", "i@example.org", "pw")
    alice = _staff(django_user_model, "alice")
    boris = _staff(django_user_model, "boris")
    ru_focal = django_user_model.objects.create_user("ru-focal", "ru@example.org", "pw")
    focal_point_assign(user=ru_focal, countries=[russia])
    return {
        "china": china,
        "russia": russia,
        "leopard": leopard,
        "importer": importer,
        "alice": alice,
        "boris": boris,
        "ru_focal": django_user_model.objects.get(pk=ru_focal.pk),
    }


def found_points(text: str) -> list:
    """The exact points held by a response, as the security crawl finds them."""
    found = []
    for point in EXACT_POINTS:
        ((lon_pattern, lat_pattern),) = point_patterns(point)
        if lon_pattern.search(text) and lat_pattern.search(text):
            found.append(point)
    return found


def test_the_grid_nodes_are_told_from_the_points():
    """The check below could not tell a point from its generalised node otherwise."""
    for lon, lat in EXACT_POINTS:
        node = snap_to_equal_area_grid(Point(lon, lat, srid=4326), settings.SENSITIVE_GRID_M)
        shared = (renderings(lon) & renderings(node.x)) and (renderings(lat) & renderings(node.y))
        assert not shared, ((lon, lat), (node.x, node.y))


def test_import_publish_match_indicator_and_public_responses(
    world, tmp_path, client, django_capture_on_commit_callbacks, settings
):
    capture = django_capture_on_commit_callbacks
    records = imported(world, tmp_path, capture)
    published_and_matched(world, records, capture)
    indicator_checked_by_hand(client, settings)
    public_responses_checked(world, client, tmp_path, settings)
    staff_map_checked(world, client)


def imported(world, tmp_path, django_capture_on_commit_callbacks) -> dict:
    importer = world["importer"]

    # 1. The camera package: the dry run writes nothing, the apply everything.
    run = dry_run(
        tumen_package(CAMERAS[0]).write_zip(tmp_path / "tumen.zip"),
        format="camtrap_dp",
        user=importer,
    )
    assert run.status == ImportStatus.CHECKED, run.report
    for model in (MonitoringDataset, CameraStation, CameraObservation, Individual, Occurrence):
        assert not model.objects.exists(), model
    with django_capture_on_commit_callbacks(execute=True):
        run = apply(run, user=importer)
    assert run.status == ImportStatus.APPLIED, run.report
    cameras = MonitoringDataset.objects.get(identifier=CAMERAS[0])
    assert cameras.title == CAMERAS[1]
    stations = {s.deployment_id: s for s in CameraStation.objects.select_related("country")}
    assert {k: s.country.iso_a3 for k, s in stations.items()} == {"CN-01": "CHN", "RU-01": "RUS"}
    l01 = Individual.objects.get(dataset=cameras, code="L-01")
    l02 = Individual.objects.get(dataset=cameras, code="L-02")
    assert l01.camera_observations.count() == 2 and l02.camera_observations.count() == 1
    assert Occurrence.objects.count() == 3
    assert not Occurrence.objects.filter(publication_state="published").exists()

    # 2. The laboratory's CSV: RU-G12 (two scats in Russia) and the draft dataset's D-9.
    rows = _sample_rows(LAB, "RU-G12", LAB_SAMPLES) + _sample_rows(DRAFT, "D-9", DRAFT_SAMPLES)
    run = dry_run(write_csv(tmp_path / "lab.csv", HEADER, rows), format="genetic", user=importer)
    assert run.status == ImportStatus.CHECKED, run.report
    assert not GeneticSample.objects.exists() and Occurrence.objects.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        run = apply(run, user=importer)
    assert run.status == ImportStatus.APPLIED, run.report
    lab = MonitoringDataset.objects.get(identifier=LAB[0])
    draft = MonitoringDataset.objects.get(identifier=DRAFT[0])
    g12 = Individual.objects.get(dataset=lab, code="RU-G12")
    assert g12.species == l02.species == world["leopard"]
    assert {s.country.iso_a3 for s in g12.genetic_samples.all()} == {"RUS"}
    assert Occurrence.objects.count() == 7
    return {"cameras": cameras, "lab": lab, "draft": draft, "l02": l02, "g12": g12}


def published_and_matched(world, records, django_capture_on_commit_callbacks) -> None:
    # 3. Staff publish the camera network's and the laboratory's records, not the draft's.
    alice, boris = world["alice"], world["boris"]
    published = [records["cameras"], records["lab"]]
    ids = [d.pk for d in published]
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            publication_publish(user=alice, queryset=MonitoringDataset.objects.filter(pk__in=ids))
            == 2
        )
        occurrences = Occurrence.objects.filter(
            Q(camera_observation__dataset__in=published) | Q(genetic_sample__dataset__in=published)
        )
        assert publication_publish(user=alice, queryset=occurrences) == 5
    assert records["draft"].publication_state == "draft"

    # 4. Alice proposes, may not decide her own proposal; Boris confirms.
    match = identity_match_propose(
        user=alice,
        individual=records["l02"],
        other=records["g12"],
        evidence_kind="genotype",
        evidence_note="Hair at CN-01 typed by the laboratory: RU-G12's genotype.",
    )
    with pytest.raises(PermissionDenied):
        identity_match_confirm(user=alice, match=match)
    with django_capture_on_commit_callbacks(execute=True):
        identity_match_confirm(user=boris, match=match)
    identity = CrossBorderIdentity.objects.get()
    assert set(identity.individuals.values_list("code", flat=True)) == {"L-02", "RU-G12"}
    steps = [
        (h.status, h.history_user.username, h.history_change_reason)
        for h in IdentityMatch.history.filter(id=match.pk).order_by("history_date")
    ]
    assert steps == [
        ("proposed", "alice", "Proposed by Alice"),
        ("confirmed", "boris", "Confirmed by Boris"),
    ]


def indicator_checked_by_hand(client, settings) -> None:
    # 5. The indicator, rebuilt by the task the confirmation queued (eager in tests).
    snapshot = DashboardSnapshot.objects.latest_for(SLUG, {"grid_m": settings.SENSITIVE_GRID_M})
    data = snapshot.data
    assert (data["animals_identified"], data["animals_crossing"]) == (2, 2)
    assert data["pairs"] == [
        {
            "species": "amur-leopard",
            "a": "CHN",
            "b": "RUS",
            "animals": 2,
            "first": "2015-03-10",
            "last": "2015-06-02",
            "detections_a": 2,
            "detections_b": 3,
        }
    ]
    first, second = data["animals"]
    assert [c["code"] for c in first["codes"]] == ["L-01"]
    assert first["countries"] == [
        {"country": "CHN", "first": "2015-03-10", "last": "2015-03-10", "detections": 1},
        {"country": "RUS", "first": "2015-03-12", "last": "2015-03-12", "detections": 1},
    ]
    assert second["kind"] == "identity"
    assert sorted(c["code"] for c in second["codes"]) == ["L-02", "RU-G12"]
    assert second["countries"] == [
        {"country": "CHN", "first": "2015-04-02", "last": "2015-04-02", "detections": 1},
        {"country": "RUS", "first": "2015-05-18", "last": "2015-06-02", "detections": 2},
    ]
    document = client.get(f"/dashboards/{SLUG}.json").json()
    assert document["data"]["pairs"] == data["pairs"]
    table = list(csv.reader(io.StringIO(client.get(f"/dashboards/{SLUG}.csv").content.decode())))
    assert table[1:] == [
        ["Amur leopard", "China", "Russian Federation", "2", "2015-03-10", "2015-06-02", "2", "3"]
    ]


def public_responses_checked(world, client, tmp_path, settings) -> None:
    # 6. Every public response that could carry these leopards, anonymously.
    from opendata.services import occurrence_archive_publish  # noqa: PLC0415

    settings.OPENDATA_ROOT = tmp_path / "opendata"
    occurrence_archive_publish()
    texts = public_texts(client)
    low = tile_containing(RUSSIA_STATION[1], RUSSIA_STATION[0], 2)
    world["low_tile"] = f"/tiles/occurrences/{low.z}/{low.x}/{low.y}.pbf"
    failures = [(path, point) for path, text in texts.items() for point in found_points(text)] + [
        (path, DRAFT[1]) for path, text in texts.items() if DRAFT[1] in text
    ]
    assert failures == []

    # …and the published leopards are there: the checks above are not vacuous.
    species_page = texts["/species/amur-leopard/"]
    assert "<strong>2</strong> individuals identified" in species_page
    assert "<strong>2</strong> known to use more than one country" in species_page
    assert CAMERAS[1] in species_page and LAB[1] in species_page
    assert "L-02 (" in texts[f"/dashboards/{SLUG}/"] and "RU-G12 (" in texts[f"/dashboards/{SLUG}/"]
    region = json.loads(texts["map region"])["features"]
    assert sum(f["properties"]["count"] for f in region) == 5  # 3 camera, 2 scats
    close = json.loads(texts["map close"])["features"]
    assert [f["properties"]["species"] for f in close] == ["amur-leopard"] * 5
    assert json.loads(texts["/api/v1/occurrences/?format=json"])["count"] == 5
    assert json.loads(texts["ogc items"])["numberMatched"] == 5
    core = texts["dwca:occurrence.txt"]
    assert core.count("MachineObservation") == 3 and core.count("MaterialSample") == 2
    tiles = [text for path, text in texts.items() if path.startswith("/tiles/") and text]
    assert len(tiles) >= len(range(2, TILE_MAX_ZOOM + 1))  # a tile with leopards at each zoom
    records = [int(n) for n in re.findall(r"'records': (\d+)", texts[world["low_tile"]])]
    assert sum(records) == 5


def staff_map_checked(world, client) -> None:
    # 7. Russia's focal point sees RU-01 exactly on the staff map, CN-01 only on the grid.
    assert world["ru_focal"].has_perm("species.view_exact_location")
    client.force_login(world["ru_focal"])
    page = client.get(reverse("admin:monitoring_individual_movement_map"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "L-01" in text
    # Exact: RU-01 and the Russian scats (the draft dataset's too: staff see drafts); the
    # Chinese station and scat only as grid nodes.
    russian = [(lon, lat) for lon, lat in EXACT_POINTS if lon > BORDER_LON]
    assert found_points(text) == russian
    assert (RUSSIA_STATION[1], RUSSIA_STATION[0]) in russian


def public_texts(client, *, expect_records: bool = True) -> dict[str, str]:
    texts: dict[str, str] = {}

    def get(path, params=None, name=None):
        response = client.get(path, params or {})
        assert response.status_code == 200, (path, params)
        texts[name or path] = body_text(response, path)

    get("/species/amur-leopard/")
    get(f"/dashboards/{SLUG}/")
    get(f"/dashboards/{SLUG}.json")
    get(f"/dashboards/{SLUG}.csv")
    get("/dashboards/")
    get("/api/map/occurrences.geojson", {"bbox": "129,41,132,44", "zoom": 6}, "map region")
    get("/api/map/occurrences.geojson", {"zoom": 14}, "map close")
    for lon, lat in EXACT_POINTS:
        box = f"{lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}"
        get("/api/map/occurrences.geojson", {"bbox": box, "zoom": 16}, f"map close {lon}")
    for lon, lat in EXACT_POINTS:
        node = snap_to_equal_area_grid(Point(lon, lat, srid=4326), settings.SENSITIVE_GRID_M)
        for z in range(2, TILE_MAX_ZOOM + 1):
            for tile in {tile_containing(lon, lat, z), tile_containing(node.x, node.y, z)}:
                path = f"/tiles/occurrences/{tile.z}/{tile.x}/{tile.y}.pbf"
                if path not in texts:
                    response = client.get(path)
                    assert response.status_code in (200, 204), path
                    texts[path] = body_text(response, path) if response.status_code == 200 else ""
    get("/api/v1/occurrences/", {"format": "json"}, "/api/v1/occurrences/?format=json")
    get("/ogc/collections/occurrences/items", {"limit": 10000}, "ogc items")
    get("/ogc/collections/occurrences/items", {"limit": 10000, "f": "html"}, "ogc items html")
    archive = client.get("/downloads/occurrences-dwca.zip")
    assert archive.status_code == 200
    import zipfile  # noqa: PLC0415

    content = b"".join(archive.streaming_content) if archive.streaming else archive.content
    with zipfile.ZipFile(io.BytesIO(content)) as files:
        for name in files.namelist():
            texts[f"dwca:{name}"] = files.read(name).decode()
    if expect_records:
        assert re.search(r"amur-leopard|Amur leopard|Panthera pardus", texts["map region"])
    return texts


def test_a_datasets_records_are_public_only_while_it_is_published(
    world, tmp_path, client, django_capture_on_commit_callbacks, settings
):
    """An editor publishes every leopard occurrence from the occurrence list, but only the
    camera network's dataset: the laboratory's and the draft dataset's records, which carry
    their titles, stay out of sight (the indicator counts them out too); returning the camera
    network's dataset to draft takes its records out of sight."""
    from governance.services import publication_return_to_draft  # noqa: PLC0415
    from opendata.services import occurrence_archive_publish  # noqa: PLC0415

    importer, alice = world["importer"], world["alice"]
    apply(
        dry_run(
            tumen_package(CAMERAS[0]).write_zip(tmp_path / "tumen.zip"),
            format="camtrap_dp",
            user=importer,
        ),
        user=importer,
    )
    rows = _sample_rows(LAB, "RU-G12", LAB_SAMPLES) + _sample_rows(DRAFT, "D-9", DRAFT_SAMPLES)
    apply(dry_run(write_csv(tmp_path / "lab.csv", HEADER, rows), format="genetic", user=importer))
    cameras = MonitoringDataset.objects.filter(identifier=CAMERAS[0])
    with django_capture_on_commit_callbacks(execute=True):
        publication_publish(user=alice, queryset=cameras)
        assert publication_publish(user=alice, queryset=Occurrence.objects.all()) == 7
    settings.OPENDATA_ROOT = tmp_path / "opendata"
    occurrence_archive_publish()
    texts = public_texts(client)
    assert json.loads(texts["/api/v1/occurrences/?format=json"])["count"] == 3
    assert json.loads(texts["ogc items"])["numberMatched"] == 3
    assert sum(f["properties"]["count"] for f in json.loads(texts["map region"])["features"]) == 3
    assert texts["dwca:occurrence.txt"].count("MachineObservation") == 3
    low = tile_containing(RUSSIA_STATION[1], RUSSIA_STATION[0], 2)
    tile = texts[f"/tiles/occurrences/{low.z}/{low.x}/{low.y}.pbf"]
    assert sum(int(n) for n in re.findall(r"'records': (\d+)", tile)) == 3
    assert CAMERAS[1] in texts["/species/amur-leopard/"]
    for title in (LAB[1], DRAFT[1]):
        assert [path for path, text in texts.items() if title in text] == [], title

    with django_capture_on_commit_callbacks(execute=True):
        publication_return_to_draft(user=alice, queryset=cameras)
    occurrence_archive_publish()
    texts = public_texts(client, expect_records=False)
    assert json.loads(texts["/api/v1/occurrences/?format=json"])["count"] == 0
    assert json.loads(texts["map region"])["features"] == []
    assert [path for path, text in texts.items() if CAMERAS[1] in text] == []
