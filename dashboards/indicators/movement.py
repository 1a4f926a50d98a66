"""Indicator 7: transborder movement of individual animals — those detected (by camera
traps or genetic samples) in two or more countries, by species and country pair, with the
first and last detection and the number of detections on each side.

An animal is an individual, or a cross-border identity (individuals of several datasets
confirmed to be one animal), counted once. Only published datasets' individuals and
detections whose occurrences are published count. The snapshot is public: it holds counts,
dates, the datasets' codes for the animals and the equal-area grid cells
(`SENSITIVE_GRID_M`) of the detections — never a station, a sample or an exact point. Staff
see the exact tracks in the admin (monitoring's movement map)."""

from collections import defaultdict
from itertools import combinations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from monitoring.selectors import animals_detected, detection_cells
from species.models import Species

from ..models import Indicator
from .base import DashboardIndicator, Names, Table, bar_chart

CELL_DECIMALS = 4


def transborder_movement(*, grid_m: int = 10_000) -> dict:
    animals = animals_detected(public=True)
    slugs = dict(Species.objects.values_list("pk", "slug"))
    crossing = [animal for animal in animals if animal.summary.crosses_border]
    pairs: dict[tuple[str, str, str], dict] = {}
    rows = []
    for animal in crossing:
        species = slugs[animal.species_id]
        countries = {c.iso_a3: c for c in animal.summary.countries}
        for a, b in combinations(sorted(countries), 2):
            pair = pairs.setdefault(
                (species, a, b),
                {
                    "species": species,
                    "a": a,
                    "b": b,
                    "animals": 0,
                    "first": None,
                    "last": None,
                    "detections_a": 0,
                    "detections_b": 0,
                },
            )
            pair["animals"] += 1
            pair["detections_a"] += countries[a].count
            pair["detections_b"] += countries[b].count
            first = min(countries[a].first, countries[b].first).isoformat()
            last = max(countries[a].last, countries[b].last).isoformat()
            pair["first"] = min(pair["first"] or first, first)
            pair["last"] = max(pair["last"] or last, last)
        rows.append(
            {
                "species": species,
                "kind": animal.kind,
                "codes": [
                    {
                        "code": m.code,
                        "dataset": m.dataset.identifier,
                        "dataset_title": m.dataset.title,
                    }
                    for m in animal.members
                ],
                "first": animal.summary.first.isoformat(),
                "last": animal.summary.last.isoformat(),
                "detections": animal.summary.count,
                "countries": [
                    {
                        "country": c.iso_a3,
                        "first": c.first.isoformat(),
                        "last": c.last.isoformat(),
                        "detections": c.count,
                    }
                    for c in animal.summary.countries
                ],
            }
        )
    return {
        "grid_m": grid_m,
        "animals_identified": len(animals),
        "animals_crossing": len(crossing),
        "pairs": sorted(pairs.values(), key=lambda p: (p["species"], p["a"], p["b"])),
        "animals": sorted(rows, key=lambda r: (r["species"], r["first"], _codes(r))),
        "cells": _cells(crossing, slugs, grid_m),
    }


def _cells(crossing, slugs: dict, grid_m: int) -> list[dict]:
    """The grid cells where the crossing animals were detected: detections and animals."""
    animal_of = {m.pk: animal for animal in crossing for m in animal.members}
    detections: dict[tuple, int] = defaultdict(int)
    animals: dict[tuple, set] = defaultdict(set)
    for individual_id, lon, lat in detection_cells(animal_of, grid_m):
        animal = animal_of[individual_id]
        key = (slugs[animal.species_id], round(lon, CELL_DECIMALS), round(lat, CELL_DECIMALS))
        detections[key] += 1
        animals[key].add(animal.key)
    return [
        {
            "species": species,
            "lon": lon,
            "lat": lat,
            "detections": detections[(species, lon, lat)],
            "animals": len(animals[(species, lon, lat)]),
        }
        for species, lon, lat in sorted(detections)
    ]


