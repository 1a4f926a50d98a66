from django import forms
from django.utils.translation import gettext_lazy as _

from species.models import Species

from .models import Country, IUCNCategory


class ProtectedAreaFilterForm(forms.Form):
    """The filters of /protected-areas/ (GET). Unknown values are ignored, not errors."""

    country = forms.ChoiceField(label=_("Country"), required=False)
    iucn_category = forms.ChoiceField(
        label=_("IUCN category"),
        required=False,
        choices=[("", _("Any category")), *IUCNCategory.choices],
    )
    species = forms.ChoiceField(label=_("Species recorded"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [
            ("", _("Any country")),
            *((c.iso_a3, c.name) for c in Country.objects.members()),
        ]
        self.fields["species"].choices = [
            ("", _("Any species")),
            *((s.slug, s.common_name) for s in Species.objects.published()),
        ]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}
