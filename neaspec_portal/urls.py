from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from common.sitemaps import SITEMAPS
from common.views import HomeView, SearchView

admin.site.site_header = "NEASPEC Conservation Portal"
admin.site.site_title = "NEASPEC admin"
admin.site.index_title = "Secretariat records"

# Outside the language prefix: the admin, APIs, files for machines.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("", include("maps.api_urls")),
    path("downloads/", include("opendata.urls")),
]

# Public pages: English at /projects/…, the other languages at /ja/projects/… and so on.
urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("search/", SearchView.as_view(), name="search"),
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
