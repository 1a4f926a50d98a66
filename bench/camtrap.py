"""Time a Camtrap DP import of 1,000,000 observations over 2,000 deployments into PostGIS:
dry run, then apply, through the same services as the admin and `import_camtrap_dp`.

    BENCH_DATABASE_URL=postgis://neaspec:neaspec@127.0.0.1:5432/neaspec_camtrap_bench \\
        .venv/bin/python -m bench.camtrap [--observations 1000000] [--deployments 2000]

The database named by BENCH_DATABASE_URL is created if missing and used for nothing else: it
is migrated, loaded with the NEASPEC dataset (its countries, species and protected areas)
once, and the monitoring records and imports of earlier runs are deleted. The package is
generated: deployments on a grid across the China–Russia borderlands (43.5–47° N,
127–133.5° E), one media file per observation, observations 75 % Amur tigers and leopards
with an individualID (one of 10,000), 15 % roe deer (not a portal species: skipped and
counted) and 10 % blank events (skipped).

Prints the time, rows/s and the peak memory (RSS) of this process after each phase.
Targets (issue 12): the import within 5 minutes and 1 GiB. Nothing here asserts a time.
"""

import argparse
import csv
import json
import os
import random
import resource
import tempfile
import time
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

os.environ.setdefault("DASHBOARDS_REBUILD_ON_EDIT", "false")

from bench.database import (
    bench_database_settings,
    ensure_bench_database,
    setup_django_on_bench_database,
)

SEED = 12
SPECIES = ("Panthera pardus orientalis", "Panthera tigris altaica")
INDIVIDUALS = 10_000
MIB = 2**20


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_package(folder: Path, observations: int, deployments: int) -> Path:
    """The package as a zip, written row by row (never held in memory)."""
    from monitoring.camtrap import DEPLOYMENTS, MEDIA, OBSERVATIONS  # noqa: PLC0415
    from tests.monitoring.camtrap_package import package_metadata, resource  # noqa: PLC0415

    rng = random.Random(SEED)
    package = package_metadata("urn:bench:camtrap:1", "Camtrap DP benchmark package")
    package["resources"] = [resource(name) for name in ("deployments", "media", "observations")]
    path = folder / "camtrap_bench.zip"
    start = datetime(2015, 1, 1, tzinfo=timezone(timedelta(hours=8)))
    side = int(deployments**0.5) + 1
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("datapackage.json", json.dumps(package))
        with archive.open("deployments.csv", "w") as raw:
            out = csv.writer(_text(raw))
            out.writerow(DEPLOYMENTS.names)
            for number in range(deployments):
                lat = 43.5 + 3.5 * (number // side) / side
                lon = 127.0 + 6.5 * (number % side) / side
                row = {
                    "deploymentID": f"D{number:05d}",
                    "latitude": f"{lat:.5f}",
                    "longitude": f"{lon:.5f}",
                    "coordinateUncertainty": "10",
                    "deploymentStart": start.isoformat(),
                    "deploymentEnd": (start + timedelta(days=730)).isoformat(),
                    "cameraModel": "Reconyx HC500",
                    "featureType": "trailGame",
                }
                out.writerow([row.get(name, "") for name in DEPLOYMENTS.names])
        with archive.open("media.csv", "w") as raw:
            out = csv.writer(_text(raw))
            out.writerow(MEDIA.names)
            for number in range(observations):
                when = start + timedelta(seconds=number * 61)
                out.writerow(
                    [
                        f"M{number:07d}", f"D{number % deployments:05d}", "activityDetection",
                        when.isoformat(), f"https://example.org/m/{number}.jpg", "false",
                        "", "image/jpeg", "", "", "",
                    ]
                )  # fmt: skip
        with archive.open("observations.csv", "w") as raw:
            out = csv.writer(_text(raw))
            out.writerow(OBSERVATIONS.names)
            width = len(OBSERVATIONS.names)
            for number in range(observations):
                when = (start + timedelta(seconds=number * 61)).isoformat()
                draw = rng.random()
                if draw < 0.75:
                    species = SPECIES[number % 2]
                    individual = f"{species.split()[1][:4]}-{rng.randrange(INDIVIDUALS // 2)}"
                    kind, extra = "animal", [species, "1", "adult", "", "", individual]
                elif draw < 0.9:
                    kind, extra = "animal", ["Capreolus pygargus", "2", "", "", "", ""]
                else:
                    kind, extra = "blank", ["", "", "", "", "", ""]
                head = [
                    f"O{number:07d}", f"D{number % deployments:05d}", f"M{number:07d}",
                    "", when, when, "media", kind, "",
                ]  # fmt: skip
                row = head + extra
                out.writerow(row + [""] * (width - len(row)))
    return path


def _text(raw):
    import io  # noqa: PLC0415

    return io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)


