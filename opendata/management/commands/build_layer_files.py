from django.core.management.base import BaseCommand

from opendata.layer_files import layer_files_publish, layers_root


class Command(BaseCommand):
    help = (
        "Build the downloads page's files (each collection as CSV, GeoJSON and GeoPackage, "
        "published records only, sensitive occurrences generalised) under OPENDATA_ROOT/layers; "
        "run once after deploying, later edits rebuild them."
    )

    def handle(self, *args, **options):
        manifest = layer_files_publish()
        counts = ", ".join(
            f"{collection} {layer['features']}" for collection, layer in manifest["layers"].items()
        )
        self.stdout.write(f"Built {layers_root()}: {counts}.")
