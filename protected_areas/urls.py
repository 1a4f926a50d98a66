from django.urls import path

from . import views

app_name = "protected_areas"

urlpatterns = [
    path("", views.ProtectedAreaListView.as_view(), name="list"),
    path("<int:pk>/", views.ProtectedAreaDetailView.as_view(), name="detail"),
]
