"""Settings shared by every environment. Each knob is an environment variable with a safe
local default; `.env.example` documents them all.

Over 400 lines because each knob carries the comment that says why it is set so; the
settings are one list to read, split by environment (local, test, production) only."""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

from common.cache import cache_settings
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
    # Django's admin with the portal's site: grouped by domain, machinery for superusers.
    "neaspec_portal.apps.PortalAdminConfig",
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
    "programme",
    "monitoring",
    "dataset",
    "django_celery_beat",
    "django_celery_results",
    "dashboards",
    "axes",
    "csp",
    # TOTP second factor for the admin (governance/two_factor.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "governance",
    "maps",
    "imports",
    "opendata",
    "portal",
    # The REST API (api/): Django REST framework, its tokens (issued in the admin), GeoJSON
    # fields, filters, and the OpenAPI schema with its docs served from our own static files.
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A view that finds the database down answers 503 with a page that needs no database.
    "common.unavailable.DatabaseUnavailableMiddleware",
    # Before anything reads a query parameter: no NUL or other control character in any.
    "common.querytext.QueryControlCharactersMiddleware",
    # Anonymous reads from a read replica when there are any (common/replicas.py).
    "common.replicas.ReplicaRoutingMiddleware",
    # Whole anonymous pages from the cache, per data version and language: a hit skips
    # every middleware below, whose work it records with the page (common/responsecache.py).
    "common.responsecache.AnonymousResponseCacheMiddleware",
    # Anonymous answers do not vary by cookie (common/responsecache.py).
    "common.responsecache.AnonymousVaryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The admin (no language prefix) in the editor's language: cookie, else the browser's.
    "governance.admin_language.AdminLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # With DEBUG on, the portal's own 404 page for addresses that match no URL.
    "portal.middleware.NotFoundPageMiddleware",
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
    # Staff: whether the session passed the second factor; sessions ending after a working
    # day or on idle; the admin closed until the second factor is given.
    "django_otp.middleware.OTPMiddleware",
    "governance.staff_sessions.StaffSessionExpiryMiddleware",
    "governance.two_factor.AdminTwoFactorMiddleware",
    # After the user is known: a signed-in user has its own budget, not its office's.
    "common.ratelimit.RateLimitMiddleware",
    # Who read exact sensitive points, drafts or history: one row per such request.
    "governance.access_log.AccessLogMiddleware",
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
# Each new PostgreSQL connection costs a backend process and PostGIS loading (~16 ms):
# connections are kept for this many seconds (0: one per request, the local default) and
# checked before reuse, so one dropped by the server is replaced rather than failing a page.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)

# Read replicas (PostgreSQL streaming replication), comma-separated URLs: anonymous reads go
# to one of them per request, writes and staff requests to the primary (common/replicas.py).
DATABASE_REPLICAS = []
for number, url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[])):
    alias = f"replica{number + 1}"
    DATABASES[alias] = {
        **env.db_url_config(url),
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": DATABASES["default"]["CONN_HEALTH_CHECKS"],
    }
    DATABASE_REPLICAS.append(alias)
