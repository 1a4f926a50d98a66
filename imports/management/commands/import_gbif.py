from imports.commands import ImportCommand
from imports.models import ImportFormat


class Command(ImportCommand):
    help = (
        "Import occurrences of the portal's species from a GBIF.org occurrence download (the "
        "Darwin Core Archive zip). Prints the dry run's report first."
    )
    format = ImportFormat.GBIF
