"""The downloads page, in each language (the files it links sit outside the prefix)."""

from django.urls import path

from . import views

app_name = "downloads"

urlpatterns = [path("", views.downloads, name="page")]
