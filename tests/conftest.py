import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("secretariat", "s@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def english_by_default():
    """Each test starts in English. A request to /ja/… leaves Japanese active in the test
    thread, and translated fields (`title` → `title_ja`) would then be written in it."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached map outlines and layers built from one
    test's countries must not be served in the next."""
    cache.clear()
    yield
    cache.clear()
