"""Time the transborder movement indicator's rebuild with 10,000 individual animals.

    BENCH_DATABASE_URL=postgis://neaspec:neaspec@127.0.0.1:5432/neaspec_ind_bench \\
        .venv/bin/python -m bench.individuals [--individuals 10000] [--detections 10]

The database named by BENCH_DATABASE_URL is created if missing, migrated, and its
monitoring records (and occurrences) replaced by synthetic ones: two boxes standing for
the countries either side of a border, 2,000 camera stations, four camera-trap datasets and
two genetic-sample ones, the individuals (two species), each with about `--detections`
camera observations (a tenth of the animals also at stations across the border) and a
fifth with two genetic samples, and 500 cross-border identities joining pairs of
individuals. Every detection has its occurrence. Then it rebuilds the indicator (as the
Celery task does) three times and prints each time and the figures. Target (issue 12):
≤ 30 s. Not part of the test suite; nothing here asserts a time.
"""

import argparse
import datetime
import os
import random
import resource
import sys
import time
from pathlib import Path

# Run as a script, Python puts bench/ first on the path, where bench/http.py would hide the
# standard library's `http` (Django imports it): the project's root goes there instead.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    del sys.path[0]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DASHBOARDS_REBUILD_ON_EDIT", "false")

from bench.database import (
    bench_database_settings,
    ensure_bench_database,
    setup_django_on_bench_database,
)

SEED = 12
BATCH = 5_000
UTC = datetime.UTC


def _world():
    """Empty the monitoring records and occurrences; the two countries, two species and
    six datasets of the bench."""
    from django.contrib.gis.geos import MultiPolygon, Polygon  # noqa: PLC0415

    from common.models import PublicationState  # noqa: PLC0415
    from monitoring.models import (  # noqa: PLC0415
        CameraObservation,
        CameraStation,
        CrossBorderIdentity,
        GeneticSample,
        Individual,
        MonitoringDataset,
    )
    from protected_areas.models import Country  # noqa: PLC0415
    from species.models import Occurrence, Species  # noqa: PLC0415

    published = PublicationState.PUBLISHED
    CameraObservation.objects.all().delete()
    GeneticSample.objects.all().delete()
    Individual.objects.all().delete()
    CrossBorderIdentity.objects.all().delete()
    CameraStation.objects.all().delete()
    MonitoringDataset.objects.all().delete()
    Occurrence.objects.all().delete()

    def box(xmin, xmax):
        return MultiPolygon(Polygon.from_bbox((xmin, 42.0, xmax, 44.0)), srid=4326)

    west, _ = Country.objects.update_or_create(
        iso_a3="BWA",
        defaults={"name": "Bench west", "is_member": True, "boundary": box(129, 130.65)},
    )
    east, _ = Country.objects.update_or_create(
        iso_a3="BEA",
        defaults={"name": "Bench east", "is_member": True, "boundary": box(130.65, 132)},
    )
    species = [
        Species.objects.update_or_create(
            slug=f"bench-cat-{n}",
            defaults={
                "scientific_name": f"Benchus felis{n}",
                "common_name": f"Bench cat {n}",
                "taxon_group": "mammal",
                "iucn_category": "EN",
                "movement": "resident",
                "is_sensitive": True,
                "publication_state": published,
            },
        )[0]
        for n in (1, 2)
    ]
    cameras = [
        MonitoringDataset.objects.create(
            kind="camera_trap",
            identifier=f"bench-cameras-{n}",
            title=f"Bench camera network {n}",
            publication_state=published,
        )
        for n in range(4)
    ]
    genetic = [
        MonitoringDataset.objects.create(
            kind="genetic",
            identifier=f"bench-samples-{n}",
            title=f"Bench genetic samples {n}",
            publication_state=published,
        )
        for n in range(2)
    ]
    return west, east, species, cameras, genetic


