from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from common.admin import MapAdmin
from governance.admin import CountryScopedAdminMixin
from governance.history_admin import HistoryAdmin
from governance.publication_admin import PublishableAdminMixin
from species.admin import PresenceAtAreaInline

from .models import Country, ProtectedArea, TransboundaryLink


@admin.register(Country)
class CountryAdmin(HistoryAdmin, MapAdmin, TabbedTranslationAdmin):
    list_display = ["name", "iso_a3", "name_local", "is_member"]
    list_filter = ["is_member"]
    search_fields = ["name", "name_local", "iso_a3"]
    readonly_fields = ["created", "updated"]

    def get_queryset(self, request):
        # Country outlines run to hundreds of thousands of vertices; the list never needs them.
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            queryset = queryset.defer("boundary")
        return queryset


@admin.register(ProtectedArea)
class ProtectedAreaAdmin(
    CountryScopedAdminMixin, PublishableAdminMixin, HistoryAdmin, MapAdmin, TabbedTranslationAdmin
):
    list_display = [
        "name",
        "country",
        "iucn_category",
        "status_year",
        "reported_area_km2",
        "boundary_quality",
        "publication_state",
    ]
    list_filter = [
        ("country", admin.RelatedOnlyFieldListFilter),
        "iucn_category",
        "boundary_quality",
        "publication_state",
    ]
    search_fields = ["name", "name_local", "designation", "wdpa_id"]
    autocomplete_fields = ["country"]
    list_select_related = ["country"]
    readonly_fields = ["computed_area_km2", "created", "updated"]
    inlines = [PresenceAtAreaInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "name_local",
                    "country",
                    "designation",
                    "international_designations",
                    "iucn_category",
                    "status_year",
                    "wdpa_id",
                    "publication_state",
                ]
            },
        ),
        (
            _("Geometry"),
            {
                "fields": [
                    "boundary",
                    "boundary_quality",
                    "boundary_source",
                    "repair_geometry",
                    "location",
                    "location_estimated",
                    "reported_area_km2",
                    "computed_area_km2",
                ]
            },
        ),
        (
            _("Description and sources"),
            {
                "fields": [
                    "management_authority",
                    "description",
                    "source_title",
                    "source_url",
                    "notes",
                    "internal_notes",
                    "dataset_key",
                ]
            },
        ),
        (_("Record"), {"fields": ["created", "updated"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            queryset = queryset.defer("boundary")
        return queryset

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        warning = obj.reported_area_disagreement()
        if warning:
            self.message_user(request, warning, messages.WARNING)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A boundary from a file (imports app, by its URL name): for those who may edit it.
        area = self.get_object(request, unquote(object_id))
        tools = []
        if (
            area is not None
            and self.has_change_permission(request, area)
            and request.user.has_perm("imports.add_import")
        ):
            tools.append(
                {
                    "url": reverse("admin:imports_boundary_upload", args=[area.pk]),
                    "label": _("Upload a boundary"),
                }
            )
        extra_context = {**(extra_context or {}), "record_tools": tools}
        return super().change_view(request, object_id, form_url, extra_context)


class TransboundaryLinkForm(forms.ModelForm):
    class Meta:
        model = TransboundaryLink
        fields = [
            "name",
            "slug",
            "protected_areas",
            "cooperation_status",
            "agreement_year",
            "agreement_name",
            "notes",
            "source_url",
        ]

    def clean(self):
        cleaned = super().clean()
        members = cleaned.get("protected_areas")
        if members is not None:
            try:
                TransboundaryLink.validate_members(members)
            except ValidationError as error:
                self.add_error("protected_areas", error)
        return cleaned


@admin.register(TransboundaryLink)
class TransboundaryLinkAdmin(
    CountryScopedAdminMixin, PublishableAdminMixin, HistoryAdmin, TabbedTranslationAdmin
):
    form = TransboundaryLinkForm
    list_display = [
        "name",
        "cooperation_status",
        "agreement_year",
        "member_count",
        "publication_state",
    ]
    list_filter = [
        "cooperation_status",
        "publication_state",
        "protected_areas__country",
    ]
    search_fields = ["name", "protected_areas__name", "agreement_name"]
    autocomplete_fields = ["protected_areas"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created", "updated"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("protected_areas")

    @admin.display(description=_("protected areas"))
    def member_count(self, obj):
        return len(obj.protected_areas.all())
