from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("occurrences-dwca.zip", views.occurrence_archive, name="occurrences-dwca"),
]
