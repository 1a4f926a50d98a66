from django.urls import path

from . import ogc_views

app_name = "ogc"

urlpatterns = [
    path("", ogc_views.landing, name="landing"),
    path("api", ogc_views.api, name="api"),
    path("conformance", ogc_views.conformance, name="conformance"),
    path("collections", ogc_views.collections, name="collections"),
    path("collections/<str:collection_id>", ogc_views.collection, name="collection"),
    path("collections/<str:collection_id>/items", ogc_views.items, name="items"),
    path(
        "collections/<str:collection_id>/items/<str:feature_id>",
        ogc_views.item,
        name="item",
    ),
]
