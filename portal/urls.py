from django.urls import path

from .views import HomeView, SearchView

# No namespace: templates and sitemaps name these pages "home" and "search".
urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("search/", SearchView.as_view(), name="search"),
]
