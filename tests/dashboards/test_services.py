"""Snapshots, de-duplicated rebuild requests and the on-commit trigger."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from dashboards.models import DashboardRebuildRequest, DashboardSnapshot
from dashboards.selectors import dashboard_history, dashboard_latest
from dashboards.services import (
    dashboard_snapshot_rebuild,
    dashboards_request_rebuild,
)
from protected_areas.models import ProtectedArea
from tests.factories import DecisionFactory, MeetingFactory, ProtectedAreaFactory

pytestmark = pytest.mark.django_db
FOLLOW_UP = "meeting-follow-up"


def test_rebuild_records_a_snapshot_with_its_timing(database_label):
    DecisionFactory()
    snapshot = dashboard_snapshot_rebuild(indicator=FOLLOW_UP)
    assert snapshot.data["totals"]["total"] == 1
    assert snapshot.duration_seconds >= 0
    assert snapshot.database == database_label
    assert dashboard_latest(indicator=FOLLOW_UP).snapshot == snapshot


def test_rebuild_twice_adds_no_history_but_confirms_the_figures():
    DecisionFactory()
    first = dashboard_snapshot_rebuild(indicator=FOLLOW_UP)
    second = dashboard_snapshot_rebuild(indicator=FOLLOW_UP)
    assert second.pk == first.pk
    assert second.checked_at > first.checked_at
    assert DashboardSnapshot.objects.count() == 1


def test_changed_figures_add_a_snapshot_and_keep_the_old_one():
    decision = DecisionFactory()
    first = dashboard_snapshot_rebuild(indicator=FOLLOW_UP)
    decision.follow_up_status = "done"
    decision.save()
    second = dashboard_snapshot_rebuild(indicator=FOLLOW_UP)
    assert second.pk != first.pk
    assert dashboard_latest(indicator=FOLLOW_UP).snapshot == second
    history = dashboard_history(indicator=FOLLOW_UP)
    assert [entry["computed_at"] for entry in history] == [second.computed_at, first.computed_at]
    assert history[0]["headline"][1] == ("of them followed up (done)", 1)


def test_a_queued_rebuild_is_not_queued_again(celery_app):
    DashboardRebuildRequest.objects.update_or_create(
        indicator=FOLLOW_UP, defaults={"pending": True, "requested_at": timezone.now()}
    )
    assert dashboards_request_rebuild(indicators=[FOLLOW_UP]) == []
    assert not DashboardSnapshot.objects.exists()


def test_a_stale_queued_rebuild_is_queued_again():
    DashboardRebuildRequest.objects.update_or_create(
        indicator=FOLLOW_UP,
        defaults={"pending": True, "requested_at": timezone.now() - timedelta(days=1)},
    )
    # Tests run tasks eagerly (no REDIS_URL): the rebuild happens and clears the flag.
    assert dashboards_request_rebuild(indicators=[FOLLOW_UP]) == [FOLLOW_UP]
    assert DashboardSnapshot.objects.filter(indicator=FOLLOW_UP).count() == 1
    assert not DashboardRebuildRequest.objects.get(indicator=FOLLOW_UP).pending


def _dashboard_flushes(callbacks):
    return [c for c in callbacks if hasattr(c, "dashboard_indicators")]


def test_a_bulk_edit_in_one_transaction_queues_one_flush(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        meeting = MeetingFactory()
        for _ in range(200):
            DecisionFactory(meeting=meeting)
    [flush] = _dashboard_flushes(callbacks)
    assert flush.dashboard_indicators == {FOLLOW_UP}


def test_the_flush_rebuilds_what_the_edits_touched(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        DecisionFactory()
    assert set(DashboardSnapshot.objects.values_list("indicator", flat=True)) == {FOLLOW_UP}

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ProtectedAreaFactory()  # and its country, which the portfolio names
    assert set(DashboardSnapshot.objects.values_list("indicator", flat=True)) == {
        FOLLOW_UP,
        "transboundary-pairs",
        "border-protection",
        "range-protection",
        "project-portfolio",
    }


def test_a_rolled_back_transaction_does_not_swallow_the_next_one(
    django_capture_on_commit_callbacks,
):
    with pytest.raises(RuntimeError), transaction.atomic():
        DecisionFactory()
        raise RuntimeError
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        DecisionFactory()
    assert len(_dashboard_flushes(callbacks)) == 1


def test_edits_can_be_kept_from_triggering_rebuilds(settings, django_capture_on_commit_callbacks):
    settings.DASHBOARDS_REBUILD_ON_EDIT = False
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        DecisionFactory()
    assert _dashboard_flushes(callbacks) == []


def test_publishing_through_the_workflow_queues_a_rebuild(
    django_user_model, django_capture_on_commit_callbacks
):
    """The workflow saves in bulk (no post_save): it must still trigger the rebuild."""
    from governance.services import publication_publish  # noqa: PLC0415

    editor = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    with django_capture_on_commit_callbacks(execute=True):
        area = ProtectedAreaFactory(publication_state="in_review")
    with django_capture_on_commit_callbacks() as callbacks:
        published = publication_publish(
            user=editor, queryset=ProtectedArea.objects.filter(pk=area.pk)
        )
    assert published == 1
    [flush] = _dashboard_flushes(callbacks)
    assert "transboundary-pairs" in flush.dashboard_indicators
