"""Reads of individual animals: their detections (camera observations and genetic samples),
when and where they were detected, and the cross-border identities that join them.

Summaries are computed in the database, grouped by animal and country (one query: camera
observations and genetic samples grouped apart, as a UNION, whatever the number of animals),
then merged here — an identity's from its individuals' —: a page of individuals, the
indicator over every animal and a species page cost the same few queries.

`public=True` keeps what anyone may count: detections in published datasets whose
occurrence (their public face) is published with its species. Staff views pass
`public=False` and scope the animals themselves (governance.selectors)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.gis.db.models.functions import SnapToGrid, Transform
from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.db.models.functions import TruncDate

from common.geometry import EQUAL_AREA_GRID_SRID, STORAGE_SRID, snap_to_equal_area_grid
from common.models import PublicationState
from governance.selectors import records_visible_to
from species.models import exact_location_countries

from .models import (
    CameraObservation,
    CrossBorderIdentity,
    GeneticSample,
    Individual,
    Media,
    MonitoringDataset,
)

PUBLISHED = PublicationState.PUBLISHED


@dataclass
class CountryDetections:
    """An animal's detections in one country."""

    country_id: int
    iso_a3: str
    first: date
    last: date
    count: int


@dataclass
class DetectionSummary:
    """An animal's detections: first and last, how many, and by country (first seen first)."""

    countries: list[CountryDetections] = field(default_factory=list)

    @property
    def first(self) -> date | None:
        return min((c.first for c in self.countries), default=None)

    @property
    def last(self) -> date | None:
        return max((c.last for c in self.countries), default=None)

    @property
    def count(self) -> int:
        return sum(c.count for c in self.countries)

    @property
    def country_codes(self) -> list[str]:
        return [c.iso_a3 for c in self.countries]

    @property
    def crosses_border(self) -> bool:
        return len(self.countries) >= 2

    def in_country(self, iso_a3: str) -> CountryDetections | None:
        return next((c for c in self.countries if c.iso_a3 == iso_a3), None)


def _public_camera_q() -> Q:
    return Q(
        dataset__publication_state=PUBLISHED,
        occurrence__publication_state=PUBLISHED,
        occurrence__species__publication_state=PUBLISHED,
    )


def _public_sample_q() -> Q:
    return _public_camera_q()


def camera_detections(*, public: bool) -> QuerySet[CameraObservation]:
    """Camera observations of an individual (public ones only, with `public`)."""
    queryset = CameraObservation.objects.filter(individual__isnull=False)
    return queryset.filter(_public_camera_q()) if public else queryset


def sample_detections(*, public: bool) -> QuerySet[GeneticSample]:
    """Genetic samples of an individual (public ones only, with `public`)."""
    queryset = GeneticSample.objects.filter(individual__isnull=False)
    return queryset.filter(_public_sample_q()) if public else queryset


def _summaries(
    key: str, *, public: bool, filter_q: Q | None = None, individual_q: Q | None = None
) -> dict[int, DetectionSummary]:
    """Detection summaries keyed by `key` ("individual" or "individual__identity"): one
    query, camera observations and genetic samples each grouped by key and country, as a
    UNION. `filter_q` limits the keys (a lookup on `key`); `individual_q` the individuals
    counted (a lookup relative to the individual)."""
    parts = (
        (camera_detections(public=public), "station__country", TruncDate("event_start")),
        (sample_detections(public=public), "country", F("collected_on")),
    )
    grouped = []
    for detections, country, day in parts:
        queryset = detections if filter_q is None else detections.filter(filter_q)
        if individual_q is not None:
            queryset = queryset.filter(
                individual__in=Individual.objects.filter(individual_q).values("pk")
            )
        grouped.append(
            queryset.filter(**{f"{key}__isnull": False})
            .annotate(animal=F(key), place=F(country), place_iso=F(f"{country}__iso_a3"), day=day)
            .values("animal", "place", "place_iso")
            .annotate(first=Min("day"), last=Max("day"), n=Count("pk"))
            .order_by()
        )
    merged: dict[int, list[CountryDetections]] = {}
    for row in grouped[0].union(grouped[1], all=True):
        merged.setdefault(row["animal"], []).append(
            CountryDetections(row["place"], row["place_iso"], row["first"], row["last"], row["n"])
        )
    return {pk: merge_summaries([DetectionSummary(rows)]) for pk, rows in merged.items()}


def merge_summaries(summaries: Iterable[DetectionSummary]) -> DetectionSummary:
    """One summary of several (an identity's individuals', or one's camera and genetic
    detections): by country, the earliest first, the latest last, the counts added."""
    by_country: dict[int, CountryDetections] = {}
    for summary in summaries:
        for row in summary.countries:
            found = by_country.get(row.country_id)
            if found is None:
                by_country[row.country_id] = CountryDetections(
                    row.country_id, row.iso_a3, row.first, row.last, row.count
                )
            else:
                found.first = min(found.first, row.first)
                found.last = max(found.last, row.last)
                found.count += row.count
    return DetectionSummary(sorted(by_country.values(), key=lambda c: (c.first, c.iso_a3)))


