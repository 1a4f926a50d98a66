"""A broker that is down never breaks an edit or a page (a real unreachable URL, no mock)."""

import time

import pytest
from django.db import transaction

from dashboards.models import DashboardRebuildRequest, DashboardSnapshot
from dashboards.services import dashboard_snapshot_rebuild
from meetings.models import Decision
from tests.factories import DecisionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_an_edit_saves_when_the_broker_is_down(
    broker_down, django_capture_on_commit_callbacks, dashboard_defaults
):
    meeting = MeetingFactory()
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        decision = DecisionFactory(meeting=meeting, follow_up_status="done")
    assert time.monotonic() - started < 3, "an unreachable broker must fail fast"
    assert Decision.objects.filter(pk=decision.pk, follow_up_status="done").exists()
    # The request is not left "queued": the next edit tries again.
    assert not DashboardRebuildRequest.objects.get(indicator="meeting-follow-up").pending
    assert not DashboardSnapshot.objects.exists()


def test_pages_show_the_last_snapshot_when_the_broker_is_down(broker_down, client):
    DecisionFactory()
    snapshot = dashboard_snapshot_rebuild(indicator="meeting-follow-up")
    with transaction.atomic():
        DecisionFactory()  # a change the dashboards have not caught up with
    for url in ["/dashboards/", "/dashboards/meeting-follow-up/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert snapshot.computed_at.strftime("%H:%M") in response.content.decode()
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
