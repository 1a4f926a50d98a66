"""Query filters of the API's lists (django-filter), documented in the OpenAPI schema.

A filter that names a related record (`species=amur-tiger`, `project=…`) accepts only a
published one: a draft's slug is refused as any unknown value is (400), so a filter cannot
be used to find out that a draft exists or what it is linked to. Values are checked before
any query runs, and an unusable one is a 400 naming the parameter."""

import django_filters
from django import forms
from django.contrib.gis.geos import Polygon
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework.filters import OrderingFilter

from common.bbox import BoundingBoxError, parse_bbox
from common.geometry import STORAGE_SRID
from meetings.models import Decision, FollowUpStatus, Meeting, MeetingKind
from projects.models import Output, OutputKind, Project, ProjectStatus
from projects.selectors import project_list
from protected_areas.models import Country, IUCNCategory, ProtectedArea
from species.models import (
    BasisOfRecord,
    EstimateScope,
    Movement,
    Occurrence,
    PopulationEstimate,
    RedListCategory,
    Species,
    TaxonGroup,
)
from species.selectors import protected_areas_holding

YEAR_RANGE = {"min_value": 1000, "max_value": 9999}
COUNTRY_HELP = _("Country: ISO 3166 alpha-3 code, e.g. MNG")
BBOX_HELP = _("Bounding box minlon,minlat,maxlon,maxlat (WGS 84), e.g. 127.5,41.5,134.5,45")


def described_string(description) -> dict:
    """The schema of a filter whose value is a code or text (for filters on a method)."""
    return {"type": "string", "description": str(description)}


