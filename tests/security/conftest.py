"""The governance tests' users and countries (a Mongolian focal point, Mongolia and Russia,
the Secretariat editor) and their login-throttling switch.

Imported rather than defined again; should they move to tests/conftest.py, this file goes."""

from tests.governance.conftest import (  # noqa: F401 - fixtures, found by name
    editor_client,
    focal_client,
    mongolia,
    mongolia_focal_point,
    roles,
    russia,
    secretariat_editor,
)
from tests.governance.test_security import throttled  # noqa: F401 - a fixture, found by name