DATABASE_ROUTERS = ["common.replicas.ReplicaRouter"]

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
    ("vendor/leaflet.vectorgrid", NODE_MODULES / "leaflet.vectorgrid" / "dist"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploads are served by governance.media.media_file, which checks the record is published
# (or the reader is staff who may see it), then sends the file itself ("django") or lets the
# proxy in front send it: "x-accel-redirect" (nginx: an `internal` location at
# MEDIA_ACCEL_REDIRECT_PREFIX aliased to MEDIA_ROOT) or "x-sendfile" (Apache, lighttpd).
MEDIA_SERVE_MODE = env("MEDIA_SERVE_MODE", default="django")
if MEDIA_SERVE_MODE not in ("django", "x-accel-redirect", "x-sendfile"):
    raise ImproperlyConfigured(
        f"MEDIA_SERVE_MODE is “{MEDIA_SERVE_MODE}”; use django, x-accel-redirect or x-sendfile."
    )
MEDIA_ACCEL_REDIRECT_PREFIX = env("MEDIA_ACCEL_REDIRECT_PREFIX", default="/protected-media/")
# How long browsers and proxies may keep a published record's file (seconds).
MEDIA_CACHE_SECONDS = env.int("MEDIA_CACHE_SECONDS", default=60 * 60)

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
# Camera-trap data packages are written in bulk with a compact report (counts, and only the
# rows in error or set aside), so a package may hold far more rows: deployments, media and
# observations together.
IMPORT_CAMTRAP_MAX_ROWS = env.int("IMPORT_CAMTRAP_MAX_ROWS", default=3_000_000)
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
    # Translated when the widget is drawn (django-leaflet applies str() then).
    "ATTRIBUTION_PREFIX": gettext_lazy("Boundaries: Natural Earth"),
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
        # Violations are posted to common.csp_report, which logs them (logger csp.reports).
        "report-uri": "/csp-report/",
    },
}
CSP_REPORT_MAX_BYTES = env.int("CSP_REPORT_MAX_BYTES", default=16 * 1024)
# Reports logged per address: "requests/seconds"; the rest are accepted and dropped.
CSP_REPORT_RATE = env("CSP_REPORT_RATE", default="20/60")

# Login throttling (django-axes): lock an address out after repeated failures, whatever
# usernames it tried (thirty usernames from one address count thirty failures, and a
# username + address pair can never fail more often than its address).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "common.clientip.client_ip"
# Proxies in front of the portal that append to X-Forwarded-For (1 behind one nginx): the
# client address is read from there rather than the proxy's own (common/clientip.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Rate limits (common/ratelimit.py), per signed-in user or per address: "requests/seconds"
# per rule; the first rule whose pattern matches the path counts. Answer: 429 + Retry-After.
RATELIMIT_ENABLED = env.bool("RATELIMIT_ENABLED", default=True)
RATELIMIT_RULES = [
    (
        "search",
        r"^/(?:[a-z]{2}(?:-[a-z]+)?/)?search/$|^/api/map/search\.json$",
        env("RATELIMIT_SEARCH", default="60/60"),
    ),
    ("map-api", r"^/api/map/", env("RATELIMIT_MAP_API", default="600/60")),
    # A continental view of the map loads ~50 vector tiles (two layers), and each pan more.
    ("map-tiles", r"^/tiles/", env("RATELIMIT_MAP_TILES", default="3000/60")),
    # The REST API (/api/v1/) is throttled by Django REST framework instead, per address and
    # per token user (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] below).
    ("api", r"^/api/(?!v1/)", env("RATELIMIT_API", default="300/60")),
    # OGC API – Features: a GIS client pages through a layer one request per page.
    ("ogc", r"^/ogc/", env("RATELIMIT_OGC", default="300/60")),
    (
        "downloads",
        r"\.(?:csv|json|geojson|gpkg|zip)$",
        env("RATELIMIT_DOWNLOADS", default="60/60"),
    ),
]
# The cache that counts them (and keeps map outlines): per process by default; with several
# web processes give them one, e.g. CACHE_URL=redis://127.0.0.1:6379/1.
# Django's Redis backend is swapped for one that degrades to no cache when Redis fails
# (common/cache.py).
CACHES = {"default": cache_settings(env.cache("CACHE_URL", default="locmemcache://"))}

# Public data: every write to a table of these apps changes the data version that keys the
# caches of anonymous pages and map layers (common/dataversion.py).
DATA_VERSION_APPS = [
    "protected_areas",
    "species",
    "projects",
    "meetings",
    "programme",
    "monitoring",
    "dashboards",
    "maps",
    # Pages say whether a translation is reviewed.
    "governance.TranslationStatus",
]
# Anonymous pages (common/responsecache.py) and map layers are cached per data version, so
# never stale; the timeout only bounds the memory kept for versions no longer current.
RESPONSE_CACHE_ENABLED = env.bool("RESPONSE_CACHE_ENABLED", default=True)
RESPONSE_CACHE_SECONDS = env.int("RESPONSE_CACHE_SECONDS", default=60 * 60)
# Each process also keeps the copies it served last in its own memory, up to this many
# bytes (0: none), so a popular page costs no round trip to Redis (common/responsecache.py).
RESPONSE_CACHE_LOCAL_BYTES = env.int("RESPONSE_CACHE_LOCAL_BYTES", default=64 * 1024 * 1024)

