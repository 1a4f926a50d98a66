"""Camtrap DP 1.0 packages written by the tests (and bench/camtrap.py): a datapackage.json
and its three tables, as a folder or a zip, with every column of the schemas.

`tumen_package()` is the tests' own small package: two camera stations either side of the
China–Russia border near the Tumen, Amur leopards told apart by their individual IDs, one of
them (L-01) photographed on both sides. The coordinates are made up for the tests."""

import csv
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from monitoring.camtrap import DEPLOYMENTS, MEDIA, OBSERVATIONS

LEOPARD = "Panthera pardus orientalis"
# Either side of the tests' border at 130.65° E (see tests/imports/test_camtrap.py).
CHINA_STATION = (42.61873, 130.60417)
RUSSIA_STATION = (42.64391, 130.70254)


@dataclass
class Package:
    package: dict
    deployments: list[dict] = field(default_factory=list)
    media: list[dict] = field(default_factory=list)
    observations: list[dict] = field(default_factory=list)
    # Column lists as written (a test may misspell or drop one).
    columns: dict[str, list[str]] = field(
        default_factory=lambda: {
            "deployments": DEPLOYMENTS.names,
            "media": MEDIA.names,
            "observations": OBSERVATIONS.names,
        }
    )
    leave_out: tuple[str, ...] = ()

    def write_folder(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        package = dict(self.package)
        package["resources"] = [
            resource(name) for name in ("deployments", "media", "observations")
            if name not in self.leave_out
        ]  # fmt: skip
        (folder / "datapackage.json").write_text(json.dumps(package, indent=2), encoding="utf-8")
        for name in ("deployments", "media", "observations"):
            write_table(folder / f"{name}.csv", self.columns[name], getattr(self, name))
        return folder

    def write_zip(self, path: Path) -> Path:
        folder = self.write_folder(path.parent / f"{path.stem}_folder")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for part in sorted(folder.iterdir()):
                archive.write(part, part.name)
        return path


def resource(name: str) -> dict:
    return {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "UTF-8",
        "schema": f"https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0/{name}-table-schema.json",
    }


def write_table(path: Path, columns: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(column, "") for column in columns])


def package_metadata(identifier: str, title: str, **extra) -> dict:
    return {
        "profile": "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0/camtrap-dp-profile.json",
        "id": identifier,
        "name": identifier.rsplit("/", 1)[-1].lower(),
        "title": title,
        "created": "2016-12-01T00:00:00Z",
        "description": "Camera traps of a test network.",
        "contributors": [
            {"title": "Test camera network", "role": "rightsHolder"},
            {"title": "A. Tester", "role": "principalInvestigator", "organization": "Tests"},
        ],
        "licenses": [
            {"name": "CC-BY-4.0", "scope": "data"},
            {"name": "CC-BY-4.0", "scope": "media"},
        ],
        "bibliographicCitation": f"{title}. Test data.",
        "project": {
            "title": "Transborder movement of Amur leopards (test)",
            "samplingDesign": "targeted",
            "captureMethod": ["activityDetection"],
            "individualAnimals": True,
            "observationLevel": ["event"],
        },
        "spatial": {"type": "Point", "coordinates": [130.65, 42.63]},
        "temporal": {"start": "2015-03-01", "end": "2015-06-30"},
        "taxonomic": [{"scientificName": LEOPARD, "taxonRank": "subspecies"}],
        **extra,
    }


def deployment(deployment_id: str, lat: float, lon: float, **extra) -> dict:
    return {
        "deploymentID": deployment_id,
        "locationID": f"loc-{deployment_id}",
        "locationName": f"Site {deployment_id}",
        "latitude": str(lat),
        "longitude": str(lon),
        "coordinateUncertainty": "10",
        "deploymentStart": "2015-03-01T08:00:00+08:00",
        "deploymentEnd": "2015-06-30T18:00:00+08:00",
        "cameraID": f"cam-{deployment_id}",
        "cameraModel": "Reconyx HC500",
        "cameraHeight": "0.6",
        "featureType": "trailGame",
        "habitat": "Mixed forest",
        **extra,
    }


def media_row(media_id: str, deployment_id: str, timestamp: str, **extra) -> dict:
    return {
        "mediaID": media_id,
        "deploymentID": deployment_id,
        "captureMethod": "activityDetection",
        "timestamp": timestamp,
        "filePath": f"https://example.org/media/{media_id}.jpg",
        "filePublic": "false",
        "fileName": f"{media_id}.jpg",
        "fileMediatype": "image/jpeg",
        **extra,
    }


def observation(
    observation_id: str, deployment_id: str, start: str, name: str = LEOPARD, **extra
) -> dict:
    return {
        "observationID": observation_id,
        "deploymentID": deployment_id,
        "eventID": f"event-{observation_id}",
        "eventStart": start,
        "eventEnd": start,
        "observationLevel": "event",
        "observationType": "animal" if name else "blank",
        "scientificName": name,
        "count": "1" if name else "",
        "lifeStage": "adult" if name else "",
        "classificationMethod": "human",
        "classifiedBy": "A. Tester",
        **extra,
    }


def tumen_package(identifier: str = "https://doi.org/10.0000/test-tumen-leopards") -> Package:
    """Two stations across the border; leopards L-01 (both sides) and L-02 (China); a roe
    deer (not a portal species) and a blank event are skipped."""
    package = Package(package_metadata(identifier, "Amur leopards of the Tumen borderland"))
    package.deployments = [
        deployment("CN-01", *CHINA_STATION),
        deployment("RU-01", *RUSSIA_STATION),
    ]
    package.media = [
        media_row("m1", "CN-01", "2015-03-10T21:14:05+08:00"),
        media_row("m2", "RU-01", "2015-03-12T02:40:00+10:00"),
        media_row("m3", "CN-01", "2015-04-02T05:10:00+08:00"),
    ]
    package.observations = [
        observation(
            "o1", "CN-01", "2015-03-10T21:14:05+08:00", mediaID="m1", individualID="L-01",
            sex="male",
        ),
        observation(
            "o2", "RU-01", "2015-03-12T02:40:00+10:00", mediaID="m2", individualID="L-01",
            sex="male",
        ),
        observation("o3", "CN-01", "2015-04-02T05:10:00+08:00", mediaID="m3", individualID="L-02"),
        observation("o4", "RU-01", "2015-04-05T06:00:00+10:00", name="Capreolus pygargus"),
        observation("o5", "RU-01", "2015-04-06T06:00:00+10:00", name=""),
    ]  # fmt: skip
    return package
