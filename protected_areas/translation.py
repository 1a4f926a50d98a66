"""Fields readers see, translated per record (django-modeltranslation): `name_ja` etc.
Reading `name` gives the active language's value, or the English one where it is empty."""

from modeltranslation.translator import TranslationOptions, register

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
