"""A broker that is down never breaks an edit or a page (a real unreachable URL, no mock)."""

import logging

import pytest
from django.db import transaction

from dashboards.models import DashboardRebuildRequest, DashboardSnapshot
from dashboards.services import dashboard_snapshot_rebuild
from meetings.models import Decision
from tests.factories import DecisionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_an_edit_saves_when_the_broker_is_down(
    broker_down, django_capture_on_commit_callbacks, dashboard_defaults, caplog
):
    meeting = MeetingFactory()
    with (
        caplog.at_level(logging.WARNING, logger="dashboards.queueing"),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        decision = DecisionFactory(meeting=meeting, follow_up_status="done")
    assert Decision.objects.filter(pk=decision.pk, follow_up_status="done").exists()
    assert "Dashboard rebuild of meeting-follow-up not queued: broker unavailable" in caplog.text
    # The request is not left "queued": the next edit tries again.
    assert not DashboardRebuildRequest.objects.get(indicator="meeting-follow-up").pending
    assert not DashboardSnapshot.objects.exists()


def test_pages_show_the_last_snapshot_when_the_broker_is_down(
    broker_down, client, django_capture_on_commit_callbacks, dashboard_defaults
):
    DecisionFactory()
    snapshot = dashboard_snapshot_rebuild(indicator="meeting-follow-up")
    # A change the dashboards cannot catch up with: its rebuild cannot be queued.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        DecisionFactory()
    assert not DashboardRebuildRequest.objects.get(indicator="meeting-follow-up").pending
    computed = f'<time datetime="{snapshot.computed_at.isoformat()}">'
    overview = client.get("/dashboards/")
    assert overview.status_code == 200
    assert "<dt>1</dt><dd>meeting decision recorded</dd>" in overview.text
    assert computed in overview.text
    page = client.get("/dashboards/meeting-follow-up/")
    assert page.status_code == 200
    assert computed in page.text
    assert client.get("/dashboards/meeting-follow-up.json").json()["data"]["totals"]["total"] == 1


def test_admin_rebuild_reports_a_down_broker(broker_down, staff_client, dashboard_defaults):
    response = staff_client.post(
        "/admin/dashboards/dashboardrebuildrequest/",
        {
            "action": "rebuild",
            "_selected_action": list(DashboardRebuildRequest.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "could not be reached" in response.content.decode()
