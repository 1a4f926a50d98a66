from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from common.csp_report import csp_report
from common.health import healthz
from governance.media import media_file
from governance.two_factor import two_factor_setup, two_factor_verify
from governance.views import view_on_site
from portal.sitemaps import SITEMAPS
from portal.views import FaviconView

# Outside the language prefix: the admin, APIs, files for machines.
urlpatterns = [
    # Ahead of the admin's own shortcut, which would tell any staff user any draft's address.
    path("admin/r/<path:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path(
        "admin/two-factor/setup/",
        admin.site.admin_view(two_factor_setup),
        name="two_factor_setup",
    ),
    path(
        "admin/two-factor/verify/",
        admin.site.admin_view(two_factor_verify),
        name="two_factor_verify",
    ),
    path("admin/", admin.site.urls),
    # Uploads, in every environment: each file only to those who may see its record.
    path("media/<path:name>", media_file, name="media"),
    path("healthz", healthz, name="healthz"),
    path("csp-report/", csp_report, name="csp_report"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("api/v1/", include("api.urls")),
    path("", include("maps.api_urls")),
    path("downloads/", include("opendata.urls")),
    # OGC API – Features, for GIS clients.
    path("ogc/", include("opendata.ogc_urls")),
]

# Public pages: English at /projects/…, the other languages at /ja/projects/… and so on.
urlpatterns += i18n_patterns(
    path("", include("portal.urls")),
    path("species/", include("species.urls")),
    path("protected-areas/", include("protected_areas.urls")),
    path("projects/", include("projects.urls")),
    path("meetings/", include("meetings.urls")),
    path("programme/", include("programme.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("downloads/", include("opendata.page_urls")),
    path("", include("maps.urls")),
    # The map's script strings (djangojs domain), in the language of the page's prefix.
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["maps"]),
        name="javascript-catalog",
    ),
    prefix_default_language=False,
)

# A database error outside any view (loading a session, say) is a 503 all the same.
handler500 = "common.unavailable.server_error"
