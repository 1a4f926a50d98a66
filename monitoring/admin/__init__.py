"""The monitoring admin, in three modules: the imported records (datasets, stations, media,
observations, genetic samples), the individuals with their identities, and the
cross-border matches."""

from . import individuals, matches, records  # noqa: F401