def generate(individual_count: int, detections: int, rng: random.Random) -> None:
    from django.contrib.gis.geos import Point  # noqa: PLC0415
    from django.db import transaction  # noqa: PLC0415

    from common.models import PublicationState  # noqa: PLC0415
    from monitoring.models import (  # noqa: PLC0415
        CameraObservation,
        CameraStation,
        CrossBorderIdentity,
        GeneticSample,
        Individual,
    )
    from species.models import Occurrence  # noqa: PLC0415

    published = PublicationState.PUBLISHED
    with transaction.atomic():
        west, east, species, cameras, genetic = _world()
        start = datetime.datetime(2015, 1, 1, tzinfo=UTC)
        stations = []
        for n in range(2_000):
            country = west if (n // 4) % 2 == 0 else east
            xmin, ymin, xmax, ymax = country.boundary.extent
            stations.append(
                CameraStation(
                    dataset=cameras[n % 4],
                    deployment_id=f"S{n}",
                    location=Point(rng.uniform(xmin, xmax), rng.uniform(ymin, ymax), srid=4326),
                    start=start,
                    end=start + datetime.timedelta(days=730),
                    country=country,
                )
            )
        CameraStation.objects.bulk_create(stations, batch_size=BATCH)
        by_dataset = {d.pk: [s for s in stations if s.dataset_id == d.pk] for d in cameras}
        across = {
            (d.pk, c.pk): [s for s in by_dataset[d.pk] if s.country_id != c.pk]
            for d in cameras
            for c in (west, east)
        }

        individuals = [
            Individual(
                dataset=cameras[n % 4],
                species=species[n % 2],
                code=f"I{n}",
            )
            for n in range(individual_count)
        ]
        Individual.objects.bulk_create(individuals, batch_size=BATCH)

        occurrences, observations = [], []
        for individual in individuals:
            home = rng.choice(by_dataset[individual.dataset_id])
            crossing = rng.random() < 0.1
            for k in range(max(1, int(rng.gauss(detections, 2)))):
                station = home
                if crossing and k % 3 == 2:
                    station = rng.choice(across[(individual.dataset_id, home.country_id)])
                when = start + datetime.timedelta(days=rng.uniform(0, 700))
                occurrence = Occurrence(
                    species_id=individual.species_id,
                    event_date=when.date(),
                    location=station.location,
                    basis_of_record="camera_trap",
                    dataset="Bench",
                    count=1,
                    publication_state=published,
                )
                occurrences.append(occurrence)
                observations.append(
                    CameraObservation(
                        dataset_id=individual.dataset_id,
                        station=station,
                        observation_id=f"O{len(observations)}",
                        event_start=when,
                        event_end=when + datetime.timedelta(minutes=1),
                        species_id=individual.species_id,
                        individual=individual,
                        occurrence=occurrence,
                    )
                )
        Occurrence.objects.bulk_create(occurrences, batch_size=BATCH)
        for observation in observations:
            observation.occurrence_id = observation.occurrence.pk
        CameraObservation.objects.bulk_create(observations, batch_size=BATCH)

        # Genetic individuals: one per sampled camera individual (a fifth), two samples each.
        sampled = rng.sample(individuals, individual_count // 5)
        genetic_individuals = [
            Individual(dataset=genetic[n % 2], species_id=i.species_id, code=f"G{n}")
            for n, i in enumerate(sampled)
        ]
        Individual.objects.bulk_create(genetic_individuals, batch_size=BATCH)
        sample_occurrences, samples = [], []
        for individual in genetic_individuals:
            for _k in range(2):
                country = rng.choice([west, east])
                xmin, ymin, xmax, ymax = country.boundary.extent
                point = Point(rng.uniform(xmin, xmax), rng.uniform(ymin, ymax), srid=4326)
                day = (start + datetime.timedelta(days=rng.uniform(0, 700))).date()
                occurrence = Occurrence(
                    species_id=individual.species_id,
                    event_date=day,
                    location=point,
                    basis_of_record="specimen",
                    dataset="Bench",
                    publication_state=published,
                )
                sample_occurrences.append(occurrence)
                samples.append(
                    GeneticSample(
                        dataset_id=individual.dataset_id,
                        sample_id=f"P{len(samples)}",
                        collected_on=day,
                        location=point,
                        species_id=individual.species_id,
                        sample_type="scat",
                        genotype_id=individual.code,
                        individual=individual,
                        country=country,
                        occurrence=occurrence,
                    )
                )
        Occurrence.objects.bulk_create(sample_occurrences, batch_size=BATCH)
        for sample in samples:
            sample.occurrence_id = sample.occurrence.pk
        GeneticSample.objects.bulk_create(samples, batch_size=BATCH)

        # 500 identities: a sampled camera individual and its genetic individual.
        identities = CrossBorderIdentity.objects.bulk_create(
            CrossBorderIdentity(species_id=i.species_id, label=f"{i.code} = G{n}")
            for n, i in enumerate(sampled[:500])
        )
        for identity, camera_individual, genetic_individual in zip(
            identities, sampled[:500], genetic_individuals[:500], strict=True
        ):
            camera_individual.identity = identity
            genetic_individual.identity = identity
        Individual.objects.bulk_update(
            sampled[:500] + genetic_individuals[:500], ["identity"], batch_size=BATCH
        )
    print(
        f"Dataset: {Individual.objects.count():,} individuals "
        f"({individual_count:,} camera, {len(genetic_individuals):,} genetic), "
        f"{len(observations):,} camera observations, {len(samples):,} genetic samples, "
        f"{len(identities):,} cross-border identities, 2,000 stations"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--individuals", type=int, default=10_000)
    parser.add_argument("--detections", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-generate", action="store_true")
    options = parser.parse_args()

    ensure_bench_database(bench_database_settings())
    setup_django_on_bench_database()
    from django.core.management import call_command  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    if not options.skip_generate:
        started = time.perf_counter()
        generate(options.individuals, options.detections, random.Random(SEED))
        print(f"Generated in {time.perf_counter() - started:.1f} s")

    from dashboards.services import dashboard_snapshot_rebuild  # noqa: PLC0415

    for run in range(1, options.runs + 1):
        started = time.perf_counter()
        snapshot = dashboard_snapshot_rebuild(indicator="transborder-movement")
        elapsed = time.perf_counter() - started
        data = snapshot.data
        print(
            f"Run {run}: rebuild {elapsed:.2f} s; "
            f"{data['animals_identified']:,} animals, {data['animals_crossing']:,} seen in two "
            f"countries, {len(data['pairs'])} species–border pairs, {len(data['cells']):,} cells"
        )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak memory of this process: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
