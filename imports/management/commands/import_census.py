from imports.commands import ImportCommand
from imports.models import ImportFormat


class Command(ImportCommand):
    help = (
        "Import census counts from a CSV in the portal's template (site, country, species, "
        "date, season, count, count_type, method, organisation, source, source_url, notes). "
        "Prints the dry run's report first."
    )
    format = ImportFormat.CENSUS
