import shutil

import pytest
from django.conf import settings
from django.db.models import Model

from governance.services import focal_point_assign, roles_setup
from tests import factories


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
