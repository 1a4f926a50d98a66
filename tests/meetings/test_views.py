import datetime

import pytest

from common.models import PublicationState
from tests.factories import (
    DecisionFactory,
    MeetingDocumentFactory,
    MeetingFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def test_meetings_are_listed_by_year_newest_first_and_drafts_404(client):
    MeetingFactory(title="Old meeting", year=2015)
    MeetingFactory(title="New meeting", year=2024)
    draft = MeetingFactory(title="Draft meeting", publication_state=PublicationState.DRAFT)
    html = client.get("/meetings/").text
    assert html.index('id="year-2024"') < html.index('id="year-2015"')
    assert html.index("New meeting") < html.index("Old meeting")
    assert "Draft meeting" not in html
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_meeting_page_shows_date_place_documents_decisions_and_projects(client):
    meeting = MeetingFactory(
        title="SOM-25", year=2024, start_date=datetime.date(2024, 8, 28), city="Incheon"
    )
    MeetingDocumentFactory(meeting=meeting, title="Report of SOM-25")
    project = ProjectFactory(title="Migratory birds", approved_at=meeting)
    decision = DecisionFactory(
        meeting=meeting, text="Endorsed the bird project.", follow_up_status="in_progress"
    )
    decision.related_projects.add(project)
    ProjectFactory(title="Draft approval", approved_at=meeting, publication_state="draft")

    html = client.get(meeting.get_absolute_url()).text
    assert 'datetime="2024-08-28"' in html
    assert "Incheon" in html
    assert "Report of SOM-25" in html
    assert "Endorsed the bird project." in html
    assert "Follow-up: In progress" in html
    assert html.count("Migratory birds") == 2  # under the decision and as approved
    assert "Draft approval" not in html


def test_meeting_labels_are_translated(client):
    meeting = MeetingFactory(kind="som")
    DecisionFactory(meeting=meeting, follow_up_status="done")
    html = client.get(f"/ru{meeting.get_absolute_url()}").text
    assert "Совещание старших должностных лиц" in html
    assert "Выполнено" in html


def test_meeting_pages_use_a_constant_number_of_queries(client, django_assert_max_num_queries):
    meeting = MeetingFactory()
    for _ in range(12):
        MeetingFactory()
        MeetingDocumentFactory(meeting=meeting)
        DecisionFactory(meeting=meeting).related_projects.add(ProjectFactory())
        ProjectFactory(approved_at=meeting)
    with django_assert_max_num_queries(6):
        client.get("/meetings/")
    with django_assert_max_num_queries(10):
        client.get(meeting.get_absolute_url())
