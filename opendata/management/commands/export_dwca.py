from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opendata.services import occurrence_archive_publish, occurrence_archive_write


class Command(BaseCommand):
    help = (
        "Write the Darwin Core Archive of published occurrences (sensitive ones generalised, "
        "as the public sees them) to PATH; without PATH, rebuild the copy the portal serves "
        "at /downloads/occurrences-dwca.zip."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Where to write the zip, e.g. dwca.zip.")

    def handle(self, *args, path=None, **options):
        if path is None:
            served = occurrence_archive_publish()
            self.stdout.write(f"Rebuilt {served}")
            return
        destination = Path(path)
        if destination.is_dir():
            raise CommandError(f"{destination} is a directory; give the path of a .zip file.")
        if not destination.parent.is_dir():
            raise CommandError(f"The directory {destination.parent} does not exist; create it.")
        summary = occurrence_archive_write(destination=destination)
        coverage = summary.coverage
        self.stdout.write(
            f"Wrote {destination}: {coverage.records} occurrences of "
            f"{len(coverage.species)} species ({coverage.generalised} generalised), "
            f"data as of {summary.version:%Y-%m-%d %H:%M} UTC."
        )
