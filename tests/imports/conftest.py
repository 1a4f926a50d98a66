import shutil

import pytest
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db.models import Model

from governance.services import focal_point_assign, roles_setup
from tests import factories
from tests.monitoring.camtrap_package import CHINA_STATION, LEOPARD


@pytest.fixture(scope="session", autouse=True)
def empty_import_storage():
    shutil.rmtree(settings.IMPORTS_ROOT, ignore_errors=True)
    yield
    shutil.rmtree(settings.IMPORTS_ROOT, ignore_errors=True)


@pytest.fixture
def russia(db):
    return factories.CountryFactory(
        iso_a3="RUS", name="Russian Federation", boundary=factories.square(128, 40, 12)
    )


@pytest.fixture
def china(db):
    return factories.CountryFactory(
        iso_a3="CHN", name="China", boundary=factories.square(112, 36, 10)
    )


@pytest.fixture
def mongolia(db):
    return factories.CountryFactory(
        iso_a3="MNG", name="Mongolia", boundary=factories.square(100, 42, 10)
    )


@pytest.fixture
def countries(russia, china, mongolia):
    return {"RUS": russia, "CHN": china, "MNG": mongolia}


@pytest.fixture
def roles(db):
    roles_setup()


@pytest.fixture
def mongolia_focal_point(roles, mongolia, django_user_model):
    user = django_user_model.objects.create_user("mn-focal", "mn@example.org", "pw")
    focal_point_assign(user=user, countries=[mongolia])
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("importer", "i@example.org", "pw")


def history_count(model: type[Model]) -> int:
    return model.history.count()


# -- camera traps (test_camtrap*.py, test_genetic.py) ----------------------------------------

# The tests' border: a meridian at 130.65° E, China to the west, Russia to the east (the
# real border near the Tumen runs there, roughly north to south).
BORDER_LON = 130.65


def _country(iso, name, west, east):
    box = Polygon.from_bbox((west, 40.0, east, 46.0))
    box.srid = 4326
    return factories.CountryFactory(iso_a3=iso, name=name, boundary=MultiPolygon(box, srid=4326))


@pytest.fixture
def tumen_china(db):
    return _country("CHN", "China", 124.0, BORDER_LON)


@pytest.fixture
def tumen_russia(db):
    return _country("RUS", "Russian Federation", BORDER_LON, 136.0)


@pytest.fixture
def leopard(tumen_china, tumen_russia):
    return factories.SpeciesFactory(
        scientific_name=LEOPARD,
        common_name="Amur leopard",
        is_sensitive=True,
        synonyms="Panthera pardus amurensis",
    )


@pytest.fixture
def hunchun(tumen_china):
    """A protected area holding the Chinese station."""
    lat, lon = CHINA_STATION
    return factories.ProtectedAreaFactory(
        name="Hunchun test reserve",
        country=tumen_china,
        boundary=factories.square(lon - 0.1, lat - 0.1, 0.2),
    )


@pytest.fixture
def fresh_archive(settings, tmp_path):
    """Builds the open-data files (the Darwin Core Archive…) of this test's records, in a
    folder of its own: call it once the records are published."""
    from opendata.services import occurrence_archive_publish  # noqa: PLC0415

    settings.OPENDATA_ROOT = tmp_path / "opendata"
    return occurrence_archive_publish
