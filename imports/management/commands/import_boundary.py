from django.core.management.base import CommandError

from common.models import BoundaryQuality
from imports.commands import ImportCommand
from imports.models import ImportFormat


class Command(ImportCommand):
    help = (
        "Give one protected area a boundary from a file (GeoJSON, GeoPackage, KML, zipped "
        "shapefile, or a .wkt text file). A declared CRS is reprojected to WGS 84; when the file "
        "holds several shapes, choose one with --accept ROW=AREA_ID."
    )
    format = ImportFormat.BOUNDARY

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--area", type=int, required=True, help="The protected area's id.")
        parser.add_argument(
            "--quality",
            choices=[BoundaryQuality.SURVEYED, BoundaryQuality.DIGITISED],
            default=BoundaryQuality.DIGITISED,
        )
        parser.add_argument("--source", default="", help="Where the boundary comes from.")
        parser.add_argument(
            "--repair", action="store_true", help="Repair an invalid shape with GEOS MakeValid."
        )

    def options_for(self, options) -> dict:
        if not options["source"].strip():
            raise CommandError("--source: say where the boundary comes from (decree, map, date).")
        return {
            "area": options["area"],
            "quality": options["quality"],
            "source": options["source"],
            "repair": options["repair"],
        }
