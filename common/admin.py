"""Admin pieces for any model with a geometry, and for records only the portal writes."""

from django import forms
from django.contrib.gis.db.models import GeometryField
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

from .forms_geometry import StorageGeometryField
from .geometry import repair_geometry


class GeometryRepairForm(forms.ModelForm):
    """Adds a “repair geometry” box: an invalid drawing is rejected, saying what is wrong and
    where, unless the editor asks for it to be repaired, so no boundary is ever changed
    unseen. The map of a rejected drawing marks the faulty spot."""

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

    def _post_clean(self):
        super()._post_clean()  # the model's validation, which names the faulty spot
        for name, errors in self.errors.as_data().items():
            for error in errors:
                spot = error.params or {}
                if error.code == "invalid_geometry" and "lon" in spot and name in self.fields:
                    # Read by templates/admin/common/geometry_widget.html.
                    self.fields[name].widget.attrs.update(
                        fault_lon=f"{spot['lon']:.6f}",
                        fault_lat=f"{spot['lat']:.6f}",
                        fault_label=_("The shape is faulty here"),
                    )


class MapAdmin(LeafletGeoAdmin):
    form = GeometryRepairForm
    settings_overrides = {"DEFAULT_CENTER": (42.0, 120.0), "DEFAULT_ZOOM": 4}
    map_template = "admin/common/geometry_widget.html"

    class Media:
        # Country outlines under the map, so a boundary can be drawn without tiles; the
        # faulty spot of a rejected drawing marked on it.
        js = ["js/admin/reference_layers.js", "js/admin/geometry_fault.js"]
        css = {"all": ["css/admin_map.css"]}

    def formfield_for_dbfield(self, db_field, request=None, **kwargs):
        if isinstance(db_field, GeometryField):
            kwargs.setdefault("form_class", StorageGeometryField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        """Those who may only view a record (reviewers, focal points on shared records) get a
        summary of each shape instead of its full coordinate text, which for a country
        boundary runs to megabytes."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        geometry_names = {f.name for f in self.model._meta.fields if isinstance(f, GeometryField)}

        def summarised(entry):
            if isinstance(entry, (list, tuple)):
                return tuple(summarised(item) for item in entry)
            if entry in geometry_names:
                return f"{entry}{SUMMARY_SUFFIX}"
            return None if entry == "repair_geometry" else entry

        return [
            (
                title,
                {
                    **options,
                    "fields": [
                        item for item in map(summarised, options["fields"]) if item is not None
                    ],
                },
            )
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not self.has_change_permission(request, obj):
            readonly += [
                f"{f.name}{SUMMARY_SUFFIX}"
                for f in self.model._meta.fields
                if isinstance(f, GeometryField)
            ]
        return readonly

    def __getattr__(self, name):
        # `boundary_summary` and the like: read-only displays named in the view-only
        # fieldsets above. Names, not callables, because translation admins expect names.
        if name.endswith(SUMMARY_SUFFIX):
            field_name = name.removesuffix(SUMMARY_SUFFIX)
            field = next((f for f in self.model._meta.fields if f.name == field_name), None)
            if isinstance(field, GeometryField):
                return _geometry_summary(field)
        raise AttributeError(name)


SUMMARY_SUFFIX = "_summary"


def describe_geometry(geometry) -> str:
    """A shape in one line (kind, vertices, extent): a boundary's full text runs to megabytes."""
    if geometry is None:
        return "—"
    if geometry.empty:
        return _("%(kind)s, empty") % {"kind": geometry.geom_type}
    if geometry.geom_type == "Point":
        return f"{geometry.x:.4f}, {geometry.y:.4f}"
    xmin, ymin, xmax, ymax = geometry.extent
    return _("%(kind)s, %(vertices)s vertices, extent %(extent)s") % {
        "kind": geometry.geom_type,
        "vertices": f"{geometry.num_coords:,}",
        "extent": f"{xmin:.4f}, {ymin:.4f} – {xmax:.4f}, {ymax:.4f}",
    }


def _geometry_summary(field):
    def summary(obj):
        return describe_geometry(getattr(obj, field.name))

    summary.short_description = field.verbose_name
    return summary


class ViewOnlyAdminMixin:
    """Records written only by the portal itself (task bookkeeping, logs): staff may read
    them, never add, edit or delete them in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SuperuserOnlyAdminMixin:
    """The portal's machinery (login throttling, task results, schedules): shown to
    superusers only, whatever permissions a role is given, so editors see their records and
    nothing they could break the site with."""

    def has_module_permission(self, request):
        return request.user.is_superuser and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)
