from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import ImportFormat
from .services import import_check_size

# Formats uploaded from the Imports section; a boundary is uploaded from its record's page.
UPLOAD_FORMATS = [choice for choice in ImportFormat.choices if choice[0] != ImportFormat.BOUNDARY]


class ImportUploadForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=UPLOAD_FORMATS)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "WDPA: the Protected Planet download (zipped shapefile, GeoPackage, GeoJSON or "
            "zipped File Geodatabase). OpenStreetMap: an .osm.pbf extract or an Overpass "
            "GeoJSON. GBIF: the Darwin Core Archive zip of an occurrence download. Census: a "
            "CSV in the portal's template."
        ),
    )
    iso3 = forms.CharField(
        label=_("Only these countries"),
        required=False,
        help_text=_("WDPA: ISO codes, comma-separated (e.g. RUS,CHN). Empty: every country."),
    )
    repair = forms.BooleanField(
        label=_("Repair invalid geometries"),
        required=False,
        help_text=_(
            "Fix self-intersections and similar faults with GEOS MakeValid instead of refusing "
            "the rows that have them. The report names every shape repaired."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        import_check_size(name=upload.name, size=upload.size)
        return upload

    def clean_iso3(self):
        codes = [code.strip().upper() for code in self.cleaned_data["iso3"].split(",")]
        codes = [code for code in codes if code]
        wrong = [code for code in codes if len(code) != 3 or not code.isalpha()]
        if wrong:
            raise ValidationError(
                _("“%(codes)s”: give three-letter ISO codes such as RUS, CHN, MNG.")
                % {"codes": ", ".join(wrong)}
            )
        return codes

    def options(self) -> dict:
        return {"iso3": self.cleaned_data["iso3"], "repair": self.cleaned_data["repair"]}
