from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import PublicFilterForm

from .documents import document_kind_choices, document_language_choices, document_year_choices


class DocumentFilterForm(PublicFilterForm):
    q = forms.CharField(
        label=_("Words in the title"),
        required=False,
        max_length=200,
        widget=forms.SearchInput,
    )
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=document_kind_choices)
    year = forms.TypedChoiceField(
        label=_("Year"), required=False, coerce=int, empty_value=None, choices=document_year_choices
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=document_language_choices
    )

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()
