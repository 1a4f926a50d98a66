from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from common.admin import MapAdmin
from governance.admin import CountryScopedAdminMixin, CountryScopedInlineMixin
from governance.history_admin import HistoryAdmin
from governance.models import AccessKind
from governance.publication_admin import PublishableAdminMixin

from .models import (
    CountSeries,
    GbifDownload,
    Occurrence,
    OccurrenceSource,
    PopulationEstimate,
    SiteCount,
    Species,
    SpeciesPresence,
    SpeciesRange,
)
from .selectors import occurrence_location_for, sees_exact_location_of

PRESENCE_FIELDS = ["role", "period", "source_citation", "source_url", "source_year", "notes"]


class PopulationEstimateInline(CountryScopedInlineMixin, admin.StackedInline):
    model = PopulationEstimate
    extra = 0
    autocomplete_fields = ["country", "protected_area"]
    # Estimates are published with their own workflow, from the estimates' list.
    readonly_fields = ["publication_state"]
    fields = [
        ("scope", "year", "country", "protected_area", "site_name", "publication_state"),
        ("count", "count_min", "count_max", "unit", "approximate"),
        "method",
        ("source_citation", "source_url"),
        "notes",
    ]


class SpeciesPresenceInline(CountryScopedInlineMixin, admin.StackedInline):
    """A species' sourced roles at protected areas. The protected-area admin shows the same
    rows from the area's side (`PresenceAtAreaInline`).

    Stacked, not tabular: a row of eight fields with its notes box was twice as wide as a
    1280 px screen, and a tabular row's fields carry no label of their own."""

    model = SpeciesPresence
    extra = 0
    autocomplete_fields = ["protected_area"]
    fields = ["protected_area", *PRESENCE_FIELDS]


class PresenceAtAreaInline(SpeciesPresenceInline):
    autocomplete_fields = ["species"]
    fields = ["species", *PRESENCE_FIELDS]


