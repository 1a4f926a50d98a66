"""Admin of monitoring datasets, camera stations, media, observations and genetic samples.

These records come from imports (Camtrap DP packages, genetic-sample CSVs): the lists are
for reading and filtering, and what a package says is corrected in the package and
imported again. A dataset is published with the portal's workflow. A station's or a
sample's exact point is shown only to who may see the exact points of sensitive species
in its country (species.models.exact_location_countries): a reviewer sees that it is
withheld, never the coordinates."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from governance.admin import CountryScopedAdminMixin
from governance.history_admin import HistoryAdmin
from governance.publication_admin import PublishableAdminMixin
from species.models import exact_location_countries

from ..models import CameraObservation, CameraStation, GeneticSample, Media, MonitoringDataset


def sees_exact_point(user, country_id: int | None) -> bool:
    countries = exact_location_countries(user)
    return countries is None or (country_id is not None and country_id in countries)


class ExactPointAdminMixin:
    """The record's point as text, for who may see it; the geometry is not edited here."""

    exclude = ["location"]

    @admin.display(description=_("point (latitude, longitude)"))
    def point(self, obj):
        if obj is None or obj.location is None:
            return "—"
        return f"{obj.location.y:.5f}, {obj.location.x:.5f}"

    @admin.display(description=_("point (latitude, longitude)"))
    def point_withheld(self, obj):
        return _("Withheld: the exact point of a sensitive record.")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not sees_exact_point(request.user, obj.country_id):
            fields = ["point_withheld" if name == "point" else name for name in fields]
        return fields


@admin.register(MonitoringDataset)
class MonitoringDatasetAdmin(
    CountryScopedAdminMixin, PublishableAdminMixin, HistoryAdmin, TabbedTranslationAdmin
):
    list_display = ["title", "kind", "identifier", "licence", "project", "publication_state"]
    list_filter = ["kind", "publication_state", "project"]
    search_fields = ["title", "identifier", "citation"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
    readonly_fields = ["kind", "identifier", "contributors", "created", "updated"]


class ImportedRecordAdmin(CountryScopedAdminMixin, admin.ModelAdmin):
    """Read-only: corrected in the package, and imported again."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CameraStation)
class CameraStationAdmin(ExactPointAdminMixin, CountryScopedAdminMixin, HistoryAdmin):
    list_display = [
        "deployment_id", "location_name", "dataset", "country", "protected_area", "start",
        "end", "camera_model",
    ]  # fmt: skip
    list_filter = ["dataset", "country", "protected_area", "feature_type"]
    search_fields = ["deployment_id", "location_id", "location_name", "camera_id"]
    list_select_related = ["dataset", "country", "protected_area"]
    date_hierarchy = "start"
    readonly_fields = [
        "dataset", "deployment_id", "location_id", "point", "coordinate_uncertainty_m",
        "start", "end", "camera_id", "camera_model", "camera_height_m", "feature_type",
        "country", "protected_area", "created", "updated",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False


@admin.register(Media)
class MediaAdmin(ImportedRecordAdmin):
    list_display = ["media_id", "station", "timestamp", "file_mediatype", "file_public"]
    list_filter = ["dataset", "file_mediatype", "file_public", "capture_method"]
    search_fields = ["media_id", "station__deployment_id"]
    list_select_related = ["station__dataset"]
    date_hierarchy = "timestamp"
    show_full_result_count = False


@admin.register(CameraObservation)
class CameraObservationAdmin(ImportedRecordAdmin):
    list_display = [
        "observation_id", "species", "station", "event_start", "count", "individual", "sex",
    ]  # fmt: skip
    list_filter = ["dataset", "species", "station__country", "classification_method"]
    search_fields = ["observation_id", "event_id", "individual__code", "station__deployment_id"]
    list_select_related = ["species", "station__dataset", "individual__dataset"]
    date_hierarchy = "event_start"
    show_full_result_count = False
    raw_id_fields = ["station", "media", "individual", "occurrence"]


@admin.register(GeneticSample)
class GeneticSampleAdmin(ExactPointAdminMixin, CountryScopedAdminMixin, HistoryAdmin):
    list_display = [
        "sample_id", "species", "sample_type", "collected_on", "genotype_id", "individual",
        "laboratory", "country",
    ]  # fmt: skip
    list_filter = ["dataset", "species", "sample_type", "country", "laboratory"]
    search_fields = ["sample_id", "genotype_id", "laboratory", "individual__code"]
    list_select_related = ["species", "individual__dataset", "country"]
    date_hierarchy = "collected_on"
    readonly_fields = [
        "dataset", "sample_id", "collected_on", "point", "coordinate_uncertainty_m",
        "species", "sample_type", "genotype_id", "individual", "country", "protected_area",
        "occurrence", "created", "updated",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False
