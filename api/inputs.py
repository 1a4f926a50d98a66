"""What the API accepts on writes (occurrences and population estimates), and how a write
reaches the species services. The rules are not restated here: a related record may be
one the user could pick in the admin's form (governance.admin.scoped_choices); the record
is then checked by the services as the admin checks it (permission, `full_clean()`, the
user's countries after the save, in one transaction) and starts as a draft."""

import math

from django.contrib.gis.geos import Point
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from common.geometry import STORAGE_SRID
from governance.admin import scoped_choices
from protected_areas.models import Country, ProtectedArea
from species.models import Occurrence, PopulationEstimate, Species
from species.services import occurrence_create, population_estimate_create

from .serializers import OccurrenceSerializer, PopulationEstimateSerializer

API_WRITE_REASON = "Created through the API"

POINT_SCHEMA = {
    "type": "object",
    "description": "A GeoJSON Point, WGS 84: [longitude, latitude].",
    "properties": {
        "type": {"type": "string", "enum": ["Point"]},
        "coordinates": {
            "type": "array",
            "items": {"type": "number"},
            "minItems": 2,
            "maxItems": 2,
            "example": [131.2, 43.1],
        },
    },
    "required": ["type", "coordinates"],
}


@extend_schema_field(POINT_SCHEMA)
class PointField(serializers.Field):
    """A GeoJSON Point with two finite numbers. Whether it is a usable place (range, SRID)
    is the model's rule (common.geometry.validate_geometry), checked by `full_clean()`."""

    default_error_messages = {
        # Braces doubled: DRF formats the message.
        "invalid": _(
            'Give the location as a GeoJSON Point: {{"type": "Point", "coordinates": '
            "[longitude, latitude]}} in WGS 84 degrees."
        ),
    }

    def to_internal_value(self, data):
        if not isinstance(data, dict) or data.get("type") != "Point":
            self.fail("invalid")
        coordinates = data.get("coordinates")
        if not (
            isinstance(coordinates, list)
            and len(coordinates) == 2
            and all(
                isinstance(number, int | float) and not isinstance(number, bool)
                for number in coordinates
            )
            and all(math.isfinite(number) for number in coordinates)
        ):
            self.fail("invalid")
        return Point(float(coordinates[0]), float(coordinates[1]), srid=STORAGE_SRID)

    def to_representation(self, value):
        return {"type": "Point", "coordinates": [value.x, value.y]}


class ScopedChoiceMixin:
    """Accepts exactly the related records the user could pick for this field in the
    admin's form: for a focal point, those of its countries."""

    default_error_messages = {
        "does_not_exist": _("Unknown, or not one you may choose."),
    }

    def get_queryset(self):
        model_field = self.parent.Meta.model._meta.get_field(self.source)
        choices = scoped_choices(self.context["request"].user, model_field)
        return choices if choices is not None else super().get_queryset()


class ScopedSlugField(ScopedChoiceMixin, serializers.SlugRelatedField):
    pass


class ScopedPrimaryKeyField(ScopedChoiceMixin, serializers.PrimaryKeyRelatedField):
    pass


def _as_field_errors(error: DjangoValidationError) -> dict:
    detail = serializers.as_serializer_error(error)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return detail


class RecordInputSerializer(serializers.ModelSerializer):
    """A write through a species service; a model's refusal becomes a 400 naming the
    fields, with nothing saved (the service's transaction is rolled back)."""

    service = None

    def create(self, validated_data):
        try:
            return type(self).service(
                user=self.context["request"].user, values=validated_data, reason=API_WRITE_REASON
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(_as_field_errors(error)) from error


class OccurrenceInputSerializer(RecordInputSerializer):
    service = staticmethod(occurrence_create)
    species = ScopedSlugField(slug_field="slug", queryset=Species.objects.all())
    location = PointField()
    protected_area = ScopedPrimaryKeyField(
        queryset=ProtectedArea.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Occurrence
        # What a reader gets of an occurrence but what the portal derives, and its state.
        fields = [
            "id",
            "publication_state",
            *(
                field
                for field in OccurrenceSerializer.Meta.fields
                if field not in {"id", "scientific_name", "location_generalised"}
            ),
        ]
        read_only_fields = ["id", "publication_state"]


class PopulationEstimateInputSerializer(RecordInputSerializer):
    service = staticmethod(population_estimate_create)
    species = ScopedSlugField(slug_field="slug", queryset=Species.objects.all())
    country = ScopedSlugField(
        slug_field="iso_a3", queryset=Country.objects.all(), allow_null=True, required=False
    )
    protected_area = ScopedPrimaryKeyField(
        queryset=ProtectedArea.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = PopulationEstimate
        # What a reader gets of an estimate, and its state.
        fields = ["publication_state", *PopulationEstimateSerializer.Meta.fields]
        read_only_fields = ["id", "publication_state"]
