"""pytest: PostGIS by default (as in production and CI); SpatiaLite when DATABASE_URL says so."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DATABASES = {
    "default": env.db(
        "TEST_DATABASE_URL", default="postgis://neaspec:neaspec@127.0.0.1:5432/neaspec"
    )
}
if DATABASES["default"]["ENGINE"].endswith("spatialite"):
    from neaspec_portal.sqlite_compat import use_pysqlite3_if_needed

    use_pysqlite3_if_needed()

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
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
