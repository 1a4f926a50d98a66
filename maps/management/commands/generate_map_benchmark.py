"""Fill the benchmark database with a synthetic dataset at the scale the map must handle.

Never touches the portal's database: it writes only to BENCH_DATABASE_URL (see bench/)."""

import json
import math
import random
import time

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections, transaction

from bench.database import BENCH_ALIAS, bench_database_settings, ensure_bench_database
from common.models import PublicationState
from protected_areas.models import Country, ProtectedArea, TransboundaryLink
from species.models import Species, SpeciesRange

PUBLISHED = PublicationState.PUBLISHED
COUNTRIES_FILE = settings.BASE_DIR / "data" / "neaspec" / "countries.geojson"
IUCN = ["Ia", "Ib", "II", "III", "IV", "V", "VI", "NR"]
BATCH = 500


def wobbly_polygon(rng: random.Random, centre: Point, radius_km: float, vertices: int) -> Polygon:
    """A closed ring whose radius wanders smoothly, like a digitised park boundary."""
    lat_scale = 1 / 111.32
    lon_scale = lat_scale / max(0.2, math.cos(math.radians(centre.y)))
    phases = [rng.uniform(0, 2 * math.pi) for _ in range(3)]
    ring = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        wobble = (
            1
            + 0.18 * math.sin(3 * angle + phases[0])
            + 0.08 * math.sin(7 * angle + phases[1])
            + 0.03 * math.sin(19 * angle + phases[2])
        )
        r = radius_km * wobble
        ring.append(
            (centre.x + r * math.cos(angle) * lon_scale, centre.y + r * math.sin(angle) * lat_scale)
        )
    ring.append(ring[0])
    return Polygon(ring, srid=4326)


