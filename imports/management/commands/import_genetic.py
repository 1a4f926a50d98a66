from imports.commands import ImportCommand
from imports.models import ImportFormat


class Command(ImportCommand):
    help = (
        "Import genetic samples from a CSV in the portal's template (sample_id, date, "
        "latitude, longitude, species, sample_type, genotype_id, laboratory, dataset_id, "
        "dataset_title…; see imports/README.md). Prints the dry run's report first."
    )
    format = ImportFormat.GENETIC