@admin.register(Species)
class SpeciesAdmin(PublishableAdminMixin, HistoryAdmin, TabbedTranslationAdmin):
    list_display = [
        "common_name",
        "scientific_name",
        "taxon_group",
        "iucn_category",
        "iucn_trend",
        "movement",
        "is_flagship",
        "is_sensitive",
        "publication_state",
    ]
    list_filter = [
        "taxon_group",
        "iucn_category",
        "movement",
        "is_flagship",
        "is_sensitive",
        "publication_state",
        ("range_countries", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["common_name", "scientific_name"]
    prepopulated_fields = {"slug": ["common_name"]}
    autocomplete_fields = ["range_countries"]
    readonly_fields = ["created", "updated"]
    inlines = [PopulationEstimateInline, SpeciesPresenceInline]


@admin.register(PopulationEstimate)
class PopulationEstimateAdmin(CountryScopedAdminMixin, PublishableAdminMixin, HistoryAdmin):
    list_display = [
        "species",
        "scope",
        "country",
        "site_label",
        "year",
        "figure",
        "source_citation",
        "publication_state",
    ]
    list_filter = [
        "species",
        "scope",
        ("country", admin.RelatedOnlyFieldListFilter),
        "year",
        "publication_state",
    ]
    search_fields = [
        "species__common_name",
        "species__scientific_name",
        "site_name",
        "source_citation",
    ]
    autocomplete_fields = ["species", "country", "protected_area"]
    list_select_related = ["species", "country", "protected_area"]
    readonly_fields = ["created", "updated"]


@admin.register(SpeciesRange)
class SpeciesRangeAdmin(HistoryAdmin, MapAdmin):
    list_display = ["species", "season", "boundary_quality", "year", "source_citation"]
    list_filter = ["species", "season", "boundary_quality"]
    search_fields = ["species__common_name", "source_citation"]
    autocomplete_fields = ["species"]
    list_select_related = ["species"]
    readonly_fields = ["created", "updated"]


@admin.register(Occurrence)
class OccurrenceAdmin(CountryScopedAdminMixin, PublishableAdminMixin, HistoryAdmin, MapAdmin):
    list_display = [
        "species",
        "date_label",
        "count",
        "basis_of_record",
        "protected_area",
        "dataset",
        "publication_state",
    ]
    list_filter = [
        "species",
        "basis_of_record",
        "protected_area__country",
        "dataset",
        "publication_state",
    ]
    search_fields = [
        "species__common_name",
        "dataset",
        "protected_area__name",
        "source_citation",
    ]
    autocomplete_fields = ["species", "protected_area"]
    list_select_related = ["species", "protected_area"]
    date_hierarchy = "event_date"
    readonly_fields = ["gbif_source_details", "created", "updated"]

    @admin.display(description=_("GBIF source"))
    def gbif_source_details(self, obj):
        """Where an occurrence imported from GBIF comes from (written by the import only)."""
        source = OccurrenceSource.objects.filter(occurrence=obj).select_related("download")
        source = source.first() if obj is not None and obj.pk else None
        if source is None:
            return "—"
        return format_html(
            '<a href="{}">gbifID {}</a>, occurrenceID “{}”, dataset {}, licence {}, basis of '
            'record {}{}; download <a href="{}">{}</a>',
            source.gbif_url,
            source.gbif_id,
            source.dwc_occurrence_id or "—",
            source.dataset_key or "—",
            source.licence,
            source.basis_of_record or "—",
            f"; generalised: {source.data_generalizations}" if source.data_generalizations else "",
            source.download.doi_url,
            source.download.doi,
        )

    def get_object(self, request, object_id, from_field=None):
        """The record with its point as this user may see it: one whose exact point it may
        not see (a reviewer; a focal point, of a record reaching into another country) is
        shown generalised, and only shown (see `has_change_permission`)."""
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and not sees_exact_location_of(request.user, obj):
            obj.location = occurrence_location_for(request.user, obj)
            obj.location_generalised = True
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self._refuse_history_of_generalised(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._refuse_history_of_generalised(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _refuse_history_of_generalised(self, request, object_id) -> None:
        # Past versions show past exact points: not to who sees the present one generalised.
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and getattr(obj, "location_generalised", False):
            raise PermissionDenied

    def has_change_permission(self, request, obj=None):
        # Saving a generalised point would move the record onto its grid node.
        allowed = super().has_change_permission(request, obj)
        return allowed and not getattr(obj, "location_generalised", False)

    def access_kind(self, obj):
        # The page shows the exact point, which the public sees only generalised.
        if obj.species.is_sensitive and not getattr(obj, "location_generalised", False):
            return AccessKind.EXACT_LOCATIONS
        return None if obj.species.is_published else AccessKind.DRAFT


@admin.register(GbifDownload)
class GbifDownloadAdmin(HistoryAdmin):
    list_display = ["doi", "downloaded_on", "licence", "created"]
    search_fields = ["doi", "citation", "download_key"]
    readonly_fields = ["created", "updated"]


@admin.register(SpeciesPresence)
class SpeciesPresenceAdmin(CountryScopedAdminMixin, HistoryAdmin):
    list_display = ["species", "protected_area", "role", "period", "source_citation", "source_year"]
    list_filter = ["species", "role", ("protected_area__country", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["species__common_name", "protected_area__name", "source_citation"]
    autocomplete_fields = ["species", "protected_area"]
    list_select_related = ["species", "protected_area"]
    readonly_fields = ["created", "updated"]


class SiteCountInline(CountryScopedInlineMixin, admin.TabularInline):
    model = SiteCount
    extra = 0
    fields = [
        "period",
        "count",
        "count_type",
        "method",
        "organisation",
        "source_citation",
        "source_url",
    ]


@admin.register(CountSeries)
class CountSeriesAdmin(CountryScopedAdminMixin, HistoryAdmin):
    list_display = ["species", "site_label", "country"]
    list_filter = ["species", ("country", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["species__common_name", "site_name", "protected_area__name"]
    autocomplete_fields = ["species", "protected_area", "country"]
    list_select_related = ["species", "protected_area", "country"]
    readonly_fields = ["created", "updated"]
    inlines = [SiteCountInline]


@admin.register(SiteCount)
class SiteCountAdmin(CountryScopedAdminMixin, HistoryAdmin):
    list_display = ["series", "period", "count", "count_type", "source_citation"]
    list_filter = ["count_type", "series__species"]
    search_fields = ["series__site_name", "series__protected_area__name", "source_citation"]
    list_select_related = ["series__species", "series__protected_area", "series__country"]
    readonly_fields = ["period_start", "created", "updated"]
