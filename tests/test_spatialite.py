"""`make run` uses an embedded SpatiaLite file: its migrations and the loader must work there.

Run in a subprocess because the suite's own database is PostGIS."""

import json

import pytest
from django.conf import settings

from tests.conftest import manage_on_spatialite

pytestmark = pytest.mark.spatialite


def test_migrations_and_dataset_load_on_spatialite(tmp_path):
    database_url = f"spatialite:///{tmp_path / 'portal.sqlite3'}"
    migrated = manage_on_spatialite("migrate", "--noinput", database_url=database_url)
    assert migrated.returncode == 0, migrated.stderr

    shipped = settings.BASE_DIR / "data" / "neaspec" / "protected_areas.json"
    areas = len(json.loads(shipped.read_text(encoding="utf-8"))["protected_areas"])
    first = manage_on_spatialite("load_neaspec", database_url=database_url)
    assert first.returncode == 0, first.stderr
    assert f"protected areas: {areas} created" in first.stdout

    second = manage_on_spatialite("load_neaspec", database_url=database_url)
    assert second.returncode == 0, second.stderr
    assert f"protected areas: 0 created, 0 updated, {areas} kept as they were" in second.stdout

    counted = manage_on_spatialite(
        "shell",
        "--no-imports",
        "-c",
        "from protected_areas.models import ProtectedArea as P; "
        "print(P.objects.exclude(boundary=None).filter(computed_area_km2__gt=0).count(), "
        "P.objects.filter(boundary__intersects='SRID=4326;POINT(131.33 43.25)').count())",
        database_url=database_url,
    )
    assert counted.returncode == 0, counted.stderr
    with_area, at_land_of_the_leopard = map(int, counted.stdout.splitlines()[-1].split())
    assert with_area > 20
    assert at_land_of_the_leopard >= 1

    # Sensitive points are generalised in SpatiaLite as in PostGIS (same SRID 6933 grid).
    generalised = manage_on_spatialite(
        "shell",
        "--no-imports",
        "-c",
        "from django.contrib.auth.models import AnonymousUser as A; "
        "from species.models import Occurrence as O; "
        "from species.selectors import occurrence_location_for as f; "
        "rows = list(O.objects.published().for_viewer(A()).filter(species__is_sensitive=True)); "
        "print(len(rows), max(r.shown_location.distance(f(A(), r)) for r in rows), "
        "min(r.shown_location.distance(r.location) for r in rows))",
        database_url=database_url,
    )
    assert generalised.returncode == 0, generalised.stderr
    count, disagreement, displacement = generalised.stdout.splitlines()[-1].split()
    assert int(count) > 0
    assert float(disagreement) < 1e-7
    assert float(displacement) > 0

    # The map layers on SpatiaLite: a view zoomed in *inside* Russia, next to China and
    # DPR Korea, shows the countries whose land it holds and the park it is centred on.
    # (SpatiaLite's MbrOverlaps is false when a feature's box contains the view.)
    in_view = manage_on_spatialite(
        "shell",
        "--no-imports",
        "-c",
        "import json; from django.test import Client; c = Client(HTTP_HOST='127.0.0.1'); "
        "view = {'zoom': 9, 'bbox': '130.40,42.85,132.38,43.65'}; "
        "layer = lambda name: json.loads(c.get(f'/api/map/{name}.geojson', view).content)"
        "['features']; "
        "print(','.join(sorted(f['properties']['country'] for f in layer('countries')))); "
        "print('|'.join(sorted(f['properties']['name'] for f in layer('protected-areas'))))",
        database_url=database_url,
    )
    assert in_view.returncode == 0, in_view.stderr
    countries, areas = in_view.stdout.splitlines()[-2:]
    # Outlines are cut to the view: DPR Korea's box reaches it, its land does not.
    assert {"CHN", "RUS"} <= set(countries.split(","))
    assert "PRK" not in countries.split(",")
    assert "Land of the Leopard National Park" in areas.split("|")

    # Every layer's box filter, with point-only and boundary records, as on PostGIS
    # (tests/maps/test_box_filter.py): a point-only park was in every view here.
    box_filters = manage_on_spatialite(
        "shell",
        "--no-imports",
        "-c",
        "from tests.maps.box_filter_cases import run; run()",
        database_url=database_url,
    )
    assert box_filters.returncode == 0, box_filters.stderr
    assert json.loads(box_filters.stdout.splitlines()[-1]) == []

    # Vector tiles through the Python encoder: the same features as PostGIS's ST_AsMVT
    # (tests/maps/tile_cases.py), published only, the sensitive record at its grid node.
    tiles = manage_on_spatialite(
        "shell",
        "--no-imports",
        "-c",
        "from tests.maps.tile_cases import run; run()",
        database_url=database_url,
    )
    assert tiles.returncode == 0, tiles.stderr
    assert json.loads(tiles.stdout.splitlines()[-1]) == []
