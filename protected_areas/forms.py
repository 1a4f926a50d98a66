from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import PublicFilterForm
from species.forms import species_choices

from .models import Country, IUCNCategory


def member_country_choices() -> list[tuple[str, str]]:
    """The country filter of the public lists (the protected areas, the projects)."""
    return [
        ("", _("Any country")),
        *((c.iso_a3, c.name) for c in Country.objects.members().without_boundary()),
    ]


class ProtectedAreaFilterForm(PublicFilterForm):
    country = forms.ChoiceField(label=_("Country"), required=False, choices=member_country_choices)
    iucn_category = forms.ChoiceField(
        label=_("IUCN category"),
        required=False,
        choices=[("", _("Any category")), *IUCNCategory.choices],
    )
    species = forms.ChoiceField(
        label=_("Species recorded"), required=False, choices=species_choices
    )
