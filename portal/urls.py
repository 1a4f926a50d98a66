from django.urls import path

from .views import DocumentLibraryView, HomeView, SearchView, SiteMapView

# No namespace: templates and sitemaps name these pages "home", "search" and so on.
urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("search/", SearchView.as_view(), name="search"),
    path("documents/", DocumentLibraryView.as_view(), name="documents"),
    path("sitemap/", SiteMapView.as_view(), name="site_map"),
]
