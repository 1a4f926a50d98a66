"""The endpoints of /api/v1/: thin viewsets over api/selectors.py (reads) and the species
services (writes), and the OpenAPI schema with its interactive docs.

Reads are the public's view for everyone: they read no credentials (a token changes
nothing), so they list published records only and show sensitive points generalised, as to
an anonymous visitor. Writes need a token of a staff user (tokens are issued in the admin)
and go through the same checks as the admin's forms."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import mixins, permissions, routers, viewsets

from . import selectors
from .filters import (
    DecisionFilter,
    MeetingFilter,
    OccurrenceFilter,
    OutputFilter,
    PopulationEstimateFilter,
    ProjectFilter,
    ProtectedAreaFilter,
    SpeciesFilter,
)
from .inputs import OccurrenceInputSerializer, PopulationEstimateInputSerializer
from .pagination import FeaturePagination
from .serializers import (
    DecisionSerializer,
    MeetingSerializer,
    OccurrenceSerializer,
    OutputSerializer,
    PopulationEstimateSerializer,
    ProjectSerializer,
    ProtectedAreaDetailSerializer,
    ProtectedAreaSerializer,
    SpeciesSerializer,
)

# Any path segment reaches the viewset, so that a malformed id or slug gets the API's JSON
# 404 rather than the site's HTML page (DRF refuses what the database cannot look up).
ANY_SEGMENT = "[^/]+"


class PublicReadMixin:
    """No authentication on reads: every reader is an anonymous visitor."""

    def get_authenticators(self):
        if self.request is not None and self.request.method in permissions.SAFE_METHODS:
            return []
        return super().get_authenticators()


class ReadViewSet(PublicReadMixin, viewsets.ReadOnlyModelViewSet):
    """The list and the records of one kind, read through its selector (api/selectors.py);
    one record through `detail_selector` and shown by `detail_serializer_class` where
    these read or show more than the list."""

    lookup_value_regex = ANY_SEGMENT
    selector = None
    detail_selector = None
    detail_serializer_class = None

    def get_queryset(self):
        if self.action == "retrieve" and self.detail_selector is not None:
            return self.detail_selector()
        return self.selector()

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return super().get_serializer_class()


class ProjectViewSet(ReadViewSet):
    """NEASPEC projects, with their published outputs, species and protected areas."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    ordering_fields = ["title", "start_year", "end_year", "status"]
    lookup_field = "slug"
    selector = staticmethod(selectors.api_projects)


class OutputViewSet(ReadViewSet):
    """Reports, publications, datasets and workshops of published projects."""

    serializer_class = OutputSerializer
    filterset_class = OutputFilter
    ordering_fields = ["title", "year", "date", "kind"]
    selector = staticmethod(selectors.api_outputs)


class MeetingViewSet(ReadViewSet):
    """Senior Officials Meetings, workshops and expert consultations, with their documents."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    ordering_fields = ["year", "start_date", "title"]
    lookup_field = "slug"
    selector = staticmethod(selectors.api_meetings)


class DecisionViewSet(ReadViewSet):
    """Decisions of published meetings and their follow-up."""

    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    ordering_fields = ["reference", "follow_up_status", "meeting__year"]
    selector = staticmethod(selectors.api_decisions)


class SpeciesViewSet(ReadViewSet):
    """The species of the Nature Conservation Strategy and others the portal records."""

    serializer_class = SpeciesSerializer
    filterset_class = SpeciesFilter
    ordering_fields = ["common_name", "scientific_name", "iucn_category"]
    lookup_field = "slug"
    selector = staticmethod(selectors.api_species)


class WriteMixin(mixins.CreateModelMixin):
    """POST creates a draft record as the token's user, under the admin's rules: like the
    admin's add page it is refused (403) at once to a user who is not staff or may not add
    such records; the species service then checks the record itself."""

    input_serializer_class = None

    def get_permissions(self):
        if self.action == "create":
            return [permissions.IsAdminUser(), permissions.DjangoModelPermissions()]
        return super().get_permissions()

    def get_serializer_class(self):
        if self.action == "create":
            return self.input_serializer_class
        return super().get_serializer_class()


WRITE_DESCRIPTION = (
    "Needs `Authorization: Token <key>` of a staff user (tokens are issued in the admin). "
    "The record is checked as the admin checks it — the user's permission, every field, "
    "and the user's countries — and starts as a draft. A refusal (400 with the fields' "
    "messages, or 403) saves nothing."
)


@extend_schema_view(
    create=extend_schema(
        summary="Add a population estimate (a draft)",
        description=WRITE_DESCRIPTION,
        request=PopulationEstimateInputSerializer,
        responses={201: PopulationEstimateInputSerializer},
    )
)
class PopulationEstimateViewSet(WriteMixin, ReadViewSet):
    """Population estimates of published species: global, per country, or per site."""

    serializer_class = PopulationEstimateSerializer
    input_serializer_class = PopulationEstimateInputSerializer
    filterset_class = PopulationEstimateFilter
    ordering_fields = ["year", "count", "scope"]
    selector = staticmethod(selectors.api_population_estimates)


class ProtectedAreaViewSet(ReadViewSet):
    """Protected areas as GeoJSON Features at their representative point; one area's
    Feature also carries its boundary."""

    filterset_class = ProtectedAreaFilter
    ordering_fields = ["name", "status_year", "reported_area_km2", "computed_area_km2"]
    pagination_class = FeaturePagination
    serializer_class = ProtectedAreaSerializer
    detail_serializer_class = ProtectedAreaDetailSerializer
    selector = staticmethod(selectors.api_protected_areas)
    detail_selector = staticmethod(selectors.api_protected_area_detail)


@extend_schema_view(
    create=extend_schema(
        summary="Add an occurrence (a draft)",
        description=WRITE_DESCRIPTION,
        request=OccurrenceInputSerializer,
        responses={201: OccurrenceInputSerializer},
    )
)
class OccurrenceViewSet(WriteMixin, ReadViewSet):
    """Occurrences (Darwin Core) of published species as GeoJSON Features. Points of
    sensitive species are generalised to an equal-area grid (`location_generalised`)."""

    serializer_class = OccurrenceSerializer
    input_serializer_class = OccurrenceInputSerializer
    filterset_class = OccurrenceFilter
    ordering_fields = ["event_date", "count"]
    pagination_class = FeaturePagination

    def get_queryset(self):
        return selectors.api_occurrences(self.request.user)


class ApiRootView(PublicReadMixin, routers.APIRootView):
    """The endpoints of the API."""


class SchemaView(PublicReadMixin, SpectacularAPIView):
    """The OpenAPI 3 schema (YAML; JSON with `?format=json`)."""


class DocsView(PublicReadMixin, SpectacularSwaggerSplitView):
    """Swagger UI from the portal's own static files; its start script is a separate file
    (`?script`), so the page runs under the Content-Security-Policy without an inline one."""

    template_name = "api/docs.html"
    url_name = "api:schema"
