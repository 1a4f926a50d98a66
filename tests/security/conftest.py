"""The governance tests' users and countries: a Mongolian focal point, Mongolia and Russia.

Imported rather than defined again; should they move to tests/conftest.py, this file goes."""

from tests.governance.conftest import (  # noqa: F401 - fixtures, found by name
    focal_client,
    mongolia,
    mongolia_focal_point,
    roles,
    russia,
)
