import datetime

import pytest
from django.core.exceptions import ValidationError

from meetings.models import END_DATE_BEFORE_START, Meeting
from tests.factories import MeetingFactory
from tests.model_rules import assert_clean_and_constraint_say

pytestmark = pytest.mark.django_db


def meeting_ending_before_it_starts():
    return Meeting(
        kind="som",
        title="SOM",
        slug="som",
        year=2007,
        start_date=datetime.date(2007, 3, 23),
        end_date=datetime.date(2007, 3, 22),
    )


def test_meeting_cannot_end_before_it_starts():
    with pytest.raises(ValidationError) as error:
        meeting_ending_before_it_starts().full_clean()
    assert "end_date" in error.value.message_dict


def test_year_must_match_the_start_date():
    meeting = Meeting(
        kind="som", title="SOM", slug="som", year=2008, start_date=datetime.date(2007, 3, 22)
    )
    with pytest.raises(ValidationError, match="year of the start date"):
        meeting.full_clean()


def test_readable_name():
    assert str(MeetingFactory(number="SOM-12", city="Beijing", year=2007)) == (
        "SOM-12, Beijing (2007)"
    )


def test_a_rule_checked_by_clean_and_by_its_constraint_says_one_thing():
    assert_clean_and_constraint_say(meeting_ending_before_it_starts, END_DATE_BEFORE_START)
