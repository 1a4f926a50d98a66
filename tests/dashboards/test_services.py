"""Snapshots, de-duplicated rebuild requests, the claim a rebuild acts on, and the on-commit
trigger."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from dashboards import services, signals
from dashboards.models import DashboardRebuildRequest, DashboardSnapshot
from dashboards.queueing import dashboards_request_rebuild
from dashboards.registry import INDICATORS
from dashboards.selectors import dashboard_history, dashboard_latest
from dashboards.services import dashboard_snapshot_rebuild
from dashboards.tasks import rebuild_dashboard, requeue_lost_dashboard_rebuilds
from protected_areas.models import ProtectedArea
from tests.factories import DecisionFactory, MeetingFactory, ProtectedAreaFactory

pytestmark = pytest.mark.django_db
FOLLOW_UP = "meeting-follow-up"


class StoppedClock:
    """A clock that moves only when the computation says so."""

    def __init__(self):
        self.now = 1000.0

    def perf_counter(self) -> float:
        return self.now


def test_rebuild_records_a_snapshot_with_its_timing(monkeypatch, database_label):
    DecisionFactory()
    clock = StoppedClock()
    compute = INDICATORS[FOLLOW_UP].compute

    def compute_taking_two_and_a_half_seconds(**parameters):
        clock.now += 2.5
        return compute(**parameters)

    monkeypatch.setattr(services, "time", clock)
    monkeypatch.setattr(INDICATORS[FOLLOW_UP], "compute", compute_taking_two_and_a_half_seconds)
    snapshot = dashboard_snapshot_rebuild(indicator=FOLLOW_UP)
    assert snapshot.data["totals"]["total"] == 1
    assert snapshot.duration_seconds == 2.5
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


def _requested_run(indicator: str, **options):
    return rebuild_dashboard.apply(args=[indicator], kwargs={"requested": True}, **options).get()


def test_a_rebuild_an_edit_requested_claims_the_request_and_rebuilds():
    DecisionFactory()
    DashboardRebuildRequest.objects.update_or_create(
        indicator=FOLLOW_UP, defaults={"pending": True, "requested_at": timezone.now()}
    )
    snapshot_id = _requested_run(FOLLOW_UP)
    assert DashboardSnapshot.objects.get(pk=snapshot_id).indicator == FOLLOW_UP
    assert not DashboardRebuildRequest.objects.get(indicator=FOLLOW_UP).pending


def test_a_requested_rebuild_another_run_claimed_does_nothing():
    """The same task delivered twice, or a rebuild from the admin that ran first."""
    DecisionFactory()
    DashboardRebuildRequest.objects.update_or_create(
        indicator=FOLLOW_UP, defaults={"pending": True, "requested_at": timezone.now()}
    )
    first = _requested_run(FOLLOW_UP)
    assert _requested_run(FOLLOW_UP) is None
    assert list(DashboardSnapshot.objects.values_list("pk", flat=True)) == [first]


def test_a_retry_rebuilds_though_its_first_attempt_made_the_claim():
    DecisionFactory()
    DashboardRebuildRequest.objects.update_or_create(indicator=FOLLOW_UP)
    assert _requested_run(FOLLOW_UP, retries=1) is not None
    assert DashboardSnapshot.objects.filter(indicator=FOLLOW_UP).exists()


def test_a_rebuild_from_the_admin_runs_and_takes_over_a_queued_request():
    DecisionFactory()
    DashboardRebuildRequest.objects.update_or_create(
        indicator=FOLLOW_UP, defaults={"pending": True, "requested_at": timezone.now()}
    )
    snapshot_id = rebuild_dashboard.apply(args=[FOLLOW_UP]).get()
    assert not DashboardRebuildRequest.objects.get(indicator=FOLLOW_UP).pending
    # The edit's own run, arriving later, has nothing left to do.
    assert _requested_run(FOLLOW_UP) is None
    assert list(DashboardSnapshot.objects.values_list("pk", flat=True)) == [snapshot_id]


def test_a_rebuild_from_the_admin_runs_with_nothing_queued():
    DecisionFactory()
    assert rebuild_dashboard.apply(args=[FOLLOW_UP]).get() is not None
    assert DashboardSnapshot.objects.filter(indicator=FOLLOW_UP).exists()


@pytest.fixture
def rebuild_requests(monkeypatch):
    """Each set of indicators the edits ask to rebuild, in order (the requests go through)."""
    requests = []

    def request(*, indicators):
        requests.append(set(indicators))
        return dashboards_request_rebuild(indicators=indicators)

    monkeypatch.setattr(signals, "dashboards_request_rebuild", request)
    return requests


def test_a_bulk_edit_in_one_transaction_requests_its_rebuild_once(
    django_capture_on_commit_callbacks, rebuild_requests
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        meeting = MeetingFactory()
        for _ in range(200):
            DecisionFactory(meeting=meeting)
    assert rebuild_requests == [{FOLLOW_UP}]
    assert DashboardSnapshot.objects.get(indicator=FOLLOW_UP).data["totals"]["total"] == 200


def test_nothing_is_requested_before_the_transaction_commits(
    django_capture_on_commit_callbacks, rebuild_requests
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        DecisionFactory()
    assert rebuild_requests == []
    for callback in callbacks:
        callback()
    assert rebuild_requests == [{FOLLOW_UP}]


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
        "population-trends",  # whether an estimate may name its area
    }


def test_a_rolled_back_transaction_requests_nothing_and_does_not_swallow_the_next_one(
    django_capture_on_commit_callbacks, rebuild_requests
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ProtectedAreaFactory()
        raise RuntimeError
    assert rebuild_requests == []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        DecisionFactory()
    assert rebuild_requests == [{FOLLOW_UP}]
    assert DashboardSnapshot.objects.filter(indicator=FOLLOW_UP).exists()


def test_edits_can_be_kept_from_triggering_rebuilds(
    settings, django_capture_on_commit_callbacks, rebuild_requests
):
    settings.DASHBOARDS_REBUILD_ON_EDIT = False
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        DecisionFactory()
    assert rebuild_requests == []
    assert not DashboardSnapshot.objects.exists()


def test_publishing_through_the_workflow_queues_a_rebuild(
    django_user_model, django_capture_on_commit_callbacks, rebuild_requests
):
    """The workflow saves in bulk (no post_save): it must still trigger the rebuild."""
    from governance.services import publication_publish  # noqa: PLC0415

    editor = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    with django_capture_on_commit_callbacks(execute=True):
        area = ProtectedAreaFactory(publication_state="in_review")
    rebuild_requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        published = publication_publish(
            user=editor, queryset=ProtectedArea.objects.filter(pk=area.pk)
        )
    assert published == 1
    [requested] = rebuild_requests
    assert "transboundary-pairs" in requested
    pairs = dashboard_latest(indicator="transboundary-pairs").snapshot
    assert pairs.data["protected_areas_considered"] == 1


# -- Rebuilds lost with a worker ------------------------------------------------------------
def _pending_since(seconds_ago: float) -> None:
    DashboardRebuildRequest.objects.update_or_create(
        indicator=FOLLOW_UP,
        defaults={
            "pending": True,
            "requested_at": timezone.now() - timedelta(seconds=seconds_ago),
        },
    )


def _lost_after(settings) -> float:
    """A task claims its request when it starts: after the delay, or, behind another
    rebuild, within the task's time limit; a request pending longer was lost."""
    return settings.DASHBOARDS_REBUILD_DELAY_SECONDS + settings.DASHBOARDS_TASK_TIME_LIMIT


