"""The governance tests' users (a Mongolian focal point, the Secretariat editor) and their
login-throttling switch; the countries come from tests/conftest.py.

Imported rather than defined again; should they move to tests/conftest.py, this file goes."""

from tests.governance.conftest import (  # noqa: F401 - fixtures, found by name
    editor_client,
    focal_client,
    mongolia_focal_point,
    roles,
    secretariat_editor,
)
from tests.governance.test_security import throttled  # noqa: F401 - a fixture, found by name
