"""`{% translation_provenance object %}`: a discreet line under a record's text when the text
in the page's language is the portal team's translation that no reviewer has checked yet."""

from django import template
from django.utils.translation import get_language

from governance.selectors import translation_status

register = template.Library()


@register.inclusion_tag("governance/_translation_provenance.html")
def translation_provenance(record):
    status = translation_status(record, get_language())
    return {"status": status}
