from imports.commands import ImportCommand
from imports.models import ImportFormat


class Command(ImportCommand):
    help = (
        "Propose boundaries of existing protected areas from an OpenStreetMap extract (.osm.pbf "
        "or .osm) or an Overpass GeoJSON: boundary=protected_area, boundary=national_park and "
        "leisure=nature_reserve polygons. Prints the dry run's report first; accept proposals "
        "with --accept ROW=ID."
    )
    format = ImportFormat.OSM

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--repair",
            action="store_true",
            help="Repair invalid polygons with GEOS MakeValid instead of refusing them.",
        )

    def options_for(self, options) -> dict:
        return {"repair": options["repair"]}