def test_the_next_edit_queues_a_request_lost_with_its_worker_again(settings):
    """A worker died holding the task: the request stayed pending, and only a request
    older than the task could possibly be is taken as lost."""
    DecisionFactory()
    _pending_since(_lost_after(settings) - 5)
    assert dashboards_request_rebuild(indicators=[FOLLOW_UP]) == []
    _pending_since(_lost_after(settings) + 5)
    assert dashboards_request_rebuild(indicators=[FOLLOW_UP]) == [FOLLOW_UP]
    assert DashboardSnapshot.objects.filter(indicator=FOLLOW_UP).count() == 1
    assert not DashboardRebuildRequest.objects.get(indicator=FOLLOW_UP).pending


def test_the_schedule_sends_a_lost_request_again_without_an_edit(settings):
    DecisionFactory()
    _pending_since(_lost_after(settings) + 5)
    # Tests run tasks eagerly: the request is sent, claimed and rebuilt at once.
    assert requeue_lost_dashboard_rebuilds.apply().get() == [FOLLOW_UP]
    assert DashboardSnapshot.objects.filter(indicator=FOLLOW_UP).count() == 1
    assert not DashboardRebuildRequest.objects.get(indicator=FOLLOW_UP).pending


def test_the_schedule_leaves_a_request_whose_task_may_still_come(settings):
    _pending_since(_lost_after(settings) - 5)
    assert requeue_lost_dashboard_rebuilds.apply().get() == []
    assert DashboardRebuildRequest.objects.get(indicator=FOLLOW_UP).pending
    assert not DashboardSnapshot.objects.exists()


def test_two_sweeps_at_once_send_a_lost_request_once(settings):
    _pending_since(_lost_after(settings) + 5)
    assert services.dashboard_stale_requests_reclaim() == [FOLLOW_UP]
    assert services.dashboard_stale_requests_reclaim() == []
    # Still pending: the task sent now claims it as any other.
    assert DashboardRebuildRequest.objects.get(indicator=FOLLOW_UP).pending


def test_the_sweep_is_on_the_schedule(celery_app, settings):
    [entry] = [
        entry
        for entry in celery_app.conf.beat_schedule.values()
        if entry["task"] == requeue_lost_dashboard_rebuilds.name
    ]
    assert entry["schedule"] == settings.DASHBOARDS_LOST_REBUILD_SWEEP_SECONDS
    assert requeue_lost_dashboard_rebuilds.name in celery_app.tasks
