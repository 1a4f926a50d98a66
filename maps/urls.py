from django.urls import path

from . import views

app_name = "maps"

# The page, under the language prefix (neaspec_portal/urls.py); its data comes from
# maps/api_urls.py, outside it.
urlpatterns = [
    path("map/", views.MapView.as_view(), name="map"),
]
