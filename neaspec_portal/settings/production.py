"""Production: refuses to start without a secret key or with DEBUG on."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("insecure-") or SECRET_KEY == "change-me":
    raise ImproperlyConfigured(
        "SECRET_KEY must be a long random value in production, e.g. the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
    )
DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production settings.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Persistent database connections (checked before reuse): a new one per request cost more
# than most pages' queries.
for alias in DATABASES:  # noqa: F405
    DATABASES[alias]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)  # noqa: F405

# Static files are served by the application process (collected by `collectstatic`).
MIDDLEWARE = [
    MIDDLEWARE[0],  # noqa: F405 - SecurityMiddleware stays first
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],  # noqa: F405
]

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe the application over plain HTTP: a redirect would read as down.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# gunicorn listens on loopback behind one TLS proxy (README, Production deployment), which
# appends the client's address to X-Forwarded-For: login throttling and rate limits key on it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
# The Secretariat signs in to the admin with a second factor (governance/two_factor.py).
ADMIN_REQUIRE_2FA = env.bool("ADMIN_REQUIRE_2FA", default=True)
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading is hard to undo and binds every subdomain: switch it off when the portal runs on
# a subdomain of a domain not wholly served over HTTPS.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "same-origin"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