def individual_detection_summaries(
    individual_ids: Iterable[int] | None = None, *, public: bool = False
) -> dict[int, DetectionSummary]:
    """Each individual's detections (all individuals, or these): individual id → summary.
    Individuals never detected are absent."""
    filter_q = None if individual_ids is None else Q(individual__in=list(individual_ids))
    return _summaries("individual", public=public, filter_q=filter_q)


def identity_detection_summaries(
    identity_ids: Iterable[int] | None = None, *, public: bool = False
) -> dict[int, DetectionSummary]:
    """Each cross-border identity's detections: the union of its individuals'. With `public`,
    only its individuals of published datasets count."""
    filter_q = None if identity_ids is None else Q(individual__identity__in=list(identity_ids))
    individual_q = Q(dataset__publication_state=PUBLISHED) if public else None
    return _summaries(
        "individual__identity", public=public, filter_q=filter_q, individual_q=individual_q
    )


def individual_detection_summary(individual: Individual) -> DetectionSummary:
    return individual_detection_summaries([individual.pk]).get(individual.pk, DetectionSummary())


def identity_detection_summary(identity: CrossBorderIdentity) -> DetectionSummary:
    return identity_detection_summaries([identity.pk]).get(identity.pk, DetectionSummary())


@dataclass
class Detection:
    """One detection, for staff: where exactly (station or sample point) and when."""

    kind: str  # "camera" or "sample"
    record_id: int
    reference: str  # the observation's or sample's id in its dataset
    day: date
    country_id: int
    iso_a3: str
    point: object  # a GEOS Point, exact
    individual_id: int
    occurrence_id: int


def detections_in_time_order(individual_ids: Iterable[int]) -> list[Detection]:
    """The detections of these individuals, oldest first, with their exact points (staff
    only: a station's or sample's point is never public). Two queries."""
    ids = list(individual_ids)
    found = [
        Detection(
            "camera",
            o.pk,
            o.observation_id,
            o.event_start.date(),
            o.station.country_id,
            o.station.country.iso_a3,
            o.station.location,
            o.individual_id,
            o.occurrence_id,
        )
        for o in CameraObservation.objects.filter(individual__in=ids)
        .select_related("station__country")
        .only(
            "observation_id",
            "event_start",
            "individual_id",
            "occurrence_id",
            "station__location",
            "station__country_id",
            "station__country__iso_a3",
        )
    ]
    found += [
        Detection(
            "sample",
            s.pk,
            s.sample_id,
            s.collected_on,
            s.country_id,
            s.country.iso_a3,
            s.location,
            s.individual_id,
            s.occurrence_id,
        )
        for s in GeneticSample.objects.filter(individual__in=ids)
        .select_related("country")
        .only(
            "sample_id",
            "collected_on",
            "individual_id",
            "occurrence_id",
            "location",
            "country_id",
            "country__iso_a3",
        )
    ]
    return sorted(found, key=lambda d: (d.day, d.kind, d.record_id))


def individuals_visible_to(user) -> QuerySet[Individual]:
    """The individuals a staff member sees: a focal point those detected in its countries."""
    return records_visible_to(user, Individual.objects.all())


def match_candidates(individual: Individual) -> QuerySet[Individual]:
    """Individuals that may be proposed as the same animal as `individual`: same species,
    another dataset, not already of its identity. A focal point picks among them by code
    and dataset only (their detections, in another country, stay out of its sight)."""
    queryset = Individual.objects.filter(species_id=individual.species_id).exclude(
        dataset_id=individual.dataset_id
    )
    if individual.identity_id:
        queryset = queryset.exclude(identity_id=individual.identity_id)
    return queryset.select_related("dataset").order_by("dataset__title", "code")


def individual_media(individual: Individual, media_id: str) -> Media | None:
    """A photo or video showing this individual (on one of its camera observations)."""
    return (
        Media.objects.filter(media_id=media_id, observations__individual=individual)
        .distinct()
        .first()
    )


@dataclass
class Animal:
    """One animal as the figures count it: a cross-border identity (its individuals
    together), or an individual in none."""

    kind: str  # "identity" or "individual"
    pk: int
    species_id: int
    members: list[Individual]
    summary: DetectionSummary

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.pk}"


