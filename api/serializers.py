"""How the API writes each published record (reads). Related records appear only as the
querysets of api/selectors.py deliver them: a related record that is not published is
absent (null, or left out of a list) — never named. Geometry is GeoJSON in WGS 84."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from meetings.models import Decision, Meeting, MeetingDocument
from projects.models import Output, Project
from protected_areas.models import ProtectedArea
from species.models import Occurrence, PopulationEstimate, Species

GEOMETRY_SCHEMA = {
    "type": "object",
    "description": "A GeoJSON geometry (RFC 7946), WGS 84 longitude/latitude.",
    "properties": {
        "type": {"type": "string"},
        "coordinates": {"type": "array", "items": {}},
        "geometries": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["type"],
}


@extend_schema_field(GEOMETRY_SCHEMA)
class AnyGeometryField(GeometryField):
    """A GeoJSON geometry of any type (project sites are a GeometryCollection)."""


@extend_schema_field(
    {
        "type": "object",
        "description": "A GeoJSON Point, WGS 84: [longitude, latitude].",
        "properties": {
            "type": {"type": "string", "enum": ["Point"]},
            "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2},
        },
        "required": ["type", "coordinates"],
    }
)
class ShownPointField(GeometryField):
    """An occurrence's shown point (`for_viewer`'s `shown_location`)."""


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The record's page on the portal, as an absolute URL."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return self.context["request"].build_absolute_uri(value.get_absolute_url())


class FileUrlField(serializers.FileField):
    """An uploaded file's absolute URL, or null."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, use_url=True, **kwargs)

    def to_representation(self, value):
        return super().to_representation(value) or None


def codes(slug_field: str) -> serializers.ManyRelatedField:
    """Related records by a code (countries by ISO 3166 alpha-3, others by slug)."""
    return serializers.SlugRelatedField(slug_field=slug_field, many=True, read_only=True)


def country_code(**kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="iso_a3", read_only=True, **kwargs)


class ProtectedAreaRefSerializer(serializers.ModelSerializer):
    country = country_code()

    class Meta:
        model = ProtectedArea
        fields = ["id", "name", "country"]


class MeetingRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["slug", "number", "title", "year"]


class ProjectRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["slug", "acronym", "title"]


class OutputRefSerializer(serializers.ModelSerializer):
    file = FileUrlField()

    class Meta:
        model = Output
        fields = ["id", "kind", "title", "year", "url", "file"]


class ProjectSerializer(serializers.ModelSerializer):
    countries = codes("iso_a3")
    species = codes("slug")
    protected_areas = ProtectedAreaRefSerializer(many=True, read_only=True)
    approved_at = MeetingRefSerializer(read_only=True, allow_null=True)
    outputs = OutputRefSerializer(many=True, read_only=True)
    partners = serializers.ListField(
        source="partner_list", child=serializers.CharField(), read_only=True
    )
    sites = AnyGeometryField(read_only=True, allow_null=True)
    hero_image = FileUrlField()
    page_url = PageUrlField()

    class Meta:
        model = Project
        fields = [
            "id",
            "slug",
            "acronym",
            "title",
            "status",
            "start_year",
            "end_year",
            "summary",
            "body",
            "partners",
            "budget",
            "budget_currency",
            "countries",
            "species",
            "protected_areas",
            "approved_at",
            "outputs",
            "sites",
            "hero_image",
            "hero_image_credit",
            "source_url",
            "page_url",
        ]


class OutputSerializer(serializers.ModelSerializer):
    project = ProjectRefSerializer(read_only=True)
    file = FileUrlField()

    class Meta:
        model = Output
        fields = ["id", "project", "kind", "title", "date", "year", "language", "url", "file"]


class MeetingDocumentSerializer(serializers.ModelSerializer):
    file = FileUrlField()

    class Meta:
        model = MeetingDocument
        fields = ["title", "language", "url", "file"]


class MeetingSerializer(serializers.ModelSerializer):
    host_country = country_code(allow_null=True)
    documents = MeetingDocumentSerializer(many=True, read_only=True)
    page_url = PageUrlField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "slug",
            "kind",
            "number",
            "title",
            "year",
            "start_date",
            "end_date",
            "city",
            "host_country",
            "summary",
            "documents",
            "source_url",
            "page_url",
        ]


