"""Checks shared by the apps' model tests."""

import pytest
from django.core.exceptions import ValidationError


def assert_clean_and_constraint_say(make_record, message) -> None:
    """A rule stated twice, in clean() (which puts the message on its field) and as a
    database constraint (which model validation checks too), refuses a record in one wording.
    `make_record` builds a fresh record breaking the rule."""
    with pytest.raises(ValidationError) as by_clean:
        make_record().clean()
    with pytest.raises(ValidationError) as by_constraint:
        make_record().validate_constraints()
    assert by_clean.value.messages == by_constraint.value.messages == [message]