def animals_detected(*, public: bool, species=None) -> list[Animal]:
    """Every animal with detections (of one species, or all). With `public`, only
    individuals of published datasets and detections whose occurrences are published:
    a draft dataset's animals, codes and detections are left out. Two queries."""
    individual_q = Q(dataset__publication_state=PUBLISHED) if public else Q()
    if species is not None:
        individual_q &= Q(species=species)
    by_individual = _summaries("individual", public=public, individual_q=individual_q)
    found: dict[tuple[str, int], Animal] = {}
    members = (
        Individual.objects.filter(pk__in=list(by_individual))
        .select_related("dataset")
        .only("code", "species_id", "identity_id", "dataset__title", "dataset__identifier")
        .order_by("dataset__title", "code")
    )
    for individual in members:
        if individual.identity_id is not None:
            kind, pk = "identity", individual.identity_id
        else:
            kind, pk = "individual", individual.pk
        animal = found.setdefault(
            (kind, pk), Animal(kind, pk, individual.species_id, [], DetectionSummary())
        )
        animal.members.append(individual)
    for animal in found.values():
        animal.summary = merge_summaries(by_individual[m.pk] for m in animal.members)
    return list(found.values())


def detection_cells(individual_ids: Iterable[int], cell_m: float) -> list[tuple[int, float, float]]:
    """(individual id, longitude, latitude) of each public detection of these individuals,
    its point (the occurrence's) snapped to the equal-area grid node of `cell_m` metres in
    the database: the exact point never leaves it."""
    ids = list(individual_ids)
    snapped = Transform(
        SnapToGrid(Transform("occurrence__location", EQUAL_AREA_GRID_SRID), cell_m),
        STORAGE_SRID,
    )
    cells = []
    for queryset in (camera_detections(public=True), sample_detections(public=True)):
        rows = queryset.filter(individual__in=ids).annotate(cell=snapped)
        cells += [(pk, cell.x, cell.y) for pk, cell in rows.values_list("individual_id", "cell")]
    return cells


def species_transborder_summary(species) -> dict:
    """For a species page: the animals identified in published datasets, those known to use
    more than one country (a cross-border identity counts once), and the datasets behind
    the figures. Only detections whose occurrences are published count, so a draft
    dataset never does."""
    animals = animals_detected(public=True, species=species)
    dataset_ids = {member.dataset_id for animal in animals for member in animal.members}
    return {
        "animals": len(animals),
        "crossing": sum(1 for animal in animals if animal.summary.crosses_border),
        "datasets": list(
            MonitoringDataset.objects.published()
            .filter(pk__in=dataset_ids)
            .only("title", "identifier", "source_url", "citation")
            .order_by("title")
        ),
    }


def movement_tracks(
    *, user, individual_ids: Iterable[int] | None = None, crossing_only: bool = False
) -> list[dict]:
    """Each animal's detections in time order, for the staff map: a cross-border identity
    is one animal (its individuals' detections together), another individual is its own.
    Only animals the user sees (a focal point: those detected in its countries); points
    exact where it may see them exactly (`species.models.exact_location_countries`: the
    Secretariat everywhere, a focal point in its countries), the equal-area grid node of
    `SENSITIVE_GRID_M` elsewhere. `crossing_only` keeps animals seen in two countries."""
    visible = individuals_visible_to(user)
    if individual_ids is not None:
        visible = visible.filter(pk__in=list(individual_ids))
    seeds = list(visible.values_list("pk", "identity_id"))
    identity_ids = {identity for _pk, identity in seeds if identity}
    members = Individual.objects.filter(
        Q(pk__in=[pk for pk, _identity in seeds]) | Q(identity_id__in=identity_ids)
    ).select_related("species", "dataset", "identity")
    animals: dict[tuple[str, int], list[Individual]] = {}
    for individual in members:
        key = (
            ("identity", individual.identity_id)
            if individual.identity_id
            else ("individual", individual.pk)
        )
        animals.setdefault(key, []).append(individual)
    detections = detections_in_time_order(i.pk for group in animals.values() for i in group)
    by_individual: dict[int, list[Detection]] = {}
    for detection in detections:
        by_individual.setdefault(detection.individual_id, []).append(detection)
    exact_countries = exact_location_countries(user)
    cell_m = settings.SENSITIVE_GRID_M
    tracks = []
    for (kind, pk), group in animals.items():
        found = sorted(
            (d for i in group for d in by_individual.get(i.pk, [])),
            key=lambda d: (d.day, d.kind, d.record_id),
        )
        countries = sorted({d.iso_a3 for d in found})
        if not found or (crossing_only and len(countries) < 2):
            continue
        points = []
        for detection in found:
            exact = exact_countries is None or detection.country_id in exact_countries
            point = detection.point if exact else snap_to_equal_area_grid(detection.point, cell_m)
            points.append(
                {
                    "lon": round(point.x, 6),
                    "lat": round(point.y, 6),
                    "day": detection.day.isoformat(),
                    "country": detection.iso_a3,
                    "kind": detection.kind,
                    "reference": detection.reference,
                    "exact": exact,
                }
            )
        first = group[0]
        tracks.append(
            {
                "key": f"{kind}-{pk}",
                "label": str(first.identity) if kind == "identity" else str(first),
                "species": first.species.common_name,
                "countries": countries,
                "points": points,
            }
        )
    return sorted(tracks, key=lambda t: (t["species"], t["label"]))
