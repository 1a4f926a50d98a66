"""The monitoring admin, in two modules: the imported records (datasets, stations, media,
observations, genetic samples) and the individuals with their cross-border matches."""

from . import individuals, records  # noqa: F401