class StableOrderingFilter(OrderingFilter):
    """`ordering=…` with the primary key last, so that records that tie keep one order and
    no record is skipped or repeated between pages."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if ordering and not {"pk", "-pk", "id", "-id"} & set(ordering):
            return [*ordering, "pk"]
        return ordering


def country_filter(**kwargs) -> django_filters.ModelChoiceFilter:
    kwargs.setdefault("label", COUNTRY_HELP)
    return django_filters.ModelChoiceFilter(
        queryset=Country.objects.all(), to_field_name="iso_a3", **kwargs
    )


def species_filter(**kwargs) -> django_filters.ModelChoiceFilter:
    kwargs.setdefault("label", _("Species: its slug, e.g. amur-tiger"))
    return django_filters.ModelChoiceFilter(
        queryset=Species.objects.published(), to_field_name="slug", **kwargs
    )


@extend_schema_field({"type": "integer", "minimum": 1000, "maximum": 9999})
class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **YEAR_RANGE, **kwargs)


def year_filter(field_name: str, lookup_expr: str = "exact", **kwargs) -> YearFilter:
    return YearFilter(field_name=field_name, lookup_expr=lookup_expr, **kwargs)


class BoundingBoxField(forms.CharField):
    """`minlon,minlat,maxlon,maxlat` in WGS 84 degrees, as a polygon."""

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            box = Polygon.from_bbox(parse_bbox(text))
        except BoundingBoxError as error:
            raise ValidationError(str(error)) from None
        box.srid = STORAGE_SRID
        return box


@extend_schema_field(described_string(BBOX_HELP))
class BoundingBoxFilter(django_filters.Filter):
    field_class = BoundingBoxField


class ProjectFilter(django_filters.FilterSet):
    country = country_filter(field_name="countries", distinct=True)
    species = species_filter(field_name="species", distinct=True)
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices)
    year = YearFilter(method="running_in", label=_("A year the project was running in"))

    class Meta:
        model = Project
        fields = ["country", "species", "status", "year"]

    def running_in(self, queryset, name, value):
        # The project list page's rule (projects.selectors.project_list).
        return queryset.filter(pk__in=project_list(year=value).values("pk"))


class OutputFilter(django_filters.FilterSet):
    project = django_filters.ModelChoiceFilter(
        queryset=Project.objects.published(), to_field_name="slug", label=_("Project: its slug")
    )
    country = country_filter(field_name="project__countries", distinct=True)
    kind = django_filters.ChoiceFilter(choices=OutputKind.choices)
    year = year_filter("year")

    class Meta:
        model = Output
        fields = ["project", "country", "kind", "year"]


class MeetingFilter(django_filters.FilterSet):
    country = country_filter(field_name="host_country")
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices)
    year = year_filter("year")

    class Meta:
        model = Meeting
        fields = ["country", "kind", "year"]


class DecisionFilter(django_filters.FilterSet):
    meeting = django_filters.ModelChoiceFilter(
        queryset=Meeting.objects.published(), to_field_name="slug", label=_("Meeting: its slug")
    )
    project = django_filters.ModelChoiceFilter(
        queryset=Project.objects.published(),
        to_field_name="slug",
        field_name="related_projects",
        distinct=True,
        label=_("Related project: its slug"),
    )
    country = country_filter(method="in_country")
    status = django_filters.ChoiceFilter(
        field_name="follow_up_status", choices=FollowUpStatus.choices
    )
    year = year_filter("meeting__year")

    class Meta:
        model = Decision
        fields = ["meeting", "project", "country", "status", "year"]

    @extend_schema_field(described_string(COUNTRY_HELP))
    def in_country(self, queryset, name, value):
        """Decisions on published projects of the country."""
        projects = Project.objects.published().filter(countries=value)
        return queryset.filter(related_projects__in=projects).distinct()


class SpeciesFilter(django_filters.FilterSet):
    country = country_filter(field_name="range_countries", distinct=True)
    iucn_category = django_filters.ChoiceFilter(choices=RedListCategory.choices)
    taxon_group = django_filters.ChoiceFilter(choices=TaxonGroup.choices)
    movement = django_filters.ChoiceFilter(choices=Movement.choices)
    flagship = django_filters.BooleanFilter(field_name="is_flagship")
    sensitive = django_filters.BooleanFilter(field_name="is_sensitive")

    class Meta:
        model = Species
        fields = ["country", "iucn_category", "taxon_group", "movement", "flagship", "sensitive"]


class PopulationEstimateFilter(django_filters.FilterSet):
    species = species_filter()
    country = country_filter(method="in_country")
    protected_area = django_filters.ModelChoiceFilter(
        queryset=ProtectedArea.objects.published(), label=_("Protected area: its id")
    )
    scope = django_filters.ChoiceFilter(choices=EstimateScope.choices)
    iucn_category = django_filters.ChoiceFilter(
        field_name="species__iucn_category", choices=RedListCategory.choices
    )
    year = year_filter("year")
    year_min = year_filter("year", "gte")
    year_max = year_filter("year", "lte")

    class Meta:
        model = PopulationEstimate
        fields = ["species", "country", "protected_area", "scope", "iucn_category", "year"]

    @extend_schema_field(described_string(COUNTRY_HELP))
    def in_country(self, queryset, name, value):
        """Estimates for the country, or for one of its published protected areas."""
        areas = ProtectedArea.objects.published().filter(country=value)
        return queryset.filter(Q(country=value) | Q(protected_area__in=areas))


class ProtectedAreaFilter(django_filters.FilterSet):
    country = country_filter()
    iucn_category = django_filters.ChoiceFilter(choices=IUCNCategory.choices)
    species = species_filter(method="holding", label=_("Species recorded there: its slug"))

    class Meta:
        model = ProtectedArea
        fields = ["country", "iucn_category", "species"]

    @extend_schema_field(described_string(_("Species recorded there: its slug")))
    def holding(self, queryset, name, value):
        # The one species-at-site rule (species.models.SpeciesQuerySet.present_at).
        return protected_areas_holding(queryset, [value.slug])


class OccurrenceFilter(django_filters.FilterSet):
    """Places are matched on the shown (possibly generalised) point, never the true one: a
    box drawn around a sensitive record must not tell where it really is."""

    species = species_filter()
    country = country_filter(method="in_country")
    iucn_category = django_filters.ChoiceFilter(
        field_name="species__iucn_category", choices=RedListCategory.choices
    )
    basis_of_record = django_filters.ChoiceFilter(choices=BasisOfRecord.choices)
    dataset = django_filters.CharFilter()
    year = year_filter("event_date__year")
    year_min = year_filter("event_date__year", "gte")
    year_max = year_filter("event_date__year", "lte")
    bbox = BoundingBoxFilter(method="in_box", label=BBOX_HELP)

    class Meta:
        model = Occurrence
        fields = ["species", "country", "iucn_category", "basis_of_record", "dataset", "year"]

    @extend_schema_field(described_string(COUNTRY_HELP))
    def in_country(self, queryset, name, value):
        """Records in a published protected area of the country, or, outside any, shown
        inside its boundary."""
        areas = ProtectedArea.objects.published().filter(country=value)
        inside = Country.objects.filter(pk=value.pk, boundary__contains=OuterRef("shown_location"))
        return queryset.filter(
            Q(protected_area__in=areas) | Q(Exists(inside), protected_area__isnull=True)
        )

    def in_box(self, queryset, name, value):
        return queryset.filter(shown_location__intersects=value)
