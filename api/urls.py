"""/api/v1/: the REST API's endpoints, its OpenAPI schema and its docs."""

from django.urls import path
from rest_framework import routers

from . import views

app_name = "api"


class Router(routers.DefaultRouter):
    APIRootView = views.ApiRootView


router = Router()
router.register("projects", views.ProjectViewSet, basename="project")
router.register("outputs", views.OutputViewSet, basename="output")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("decisions", views.DecisionViewSet, basename="decision")
# Strategy documents (the Nature Conservation Strategy and its work plans, issue 10) have
# no model yet. Once they do, their read endpoint registers here as "strategy-documents",
# a ReadViewSet over their `published()` queryset, like the meetings above.
router.register("species", views.SpeciesViewSet, basename="species")
router.register(
    "population-estimates", views.PopulationEstimateViewSet, basename="population-estimate"
)
router.register("protected-areas", views.ProtectedAreaViewSet, basename="protected-area")
router.register("occurrences", views.OccurrenceViewSet, basename="occurrence")

urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    *router.urls,
]
