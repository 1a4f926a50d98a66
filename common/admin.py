from django import forms
from django.contrib import admin, messages
from django.contrib.gis.db.models import GeometryField
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from leaflet.admin import LeafletGeoAdmin

from .geometry import repair_geometry
from .models import PublicationState
from .services import publication_set_state


class GeometryRepairForm(forms.ModelForm):
    """Adds a “repair geometry” box: an invalid drawing is rejected with GEOS's reason unless
    the editor asks for it to be repaired, so no boundary is ever changed unseen."""

    repair_geometry = forms.BooleanField(
        label=_("Repair invalid geometry"),
        required=False,
        help_text=_("Fix self-intersections and similar faults with GEOS MakeValid before saving."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("repair_geometry"):
            for field in self._meta.model._meta.get_fields():
                value = cleaned.get(field.name)
                if isinstance(field, GeometryField) and value is not None:
                    cleaned[field.name] = repair_geometry(value)
        return cleaned


class MapAdmin(LeafletGeoAdmin):
    form = GeometryRepairForm
    settings_overrides = {"DEFAULT_CENTER": (42.0, 120.0), "DEFAULT_ZOOM": 4}


class PublishableAdminMixin:
    """Publication actions and a “View on site” link only where the public page exists."""

    actions = ["publish", "unpublish"]

    def view_on_site(self, obj):
        if obj.is_published and hasattr(obj, "get_absolute_url"):
            return obj.get_absolute_url()
        return None

    @admin.action(description=_("Publish selected records"))
    def publish(self, request, queryset):
        self._set_state(request, queryset, PublicationState.PUBLISHED)

    @admin.action(description=_("Return selected records to draft"))
    def unpublish(self, request, queryset):
        self._set_state(request, queryset, PublicationState.DRAFT)

    def _set_state(self, request, queryset, state):
        changed = publication_set_state(queryset=queryset, state=state)
        self.message_user(
            request,
            ngettext("%(n)d record is now %(s)s.", "%(n)d records are now %(s)s.", changed)
            % {"n": changed, "s": state.label.lower()},
            messages.SUCCESS,
        )
