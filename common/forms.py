from django import forms


class PublicFilterForm(forms.Form):
    """The filters of a public list page (GET). Unknown values are ignored, not errors: a
    reader with an old link sees everything rather than an error page."""

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}
