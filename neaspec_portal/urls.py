from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from governance.views import view_on_site
from portal.sitemaps import SITEMAPS

admin.site.site_header = "NEASPEC Conservation Portal"
admin.site.site_title = "NEASPEC admin"
admin.site.index_title = "Secretariat records"

# Outside the language prefix: the admin, APIs, files for machines.
urlpatterns = [
    # Ahead of the admin's own shortcut, which would tell any staff user any draft's address.
    path("admin/r/<path:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("api/v1/", include("api.urls")),
    path("", include("maps.api_urls")),
]

# Public pages: English at /projects/…, the other languages at /ja/projects/… and so on.
urlpatterns += i18n_patterns(
    path("", include("portal.urls")),
    path("species/", include("species.urls")),
    path("protected-areas/", include("protected_areas.urls")),
    path("projects/", include("projects.urls")),
    path("meetings/", include("meetings.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("", include("maps.urls")),
    # The map's script strings (djangojs domain), in the language of the page's prefix.
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["maps"]),
        name="javascript-catalog",
    ),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
