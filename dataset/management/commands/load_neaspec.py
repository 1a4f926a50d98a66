from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
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
        parser.add_argument(
            "--as-user",
            help="Load with this user's permissions (a focal point: only its countries).",
        )

    def handle(self, *args, directory, update, as_user, **options):
        user = None
        if as_user:
            try:
                user = get_user_model().objects.get(username=as_user)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"There is no user “{as_user}”.") from exc
        try:
            report = dataset_load_neaspec(directory=directory, update=update, user=user)
        except DatasetError as exc:
            raise CommandError(f"Nothing was loaded: {exc}") from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("NEASPEC dataset loaded."))