def _codes(row: dict) -> str:
    return " = ".join(f"{c['code']} ({c['dataset_title']})" for c in row["codes"])


class TransborderMovement(DashboardIndicator):
    slug = Indicator.TRANSBORDER_MOVEMENT
    sources = gettext_lazy(
        "Individual animals of published camera-trap and genetic-sample datasets, their "
        "published detections, and confirmed cross-border identity matches. Places are "
        "shown as equal-area grid cells only."
    )
    depends_on = (
        "monitoring.MonitoringDataset",
        "monitoring.Individual",
        "monitoring.CameraObservation",
        "monitoring.GeneticSample",
        "monitoring.CrossBorderIdentity",
        "monitoring.IdentityMatch",
        "species.Occurrence",
    )
    compute = staticmethod(transborder_movement)

    def parameters(self) -> dict:
        return {"grid_m": settings.SENSITIVE_GRID_M}

    def table(self, data: dict) -> Table:
        headers = [
            _("Species"),
            _("Country A"),
            _("Country B"),
            _("Animals detected in both"),
            _("First detection"),
            _("Last detection"),
            _("Detections in A"),
            _("Detections in B"),
        ]
        names = Names.for_data(data)
        rows = [
            [
                names.species(p["species"]),
                names.country(p["a"]),
                names.country(p["b"]),
                p["animals"],
                p["first"],
                p["last"],
                p["detections_a"],
                p["detections_b"],
            ]
            for p in data["pairs"]
        ]
        return headers, rows

    def extra_table(self, data: dict):
        names = Names.for_data(data)
        headers = [
            _("Species"),
            _("Animal (code in each dataset)"),
            _("First detection"),
            _("Last detection"),
            _("Detections by country"),
        ]
        rows = [
            [
                names.species(row["species"]),
                _codes(row),
                row["first"],
                row["last"],
                "; ".join(
                    f"{names.country(c['country'])}: {c['detections']} ({c['first']} – {c['last']})"
                    for c in row["countries"]
                ),
            ]
            for row in data["animals"]
        ]
        return _("Animals detected in two or more countries"), headers, rows

    def charts(self, data: dict) -> list[dict]:
        names = Names.for_data(data)
        pairs = data["pairs"]
        return [
            bar_chart(
                _("Animals detected on both sides, by species and border"),
                [
                    f"{names.species(p['species'])}: {names.country(p['a'])} – "
                    f"{names.country(p['b'])}"
                    for p in pairs
                ],
                [{"label": _("Animals"), "data": [p["animals"] for p in pairs]}],
                horizontal=True,
            )
        ]

    def headline(self, data: dict) -> list[tuple[str, object]]:
        crossing, identified = data["animals_crossing"], data["animals_identified"]
        return [
            (
                ngettext(
                    "animal known to use more than one country",
                    "animals known to use more than one country",
                    crossing,
                ),
                crossing,
            ),
            (
                ngettext(
                    "individual animal identified", "individual animals identified", identified
                ),
                identified,
            ),
        ]

    def map(self, data: dict) -> dict | None:
        """The grid cells where animals seen in two countries were detected: counts only."""
        if not data["cells"]:
            return None
        names = Names.for_data(data)
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [cell["lon"], cell["lat"]]},
                "properties": {
                    "cell": True,
                    "label": ngettext(
                        "%(species)s: %(n)s detection of %(animals)s animal in this %(km)s km cell",
                        "%(species)s: %(n)s detections of %(animals)s animals in this %(km)s km "
                        "cell",
                        cell["detections"],
                    )
                    % {
                        "species": names.species(cell["species"]),
                        "n": cell["detections"],
                        "animals": cell["animals"],
                        "km": data["grid_m"] // 1000,
                    },
                },
            }
            for cell in data["cells"]
        ]
        return {
            "features": {"type": "FeatureCollection", "features": features},
            "legend": [
                (
                    "cell",
                    _("grid cell (%(km)s km) where an animal seen in two countries was detected")
                    % {"km": data["grid_m"] // 1000},
                )
            ],
        }
