"""Fields readers see, translated per record (see protected_areas/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Output, Project


@register(Project)
class ProjectTranslation(TranslationOptions):
    fields = ["title", "summary", "body"]


@register(Output)
class OutputTranslation(TranslationOptions):
    fields = ["title"]
