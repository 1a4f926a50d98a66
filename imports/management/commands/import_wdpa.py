from imports.commands import ImportCommand
from imports.models import ImportFormat


class Command(ImportCommand):
    help = (
        "Import protected areas from a WDPA download (Protected Planet: zipped shapefile, "
        "GeoPackage, GeoJSON or File Geodatabase). Prints the dry run's report first."
    )
    format = ImportFormat.WDPA

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--iso3",
            default="",
            help="Only rows of these countries, comma-separated ISO codes (e.g. RUS,CHN).",
        )
        parser.add_argument(
            "--repair",
            action="store_true",
            help="Repair invalid polygons with GEOS MakeValid instead of refusing them.",
        )

    def options_for(self, options) -> dict:
        iso3 = [code.strip().upper() for code in options["iso3"].split(",") if code.strip()]
        return {"iso3": iso3, "repair": options["repair"]}
