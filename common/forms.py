from django import forms
from django.utils.translation import gettext_lazy as _

from protected_areas.models import Country
from species.models import Species


class PublicFilterForm(forms.Form):
    """The filters of a public list page (GET). Unknown values are ignored, not errors: a
    reader with an old link sees everything rather than an error page."""

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


def species_choices() -> list[tuple[str, str]]:
    return [
        ("", _("Any species")),
        *((s.slug, s.common_name) for s in Species.objects.published()),
    ]


def member_country_choices() -> list[tuple[str, str]]:
    return [
        ("", _("Any country")),
        *((c.iso_a3, c.name) for c in Country.objects.members()),
    ]
