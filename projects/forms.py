import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from protected_areas.models import Country
from species.models import Species

from .models import ProjectStatus


class ProjectFilterForm(forms.Form):
    """The filters of /projects/ (GET). Unknown values are ignored, not errors."""

    species = forms.ChoiceField(label=_("Species"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *ProjectStatus.choices],
    )
    year = forms.IntegerField(
        label=_("Running in year"),
        required=False,
        min_value=1970,
        max_value=datetime.date.today().year + 10,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["species"].choices = [
            ("", _("Any species")),
            *((s.slug, s.common_name) for s in Species.objects.published()),
        ]
        self.fields["country"].choices = [
            ("", _("Any country")),
            *((c.iso_a3, c.name) for c in Country.objects.members()),
        ]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}