class DecisionSerializer(serializers.ModelSerializer):
    meeting = MeetingRefSerializer(read_only=True)
    related_projects = codes("slug")

    class Meta:
        model = Decision
        fields = ["id", "meeting", "reference", "text", "follow_up_status", "related_projects"]


class SpeciesSerializer(serializers.ModelSerializer):
    range_countries = codes("iso_a3")
    photo = FileUrlField()
    page_url = PageUrlField()

    class Meta:
        model = Species
        fields = [
            "id",
            "slug",
            "scientific_name",
            "common_name",
            "taxon_group",
            "iucn_category",
            "iucn_trend",
            "iucn_assessment_year",
            "iucn_source_url",
            "movement",
            "range_countries",
            "description",
            "description_source_url",
            "photo",
            "photo_credit",
            "is_flagship",
            "is_sensitive",
            "page_url",
        ]


class PopulationEstimateSerializer(serializers.ModelSerializer):
    species = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    country = country_code(allow_null=True)
    protected_area = ProtectedAreaRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = PopulationEstimate
        fields = [
            "id",
            "species",
            "scope",
            "country",
            "protected_area",
            "site_name",
            "year",
            "count",
            "count_min",
            "count_max",
            "unit",
            "method",
            "notes",
            "source_citation",
            "source_url",
        ]


class ProtectedAreaSerializer(GeoFeatureModelSerializer):
    """A protected area as a GeoJSON Feature at its representative point."""

    country = country_code()
    international_designations = serializers.SerializerMethodField()
    page_url = PageUrlField()

    class Meta:
        model = ProtectedArea
        geo_field = "location"
        fields = [
            "id",
            "name",
            "name_local",
            "wdpa_id",
            "country",
            "designation",
            "international_designations",
            "iucn_category",
            "status_year",
            "reported_area_km2",
            "computed_area_km2",
            "location",
            "location_estimated",
            "boundary_quality",
            "boundary_source",
            "management_authority",
            "description",
            "source_url",
            "source_title",
            "page_url",
        ]

    def get_international_designations(self, area) -> list[str]:
        lines = area.international_designations.splitlines()
        return [line.strip() for line in lines if line.strip()]


class ProtectedAreaDetailSerializer(ProtectedAreaSerializer):
    """One protected area, with its boundary (a GeoJSON MultiPolygon, or null) as well."""

    boundary = GeometryField(read_only=True, allow_null=True)

    class Meta(ProtectedAreaSerializer.Meta):
        fields = [*ProtectedAreaSerializer.Meta.fields, "boundary"]


class OccurrenceSerializer(GeoFeatureModelSerializer):
    """An occurrence as a GeoJSON Feature at its shown point: exact, or for a sensitive
    species generalised to an equal-area grid cell (`location_generalised`, with the
    uncertainty that follows). A generalised record does not name its protected area or
    carry its notes, either of which could place it more precisely than the grid."""

    location = ShownPointField(source="shown_location", read_only=True)
    species = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    scientific_name = serializers.CharField(source="species.scientific_name", read_only=True)
    coordinate_uncertainty_m = serializers.IntegerField(
        source="shown_uncertainty_m", read_only=True, allow_null=True
    )
    location_generalised = serializers.BooleanField(read_only=True)
    protected_area = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()

    class Meta:
        model = Occurrence
        geo_field = "location"
        fields = [
            "id",
            "species",
            "scientific_name",
            "event_date",
            "date_precision",
            "location",
            "location_generalised",
            "coordinate_uncertainty_m",
            "count",
            "basis_of_record",
            "dataset",
            "protected_area",
            "source_citation",
            "source_url",
            "notes",
        ]

    @extend_schema_field(ProtectedAreaRefSerializer(allow_null=True))
    def get_protected_area(self, occurrence) -> dict | None:
        area = occurrence.protected_area
        if area is None or occurrence.location_generalised:
            return None
        return ProtectedAreaRefSerializer(area, context=self.context).data

    def get_notes(self, occurrence) -> str:
        return "" if occurrence.location_generalised else occurrence.notes
