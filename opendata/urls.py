from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("occurrences-dwca.zip", views.occurrence_archive, name="occurrences-dwca"),
    path("<slug:collection_id>.<str:extension>", views.layer_file, name="layer-file"),
]
