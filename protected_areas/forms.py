from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import PublicFilterForm, member_country_choices, species_choices

from .models import IUCNCategory


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
