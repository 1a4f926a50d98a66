from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("<slug:slug>/", views.MeetingDetailView.as_view(), name="detail"),
]
