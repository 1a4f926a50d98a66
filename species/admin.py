from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from common.admin import MapAdmin
from governance.admin import CountryScopedAdminMixin, CountryScopedInlineMixin
from governance.history_admin import HistoryAdmin
from governance.models import AccessKind
from governance.publication_admin import PublishableAdminMixin

from .models import Occurrence, PopulationEstimate, Species, SpeciesPresence, SpeciesRange

PRESENCE_FIELDS = ["role", "period", "source_citation", "source_url", "source_year", "notes"]


class PopulationEstimateInline(CountryScopedInlineMixin, admin.StackedInline):
    model = PopulationEstimate
    extra = 0
    autocomplete_fields = ["country", "protected_area"]
    fields = [
        ("scope", "year", "country", "protected_area", "site_name"),
        ("count", "count_min", "count_max", "unit", "approximate"),
        "method",
        ("source_citation", "source_url"),
        "notes",
    ]


class SpeciesPresenceInline(CountryScopedInlineMixin, admin.TabularInline):
    """A species' sourced roles at protected areas. The protected-area admin shows the same
    rows from the area's side (`PresenceAtAreaInline`)."""

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
class PopulationEstimateAdmin(CountryScopedAdminMixin, HistoryAdmin):
    list_display = [
        "species",
        "scope",
        "country",
        "site_label",
        "year",
        "figure",
        "source_citation",
    ]
    list_filter = ["species", "scope", ("country", admin.RelatedOnlyFieldListFilter), "year"]
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
class OccurrenceAdmin(CountryScopedAdminMixin, HistoryAdmin, MapAdmin):
    list_display = [
        "species",
        "date_label",
        "count",
        "basis_of_record",
        "protected_area",
        "dataset",
    ]
    list_filter = ["species", "basis_of_record", "protected_area__country", "dataset"]
    search_fields = [
        "species__common_name",
        "dataset",
        "protected_area__name",
        "source_citation",
    ]
    autocomplete_fields = ["species", "protected_area"]
    list_select_related = ["species", "protected_area"]
    date_hierarchy = "event_date"
    readonly_fields = ["created", "updated"]

    def access_kind(self, obj):
        # The page shows the exact point, which the public sees only generalised.
        if obj.species.is_sensitive:
            return AccessKind.EXACT_LOCATIONS
        return None if obj.species.is_published else AccessKind.DRAFT


@admin.register(SpeciesPresence)
class SpeciesPresenceAdmin(CountryScopedAdminMixin, HistoryAdmin):
    list_display = ["species", "protected_area", "role", "period", "source_citation", "source_year"]
    list_filter = ["species", "role", ("protected_area__country", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["species__common_name", "protected_area__name", "source_citation"]
    autocomplete_fields = ["species", "protected_area"]
    list_select_related = ["species", "protected_area"]
    readonly_fields = ["created", "updated"]
