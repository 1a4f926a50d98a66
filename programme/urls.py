from django.urls import path

from . import views

app_name = "programme"

urlpatterns = [
    path("", views.StrategyDocumentListView.as_view(), name="list"),
    path("<slug:slug>/", views.StrategyDocumentDetailView.as_view(), name="detail"),
]