# Second factor (django-otp TOTP): required of the Secretariat (and superusers) before any
# admin page when on; production turns it on. Others may set one up, and once set it is asked.
ADMIN_REQUIRE_2FA = env.bool("ADMIN_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="NEASPEC portal")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Staff sessions end after a working day, or after this long without a request.
STAFF_SESSION_MAX_SECONDS = int(env.float("STAFF_SESSION_MAX_HOURS", default=9.0) * 3600)
STAFF_SESSION_IDLE_SECONDS = int(env.float("STAFF_SESSION_IDLE_MINUTES", default=30.0) * 60)

# With the database down pages answer 503 and ask clients to come back after this (seconds).
SERVICE_UNAVAILABLE_RETRY_AFTER = env.int("SERVICE_UNAVAILABLE_RETRY_AFTER", default=60)
# /healthz waits this long for the broker (seconds).
HEALTH_CHECK_TIMEOUT_SECONDS = env.float("HEALTH_CHECK_TIMEOUT_SECONDS", default=2.0)

# Occurrences of species flagged sensitive are shown to non-staff users snapped to the centre
# of an equal-area grid cell of this size (metres).
SENSITIVE_GRID_M = env.int("SENSITIVE_GRID_M", default=10_000)

# REST API (api/, /api/v1/): JSON only (no browsable pages); token authentication for writes;
# throttled per address (anonymous reads, the address of common.clientip) and per user
# (writes), at rates from here.
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=50)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=500)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "api.filters.StableOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PagePagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonymousRateThrottle",
        "api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="120/minute"),
        "user": env("API_THROTTLE_USER", default="600/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "NEASPEC Conservation Portal API",
    "DESCRIPTION": (
        "Published records of the NEASPEC Conservation Portal: projects and their outputs, "
        "meetings and decisions, species and population estimates, protected areas and "
        "occurrences (GeoJSON, WGS 84). Occurrences of sensitive species are generalised to "
        "an equal-area grid. Writes (occurrences, population estimates) need a token issued "
        "in the portal's admin, are limited to the user's countries and start as drafts."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Request and response bodies as separate components: writes take fewer fields.
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to the public validator service: the docs page loads nothing from outside.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "RedListCategoryEnum": "species.models.RedListCategory",
        "ProtectedAreaIUCNCategoryEnum": "protected_areas.models.IUCNCategory",
        "OutputKindEnum": "projects.models.OutputKind",
        "MeetingKindEnum": "meetings.models.MeetingKind",
    },
}

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
# How often the scheduler re-sends rebuilds whose task was lost with a worker (seconds);
# installed in the database schedule by django-celery-beat when `beat` starts.
DASHBOARDS_LOST_REBUILD_SWEEP_SECONDS = env.int(
    "DASHBOARDS_LOST_REBUILD_SWEEP_SECONDS", default=300
)
CELERY_BEAT_SCHEDULE = {
    "Re-send lost dashboard rebuilds": {
        "task": "dashboards.tasks.requeue_lost_dashboard_rebuilds",
        "schedule": DASHBOARDS_LOST_REBUILD_SWEEP_SECONDS,
    },
}

# Open data (opendata/): the Darwin Core Archive of published occurrences is rebuilt here
# after every change to the records it holds, and served from here. Its licence (one GBIF
# accepts: CC0-1.0, CC-BY-4.0 or CC-BY-NC-4.0) is the Secretariat's choice.
OPENDATA_ROOT = Path(env.str("OPENDATA_ROOT", default=f"{MEDIA_ROOT}/opendata"))
OPENDATA_LICENCE = env.str("OPENDATA_LICENCE", default="CC-BY-4.0")
# Edits within this many seconds of the first share one rebuild of the files by the worker.
OPENDATA_REBUILD_DELAY_SECONDS = env.int("OPENDATA_REBUILD_DELAY_SECONDS", default=30)
