from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from common.models import BoundaryQuality

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
            "GeoJSON. GBIF: the Darwin Core Archive zip of an occurrence download. Census and "
            "genetic samples: a CSV in the portal's template. Camera traps: a Camtrap DP "
            "package zipped (datapackage.json, deployments.csv, media.csv, observations.csv)."
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


BOUNDARY_QUALITIES = [
    (BoundaryQuality.SURVEYED, BoundaryQuality.SURVEYED.label),
    (BoundaryQuality.DIGITISED, BoundaryQuality.DIGITISED.label),
]


class BoundaryUploadForm(forms.Form):
    """A boundary for one protected area: a file, or pasted GeoJSON or WKT."""

    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("GeoJSON, GeoPackage, KML, or a zipped shapefile (with its .prj)."),
    )
    text = forms.CharField(
        label=_("Or paste GeoJSON or WKT"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80, "spellcheck": "false"}),
        help_text=_(
            "Longitude/latitude (WGS 84) unless the text says otherwise: a GeoJSON “crs”, or "
            "WKT as SRID=3857;POLYGON((…)). Other systems are reprojected, and the report "
            "says so."
        ),
    )
    quality = forms.ChoiceField(
        label=_("Boundary quality"), choices=BOUNDARY_QUALITIES, initial=BoundaryQuality.DIGITISED
    )
    source = forms.CharField(
        label=_("Boundary source"),
        max_length=500,
        help_text=_("Where the boundary comes from: the decree, the agency, the map and its date."),
    )
    repair = forms.BooleanField(
        label=_("Repair an invalid shape"),
        required=False,
        help_text=_("Fix self-intersections with GEOS MakeValid instead of refusing the shape."),
    )

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), (cleaned.get("text") or "").strip()
        if bool(upload) == bool(text):
            raise ValidationError(_("Upload a file or paste a shape (one of the two)."))
        if upload:
            import_check_size(name=upload.name, size=upload.size)
            cleaned["upload"] = upload
        else:
            name = "pasted.geojson" if text.startswith("{") else "pasted.wkt"
            content = ContentFile(text.encode("utf-8"), name=name)
            import_check_size(name=name, size=content.size)
            cleaned["upload"] = content
        return cleaned

    def options(self, area_pk: int) -> dict:
        return {
            "area": area_pk,
            "quality": self.cleaned_data["quality"],
            "source": self.cleaned_data["source"],
            "repair": self.cleaned_data["repair"],
        }