def prepare_database() -> None:
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415

    from dataset.services import dataset_load_neaspec  # noqa: PLC0415
    from protected_areas.models import Country  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        for table in (
            "imports_importedrecord", "imports_import", "monitoring_cameraobservation",
            "monitoring_media", "monitoring_historicalindividual", "monitoring_individual",
            "monitoring_historicalcamerastation", "monitoring_camerastation",
            "monitoring_historicalmonitoringdataset", "monitoring_monitoringdataset",
        ):  # fmt: skip
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute("DELETE FROM species_occurrence WHERE basis_of_record = 'camera_trap'")
    if not Country.objects.filter(iso_a3="RUS").exists():
        dataset_load_neaspec()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--observations", type=int, default=1_000_000)
    parser.add_argument("--deployments", type=int, default=2_000)
    options = parser.parse_args()
    ensure_bench_database(bench_database_settings())
    setup_django_on_bench_database()

    from django.conf import settings  # noqa: PLC0415

    from imports.models import ImportStatus  # noqa: PLC0415
    from imports.services import (  # noqa: PLC0415
        import_apply,
        import_check,
        import_confirm,
        import_create_from_path,
    )

    prepare_database()
    with tempfile.TemporaryDirectory() as folder:
        started = time.monotonic()
        path = write_package(Path(folder), options.observations, options.deployments)
        print(
            f"Generated {path.name}: {options.deployments:,} deployments, "
            f"{options.observations:,} media and observations, {path.stat().st_size / MIB:.0f} "
            f"MiB zipped, in {time.monotonic() - started:.0f} s"
        )
        rows = options.deployments + 2 * options.observations
        started, cpu = time.monotonic(), time.process_time()
        run = import_create_from_path(user=None, format="camtrap_dp", path=path)
        run = import_check(import_run=run)
        checked, checked_cpu = time.monotonic() - started, time.process_time() - cpu
        assert run.status == ImportStatus.CHECKED, run.message
        print(
            f"Dry run: {run.counts['created']:,} to create, {run.counts['skipped']:,} skipped, "
            f"in {checked:.1f} s ({rows / checked:,.0f} rows/s; this process's CPU "
            f"{checked_cpu:.1f} s), peak RSS {peak_rss_mib():.0f} MiB"
        )
        started, cpu = time.monotonic(), time.process_time()
        run = import_apply(import_run=import_confirm(import_run=run, user=None, decisions={}))
        applied, applied_cpu = time.monotonic() - started, time.process_time() - cpu
        assert run.status == ImportStatus.APPLIED, run.message
        print(
            f"Apply:   {run.counts['created']:,} created in {applied:.1f} s "
            f"({rows / applied:,.0f} rows/s; this process's CPU {applied_cpu:.1f} s), "
            f"peak RSS {peak_rss_mib():.0f} MiB"
        )
        total = checked + applied
        print(
            f"Targets: dry run + apply ≤ 300 s ({'met' if total <= 300 else 'MISSED'}: "
            f"{total:.0f} s), memory ≤ 1024 MiB "
            f"({'met' if peak_rss_mib() <= 1024 else 'MISSED'}); database "
            f"{settings.DATABASES['default']['NAME']}; load average {os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    main()
