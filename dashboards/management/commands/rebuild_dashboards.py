from django.core.management.base import BaseCommand, CommandError

from dashboards.queueing import dashboards_rebuild_now
from dashboards.registry import INDICATORS
from dashboards.services import dashboard_snapshot_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the dashboards now, in this process (default), or queue them for the "
        "Celery workers with --queue."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--indicator",
            action="append",
            choices=sorted(INDICATORS),
            help="Only this indicator (may be repeated). Default: all of them.",
        )
        parser.add_argument(
            "--queue", action="store_true", help="Send to the Celery workers instead."
        )

    def handle(self, *args, indicator=None, queue=False, **options):
        indicators = indicator or list(INDICATORS)
        unknown = sorted(set(indicators) - set(INDICATORS))
        if unknown:
            raise CommandError(
                f"Unknown indicator {', '.join(unknown)}; choose from {', '.join(INDICATORS)}."
            )
        if queue:
            queued, error = dashboards_rebuild_now(indicators=indicators)
            if error:
                raise CommandError(
                    f"The task queue could not be reached ({error}); queued: "
                    f"{', '.join(queued) or 'none'}. Run without --queue to compute here."
                )
            self.stdout.write(f"Queued: {', '.join(queued)}")
            return
        for slug in indicators:
            snapshot = dashboard_snapshot_rebuild(indicator=slug)
            unchanged = snapshot.checked_at > snapshot.computed_at
            self.stdout.write(
                f"{slug}: snapshot {snapshot.pk}, "
                + (
                    f"figures unchanged since {snapshot.computed_at:%Y-%m-%d %H:%M} UTC"
                    if unchanged
                    else f"computed in {snapshot.duration_seconds:.2f} s"
                )
            )
