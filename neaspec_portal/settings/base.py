"""Settings shared by every environment. Each knob is an environment variable with a safe
local default; `.env.example` documents them all."""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF

from neaspec_portal.security import tile_origins
from neaspec_portal.sqlite_compat import use_pysqlite3_if_needed

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-do-not-use-in-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # before the admin, so translated fields get their tabs
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.gis",
    "leaflet",
    # Who changed what and when, for every domain model (registered in each app's
    # translation.py, after modeltranslation).
    "simple_history",
    "common",
    "protected_areas",
    "species",
    "meetings",
    "projects",
    "dataset",
    "django_celery_beat",
    "django_celery_results",
    "dashboards",
    "axes",
    "csp",
    "governance",
    "maps",
    "imports",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads a query parameter: no NUL or other control character in any.
    "common.querytext.QueryControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Gives change history the user of the request (edits made outside the admin's forms).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Security (issue 6): Content-Security-Policy with per-request nonces, then login
    # throttling, which must come after authentication.
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # django-axes refuses a login from a locked-out user/IP before checking the password.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "neaspec_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "portal.context_processors.languages",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "neaspec_portal.wsgi.application"

# PostGIS in production and CI (postgis://user:pass@host:5432/name); an embedded SpatiaLite
# file by default so `make run` needs no database server.
DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"spatialite:///{BASE_DIR / 'var' / 'neaspec.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"].endswith("spatialite"):
    use_pysqlite3_if_needed()
# PostgreSQL's JIT compiles every query its planner prices high, and PostGIS prices its
# functions high: the map's short spatial queries spent 100–1,000 ms compiling. Off for the
# portal's own connections only (a session option; the server's setting is untouched).
DATABASE_JIT = env.bool("DATABASE_JIT", default=False)
if DATABASES["default"]["ENGINE"].endswith("postgis") and not DATABASE_JIT:
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The UN language of the Secretariat and the languages of the six NEASPEC member states.
# Names are given in each language itself, as readers look for their own.
LANGUAGES = [
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("mn", "Монгол"),
    ("ru", "Русский"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Content translations (django-modeltranslation): a missing translation shows the English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# The admin's language tabs need only a tiny part of jQuery UI; a local shim replaces the
# CDN copy modeltranslation would load through JQUERY_UI_URL (officials' networks may block CDNs).
JQUERY_UI_URL = "js/admin/translation_tabs.js"

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Front-end packages come from the npm registry (package.json, installed by `make`), and
# are served from the portal itself: officials' networks may block CDNs.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/leaflet.markercluster", NODE_MODULES / "leaflet.markercluster" / "dist"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Uploads larger than this are refused before they reach a model (bytes).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
PORTAL_MAX_UPLOAD_BYTES = env.int("PORTAL_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)

# Imports (imports/): files are kept outside MEDIA_ROOT, never served (the WDPA's licence,
# among others, forbids redistributing them). A file larger than IMPORT_MAX_BYTES or with
# more rows than IMPORT_MAX_ROWS is refused before any work.
IMPORTS_ROOT = env.path("IMPORTS_ROOT", default=BASE_DIR / "var" / "imports")
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=1024 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=300_000)
# GBIF records under a licence with a non-commercial clause (CC BY-NC) are skipped unless
# the portal's own terms allow republishing them.
IMPORT_ALLOW_NON_COMMERCIAL_LICENCES = env.bool(
    "IMPORT_ALLOW_NON_COMMERCIAL_LICENCES", default=False
)
IMPORT_TASK_TIME_LIMIT = env.int("IMPORT_TASK_TIME_LIMIT", default=60 * 60)

# Celery: Redis in production. Without REDIS_URL (the `make run` default) tasks run eagerly
# in-process, so the portal works with no broker at all.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TIMEZONE = TIME_ZONE

# Map: the tile basemap is optional (officials' networks may block it); the member-state
# boundaries drawn from the database serve as the basemap when it is switched off.
MAP_TILES_URL = env("MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env(
    "MAP_TILES_ATTRIBUTION",
    default=(
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
    ),
)
# How long browsers and proxies may reuse a map layer before revalidating it with its ETag
# (seconds); a revalidation of unchanged data is a 304 with no body.
MAP_LAYER_CACHE_SECONDS = env.int("MAP_LAYER_CACHE_SECONDS", default=60)
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (42.0, 120.0),
    "DEFAULT_ZOOM": 4,
    "MIN_ZOOM": 2,
    "MAX_ZOOM": 18,
    "SCALE": "metric",
    "RESET_VIEW": False,
    "TILES": (
        [("OpenStreetMap", MAP_TILES_URL, {"attribution": MAP_TILES_ATTRIBUTION})]
        if MAP_TILES_URL
        else []
    ),
    "ATTRIBUTION_PREFIX": "Boundaries: Natural Earth",
}

# Content-Security-Policy (django-csp 4): only the portal's own scripts and styles; inline
# scripts must carry the request's nonce (django-leaflet's widget does); images also from the
# tile server. The same policy runs locally and in tests, so a violation shows up early.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *tile_origins(MAP_TILES_URL)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Login throttling (django-axes): lock a username + address pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# Occurrences of species flagged sensitive are shown to non-staff users snapped to the centre
# of an equal-area grid cell of this size (metres).
SENSITIVE_GRID_M = env.int("SENSITIVE_GRID_M", default=10_000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# Debian 12 ships GDAL 3.6, which cannot block file/network access from spatial reference
# strings. The portal only builds spatial references from integer SRIDs and its own PROJ
# strings, and rejects incoming geometry not in SRID 4326 before any transformation.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# Dashboards (dashboards/): task runs and failures stored for the admin
# (django-celery-results), the periodic schedule kept in the database and edited in the
# admin (django-celery-beat).
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_STORE_EAGER_RESULT = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
DASHBOARDS_PAIR_DISTANCE_KM = env.float("DASHBOARDS_PAIR_DISTANCE_KM", default=10.0)
DASHBOARDS_BORDER_ZONE_KM = env.float("DASHBOARDS_BORDER_ZONE_KM", default=50.0)
DASHBOARDS_REBUILD_ON_EDIT = env.bool("DASHBOARDS_REBUILD_ON_EDIT", default=True)
# Edits within this many seconds of each other share one rebuild.
DASHBOARDS_REBUILD_DELAY_SECONDS = env.int("DASHBOARDS_REBUILD_DELAY_SECONDS", default=30)
DASHBOARDS_TASK_TIME_LIMIT = env.int("DASHBOARDS_TASK_TIME_LIMIT", default=10 * 60)
