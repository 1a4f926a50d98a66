import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import PublicFilterForm
from protected_areas.forms import member_country_choices
from species.forms import species_choices

from .models import ProjectStatus


class ProjectFilterForm(PublicFilterForm):
    species = forms.ChoiceField(label=_("Species"), required=False, choices=species_choices)
    country = forms.ChoiceField(label=_("Country"), required=False, choices=member_country_choices)
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
