"""Fields readers see, translated per record (django-modeltranslation): `name_ja` etc.
Reading `name` gives the active language's value, or the English one where it is empty."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from common.spatial_index import HistoricalRecordsWithShapes

from .models import Country, ProtectedArea, TransboundaryLink


@register(Country)
class CountryTranslation(TranslationOptions):
    fields = ["name"]


@register(ProtectedArea)
class ProtectedAreaTranslation(TranslationOptions):
    fields = ["name", "designation", "description"]


@register(TransboundaryLink)
class TransboundaryLinkTranslation(TranslationOptions):
    fields = ["name", "notes"]


# Change history (django-simple-history) is registered here, after the translations: a
# historical model copies the fields its model has when it is built, and `name_ja` and the
# like exist only once modeltranslation has registered the model. Every model of an app is
# registered in its translation.py, translated or not, so its history is declared in one place.
simple_history.register(Country, records_class=HistoricalRecordsWithShapes)
simple_history.register(ProtectedArea, records_class=HistoricalRecordsWithShapes)
simple_history.register(TransboundaryLink, m2m_fields=["protected_areas"])
