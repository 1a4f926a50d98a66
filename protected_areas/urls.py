from django.urls import path

from . import views

app_name = "protected_areas"

urlpatterns = [
    path("<int:pk>/", views.ProtectedAreaDetailView.as_view(), name="detail"),
]
