import tempfile
import zipfile
from pathlib import Path

from imports.commands import ImportCommand
from imports.models import ImportFormat


class Command(ImportCommand):
    help = (
        "Import a camera-trap data package (Camtrap DP 1.0: datapackage.json, deployments.csv, "
        "media.csv, observations.csv), as a folder or a zip. Prints the dry run's report first."
    )
    format = ImportFormat.CAMTRAP_DP

    def handle(self, *args, **options):
        folder = Path(options["file"])
        if not folder.is_dir():
            return super().handle(*args, **options)
        # The pipeline keeps one file per import: a folder is imported as its zip.
        with tempfile.TemporaryDirectory() as scratch:
            archive = Path(scratch) / f"{folder.resolve().name}.zip"
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
                for part in sorted(folder.rglob("*")):
                    if part.is_file():
                        handle.write(part, part.relative_to(folder).as_posix())
            return super().handle(*args, **{**options, "file": str(archive)})
