"""pytest: PostGIS by default (as in production and CI); SpatiaLite when DATABASE_URL says so."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DATABASES = {
    "default": env.db(
        "TEST_DATABASE_URL", default="postgis://neaspec:neaspec@127.0.0.1:5432/neaspec"
    )
}
# A "replica" that is the test database itself (Django's test mirror): the router's tests
# name it in DATABASE_REPLICAS; other tests read and write the primary only.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DATABASE_REPLICAS = []
if DATABASES["default"]["ENGINE"].endswith("spatialite"):
    from neaspec_portal.sqlite_compat import use_pysqlite3_if_needed

    use_pysqlite3_if_needed()

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
OPENDATA_ROOT = MEDIA_ROOT / "opendata"
IMPORTS_ROOT = BASE_DIR / "var" / "test-imports"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tiles are never loaded in tests: the network is closed and results must not depend on it.
MAP_TILES_URL = ""
LEAFLET_CONFIG = {**LEAFLET_CONFIG, "TILES": []}  # noqa: F405

# Tests log in with force_login or the login form; login throttling is switched on only in
# the tests of it (tests/governance/test_security.py), which reset it afterwards.
AXES_ENABLED = False

# Rate limits are switched on only in the tests of them (tests/security/test_rate_limits.py):
# a crawl of every page would otherwise run into them.
RATELIMIT_ENABLED = False
# Likewise the admin's second factor (tests/security/test_two_factor.py turns it on).
ADMIN_REQUIRE_2FA = False

# The caches of anonymous pages and map layers are switched on only in the tests of them
# (tests/common/test_response_cache.py, tests/maps/test_layer_cache.py): other tests count
# their queries without the data version's read.
RESPONSE_CACHE_ENABLED = False
# Nor does a process keep copies in its own memory, which the tests' cache.clear() would
# not empty (tests/common/test_response_cache.py turns it on where it tests it).
RESPONSE_CACHE_LOCAL_BYTES = 0
