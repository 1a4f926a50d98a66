"""The geometry form field of the admin: WGS 84 in, or a message — never a silent reprojection.

GeoDjango's `forms.GeometryField.clean` transforms a geometry given in another SRID
(`SRID=3857;POINT(…)`, a GeoJSON `crs`) to the field's, so a shape typed in the wrong
system was saved moved, and one in an SRID that PROJ does not know was a 500. Storage is
WGS 84 (common.geometry.STORAGE_SRID) and what the map draws: anything else is refused here,
before any transform, naming the field, the SRID given and the fix."""

from django.contrib.gis import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .geometry import STORAGE_SRID


class StorageGeometryField(forms.GeometryField):
    """For every kind of shape: the model field passes its `geom_type`."""

    default_error_messages = {
        "other_srid": _(
            "%(field)s is in SRID %(srid)s, which is not converted: draw it on the map or "
            "give WGS 84 longitude/latitude, SRID %(storage_srid)s."
        ),
    }

    def to_python(self, value):
        # Runs inside `clean()` ahead of its transform; a value without an SRID has been
        # given the map's (WGS 84) by the parent.
        geometry = super().to_python(value)
        if geometry is not None and geometry.srid != STORAGE_SRID:
            raise ValidationError(
                self.error_messages["other_srid"],
                code="other_srid",
                params={
                    "field": self.label or _("Geometry"),
                    "srid": geometry.srid,
                    "storage_srid": STORAGE_SRID,
                },
            )
        return geometry
