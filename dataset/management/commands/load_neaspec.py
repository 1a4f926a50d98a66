from django.core.management.base import BaseCommand, CommandError

from dataset.services import DEFAULT_DIRECTORY, DatasetError, dataset_load_neaspec


class Command(BaseCommand):
    help = (
        "Load the NEASPEC dataset (data/neaspec/): countries, protected areas, transboundary "
        "links, species with population estimates, occurrences, meetings and projects. "
        "Idempotent. Existing records are kept as edited unless --update is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=str(DEFAULT_DIRECTORY))
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite existing records with the values in the dataset files.",
        )

    def handle(self, *args, directory, update, **options):
        try:
            report = dataset_load_neaspec(directory=directory, update=update)
        except DatasetError as exc:
            raise CommandError(f"Nothing was loaded: {exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("NEASPEC dataset loaded."))
