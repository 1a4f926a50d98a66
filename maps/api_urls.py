from django.urls import path

from . import api
from .params import answer_in_requested_language as in_language

app_name = "maps_api"

# Each endpoint honours `?lang=`: see params.answer_in_requested_language.
urlpatterns = [
    path("api/map/search.json", in_language(api.search), name="search"),
    path("api/map/features/<slug:layer>/<int:pk>.json", in_language(api.feature), name="feature"),
    path("api/map/<slug:layer>.geojson", in_language(api.layer_geojson), name="layer"),
    # Vector tiles of the protected areas and occurrences, for continental views.
    path("tiles/<slug:layer>/<int:z>/<int:x>/<int:y>.pbf", in_language(api.tile), name="tile"),
]
