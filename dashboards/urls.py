from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.DashboardOverviewView.as_view(), name="overview"),
    path("<slug:slug>/", views.DashboardDetailView.as_view(), name="detail"),
    path("<slug:slug>.json", views.DashboardDataView.as_view(format="json"), name="json"),
    path("<slug:slug>.csv", views.DashboardDataView.as_view(format="csv"), name="csv"),
]
