from django.urls import path

from . import api

app_name = "maps_api"

urlpatterns = [
    path("api/map/search.json", api.search, name="search"),
    path("api/map/features/<slug:layer>/<int:pk>.json", api.feature, name="feature"),
    path("api/map/<slug:layer>.geojson", api.layer_geojson, name="layer"),
]