class Command(BaseCommand):
    help = "Generate a synthetic scale dataset for the map benchmark in BENCH_DATABASE_URL."

    def add_arguments(self, parser):
        parser.add_argument("--protected-areas", type=int, default=25_000)
        parser.add_argument("--occurrences", type=int, default=1_000_000)
        parser.add_argument("--vertices", type=int, default=300, help="Vertices per boundary.")
        parser.add_argument("--transboundary-links", type=int, default=300)
        parser.add_argument("--seed", type=int, default=20261122)
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Keep the database when it already holds as many protected areas and "
            "occurrences as asked (`make bench` run again measures the same data).",
        )

    def handle(self, *args, **options):
        bench_settings = bench_database_settings()
        ensure_bench_database(bench_settings)
        connections.databases[BENCH_ALIAS] = {**connections.databases["default"], **bench_settings}
        rng = random.Random(options["seed"])
        started = time.monotonic()
        call_command("migrate", database=BENCH_ALIAS, verbosity=0)
        if options["if_missing"] and self._holds(options):
            self.stdout.write("The benchmark database already holds this dataset; kept.")
            return
        self._empty()
        countries = self._countries()
        species = self._species()
        self._ranges(rng, species, countries)
        self._protected_areas(rng, countries, options["protected_areas"], options["vertices"])
        self._transboundary_links(rng, options["transboundary_links"])
        self._occurrences(species, options["occurrences"])
        with connections[BENCH_ALIAS].cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"Benchmark dataset ready in {time.monotonic() - started:.0f} s.")

    def _holds(self, options) -> bool:
        with connections[BENCH_ALIAS].cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT count(*) FROM protected_areas_protectedarea), "
                "(SELECT count(*) FROM species_occurrence)"
            )
            return cursor.fetchone() == (options["protected_areas"], options["occurrences"])

    def _empty(self):
        tables = [
            "species_occurrence",
            "species_speciesrange",
            "protected_areas_transboundarylink_protected_areas",
            "protected_areas_transboundarylink",
            "projects_project_protected_areas",
            "species_populationestimate",
            "protected_areas_protectedarea",
            "species_species_range_countries",
            "projects_project_countries",
            "projects_project_species",
            "projects_project",
            "species_species",
            "protected_areas_country",
        ]
        with connections[BENCH_ALIAS].cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")

    def _countries(self) -> list[Country]:
        features = json.loads(COUNTRIES_FILE.read_text())["features"]
        countries = []
        for feature in features:
            geometry = GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)
            if geometry.geom_type == "Polygon":
                geometry = MultiPolygon(geometry, srid=4326)
            props = feature["properties"]
            countries.append(
                Country(
                    iso_a3=props["iso_a3"],
                    name=props["name"],
                    name_local=props.get("name_local") or "",
                    is_member=props["is_member"],
                    boundary=geometry,
                )
            )
        Country.objects.using(BENCH_ALIAS).bulk_create(countries)
        members = list(Country.objects.using(BENCH_ALIAS).filter(is_member=True))
        self.stdout.write(f"{len(countries)} countries ({len(members)} member states).")
        return members

    def _species(self) -> list[Species]:
        species = [
            Species(
                scientific_name=f"Benchmarkia species{i}",
                slug=f"bench-species-{i}",
                common_name=f"Benchmark species {i}",
                taxon_group="bird" if i % 2 else "mammal",
                movement="migratory" if i % 2 else "resident",
                publication_state=PUBLISHED,
            )
            for i in range(6)
        ]
        return Species.objects.using(BENCH_ALIAS).bulk_create(species)

    def _ranges(self, rng, species, countries):
        ranges = []
        for item in species:
            for season in (
                ["breeding", "non_breeding"] if item.movement == "migratory" else ["year_round"]
            ):
                country = rng.choice(countries)
                centre = country.boundary.point_on_surface
                polygon = wobbly_polygon(rng, centre, rng.uniform(300, 800), 2000)
                ranges.append(
                    SpeciesRange(
                        species=item,
                        season=season,
                        geometry=MultiPolygon(polygon, srid=4326),
                        source_citation="Synthetic",
                    )
                )
        SpeciesRange.objects.using(BENCH_ALIAS).bulk_create(ranges)

    def _protected_areas(self, rng, countries, count, vertices):
        prepared = [
            (country, country.boundary.prepared, country.boundary.extent) for country in countries
        ]
        weights = [country.boundary.area for country in countries]
        batch = []
        made = 0
        while made < count:
            country, inside, (xmin, ymin, xmax, ymax) = rng.choices(prepared, weights)[0]
            centre = Point(rng.uniform(xmin, xmax), rng.uniform(ymin, ymax), srid=4326)
            if not inside.contains(centre):
                continue
            # Most protected areas are small; a few national parks are large.
            radius_km = min(120.0, rng.lognormvariate(math.log(4), 0.9))
            boundary = MultiPolygon(wobbly_polygon(rng, centre, radius_km, vertices), srid=4326)
            batch.append(
                ProtectedArea(
                    name=f"Synthetic protected area {made}",
                    name_local=f"Охраняемая территория {made}",
                    country=country,
                    designation="Nature reserve",
                    iucn_category=rng.choice(IUCN),
                    boundary=boundary,
                    location=centre,
                    publication_state=PUBLISHED if rng.random() < 0.95 else PublicationState.DRAFT,
                )
            )
            made += 1
            if len(batch) == BATCH:
                # bulk_create stores the computed areas too, as every write path does.
                ProtectedArea.objects.using(BENCH_ALIAS).bulk_create(batch)
                batch = []
        ProtectedArea.objects.using(BENCH_ALIAS).bulk_create(batch)
        self.stdout.write(f"{count} protected areas of {vertices} vertices.")

    @transaction.atomic(using=BENCH_ALIAS)
    def _transboundary_links(self, rng, count):
        by_country: dict[int, list[int]] = {}
        for pk, country_id in ProtectedArea.objects.using(BENCH_ALIAS).values_list(
            "id", "country_id"
        ):
            by_country.setdefault(country_id, []).append(pk)
        country_ids = list(by_country)
        links, members = [], []
        for i in range(count):
            first, second = rng.sample(country_ids, 2)
            links.append(
                TransboundaryLink(
                    name=f"Synthetic complex {i}",
                    slug=f"synthetic-complex-{i}",
                    cooperation_status=rng.choice(["none", "informal"]),
                    publication_state=PUBLISHED,
                )
            )
            members.append([rng.choice(by_country[side]) for side in (first, second)])
        # bulk_create, as for every table here: save() would also write change history and
        # dashboard rebuild requests, and those go to the portal's database, not this one.
        TransboundaryLink.objects.using(BENCH_ALIAS).bulk_create(links)
        member = TransboundaryLink.protected_areas.through
        member.objects.using(BENCH_ALIAS).bulk_create(
            member(transboundarylink=link, protectedarea_id=area_id)
            for link, area_ids in zip(links, members, strict=True)
            for area_id in area_ids
        )

    def _occurrences(self, species, count):
        """Records scattered within ~10 km of protected areas, generated inside PostGIS:
        a million ORM objects would take longer than the benchmark."""
        species_ids = [item.pk for item in species]
        with connections[BENCH_ALIAS].cursor() as cursor:
            cursor.execute("SELECT MIN(id), COUNT(*) FROM protected_areas_protectedarea")
            first_id, areas = cursor.fetchone()
            cursor.execute(
                """
                INSERT INTO species_occurrence (
                    created, updated, species_id, event_date, date_precision, location,
                    basis_of_record, dataset, protected_area_id, source_citation, source_url,
                    notes, internal_notes, count_approximate, publication_state
                )
                SELECT now(), now(),
                       (%(species)s::bigint[])[1 + (g %% %(species_count)s)],
                       DATE '2000-01-01' + (random() * 9000)::int,
                       'day',
                       ST_SetSRID(ST_MakePoint(
                           LEAST(180, GREATEST(-180, ST_X(pa.location) + (random() - 0.5) * 0.25)),
                           LEAST(90, GREATEST(-90, ST_Y(pa.location) + (random() - 0.5) * 0.18))
                       ), 4326),
                       'camera_trap', 'Synthetic', pa.id, '', '', '', '', false, 'published'
                FROM generate_series(1, %(count)s) AS g
                JOIN protected_areas_protectedarea AS pa
                  ON pa.id = %(first_id)s + ((g::bigint * 7919) %% %(areas)s)
                """,
                {
                    "species": species_ids,
                    "species_count": len(species_ids),
                    "count": count,
                    "first_id": first_id,
                    "areas": areas,
                },
            )
        self.stdout.write(f"{count} occurrences.")
