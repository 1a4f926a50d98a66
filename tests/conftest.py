"""Fixtures shared by every test package, and the NEASPEC dataset loaded once per run.

The dataset takes seconds to load, so the tests that read it share one load: the first of
them loads it inside an outer transaction, and each of them runs in a savepoint of that
transaction, rolled back after it, so every one sees the dataset as loaded. The outer
transaction is rolled back before any other test, so no other test sees the dataset;
those tests are run one after another so that this happens once. A transactional test
(`live_server`, `transaction=True`) cannot run inside a transaction: it loads its own copy,
which the flush after it removes."""

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import after_task_publish
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import translation
from pytest_django.fixtures import validate_django_db

from dataset.services import DEFAULT_DIRECTORY, dataset_load_neaspec
from tests import factories

# -- the NEASPEC dataset ---------------------------------------------------------------------

TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def _shares_the_dataset(item: pytest.Item) -> bool:
    """Whether the test reads the dataset inside the shared transaction."""
    fixtures = set(getattr(item, "fixturenames", ()))
    if "neaspec_dataset" not in fixtures or fixtures & TRANSACTIONAL_FIXTURES:
        return False
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return True
    transactional, reset_sequences, *_ = validate_django_db(marker)
    return not (transactional or reset_sequences)


class SharedDataset:
    """The outer transaction holding the one load of the dataset that tests share."""

    def __init__(self):
        self.blocker = None  # pytest-django's, once the test database is set up
        self.wanted = False  # by the test about to run
        self.atomic = None
        self.report = None

    def open(self) -> None:
        if self.atomic is not None or self.blocker is None or not self.wanted:
            return
        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            try:
                with translation.override("en"):
                    self.report = dataset_load_neaspec()
            except BaseException:
                self.close()
                raise
            # To the tests the dataset is as if committed before them: what the load left
            # to do on commit (a dashboard rebuild) is dropped, as a test's rollback drops it.
            connection.run_on_commit = []

    def close(self) -> None:
        if self.atomic is None:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None


shared_dataset = SharedDataset()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before any fixture of the test: its own transaction must start inside the shared
    # one, and a transactional test must find no transaction open.
    shared_dataset.wanted = _shares_the_dataset(item)
    if shared_dataset.wanted:
        shared_dataset.open()
    else:
        shared_dataset.close()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # After pytest-django's ordering (tests in a transaction, then transactional ones): the
    # tests sharing the dataset move up to the first of them, so it is loaded once.
    sharing = [item for item in items if _shares_the_dataset(item)]
    if sharing:
        first = items.index(sharing[0])
        others = [item for item in items if not _shares_the_dataset(item)]
        items[:] = others[:first] + sharing + others[first:]


@pytest.fixture(scope="session")
def _shared_dataset(django_db_setup, django_db_blocker):
    # Session-scoped, so it is set up before the first test's own transaction starts.
    shared_dataset.blocker = django_db_blocker
    shared_dataset.open()
    yield shared_dataset
    shared_dataset.close()


@pytest.fixture
def dataset_copy(tmp_path):
    """A copy of the dataset's files (data/neaspec/) for a test to change."""
    target = tmp_path / "neaspec"
    shutil.copytree(DEFAULT_DIRECTORY, target, ignore=shutil.ignore_patterns("build"))
    return target


@pytest.fixture
def neaspec_dataset(_shared_dataset, db):
    """The NEASPEC dataset (data/neaspec/) as loaded by `load_neaspec`: its load report."""
    if _shared_dataset.atomic is not None:
        return _shared_dataset.report
    return dataset_load_neaspec()


# -- records and users ------------------------------------------------------------------------


@pytest.fixture
def russia(db):
    return factories.CountryFactory(
        iso_a3="RUS", name="Russian Federation", boundary=factories.square(125, 40, 15)
    )


@pytest.fixture
def mongolia(db):
    return factories.CountryFactory(
        iso_a3="MNG", name="Mongolia", boundary=factories.square(100, 42, 15)
    )


@pytest.fixture
def database_label():
    """The test database as the portal names it where it says what computed a figure."""
    return {"postgresql": "PostGIS", "sqlite": "SpatiaLite"}[connection.vendor]


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("secretariat", "s@example.org", "pw")
    client.force_login(user)
    return client


# -- manage.py in a subprocess (the portal on SpatiaLite, as `make run`; production settings) --


def manage_in_subprocess(*args: str, env: dict, timeout: int = 300):
    """`manage.py` in a process of its own, with `env` as its whole environment."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def manage_on_spatialite(*args: str, database_url: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "neaspec_portal.settings.local",
        "DATABASE_URL": database_url,
        # The open-data files: with the test run's, not in media/.
        "OPENDATA_ROOT": str(settings.OPENDATA_ROOT),
    }
    return manage_in_subprocess(*args, env=env)


# -- Celery: a real broker, down or up, and a real worker ----------------------------------------

# A Redis database of these tests' own, so other test runs on the machine do not collide.
TEST_REDIS_URL = os.environ.get("DASHBOARDS_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")
# Only keeps a broken worker from hanging the suite.
RESULT_TIMEOUT_SECONDS = 60


@pytest.fixture
def celery_app():
    from neaspec_portal.celery import app  # noqa: PLC0415

    return app


@contextmanager
def _broker(app, url: str):
    saved = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = url
    try:
        yield app
    finally:
        app.conf.task_always_eager, app.conf.broker_url = saved


@pytest.fixture
def broker_down(celery_app):
    """A real broker URL on which nothing listens (port 1): sends fail as in production
    when Redis is down, with no mock in between."""
    with _broker(celery_app, "redis://127.0.0.1:1/0"):
        yield


@pytest.fixture
def redis_broker(celery_app):
    """Tasks sent to a real, empty Redis, where they wait for `celery_worker()`."""
    try:
        redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(f"Redis is needed at {TEST_REDIS_URL} (`make test` starts it): {exc}")
    with _broker(celery_app, TEST_REDIS_URL):
        yield redis.Redis.from_url(TEST_REDIS_URL)


def celery_worker(app):
    """A real worker, in a thread, on the broker the app is given (see `redis_broker`)."""
    return start_worker(app, pool="solo", loglevel="WARNING", perform_ping_check=False)


@pytest.fixture
def sent_tasks():
    """(task name, task id) of each task this process sends to the broker."""
    sent = []

    def record(sender=None, headers=None, **kwargs):
        sent.append((sender, headers["id"]))

    after_task_publish.connect(record, weak=False)
    yield sent
    after_task_publish.disconnect(record)


# -- a clean slate for each test --------------------------------------------------------------


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
