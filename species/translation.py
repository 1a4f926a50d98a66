"""Fields readers see, translated per record (see protected_areas/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Species


@register(Species)
class SpeciesTranslation(TranslationOptions):
    fields = ["common_name", "description"]
