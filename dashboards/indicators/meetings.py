"""Indicator 6: decisions of each published meeting by follow-up status."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from meetings.models import FollowUpStatus, Meeting

from ..models import Indicator
from .base import DashboardIndicator, Table, bar_chart, choice_label


def meeting_follow_up() -> dict:
    counts = {
        status.value: Count("decisions", filter=Q(decisions__follow_up_status=status.value))
        for status in FollowUpStatus
    }
    meetings = (
        Meeting.objects.published()
        .annotate(total=Count("decisions"), **counts)
        .filter(total__gt=0)
        .order_by("-year", "-start_date", "title")
    )
    rows = [
        {
            "meeting": meeting.slug,
            "label": str(meeting),
            "title": meeting.title,
            "url": meeting.get_absolute_url(),
            "year": meeting.year,
            "total": meeting.total,
            **{status.value: getattr(meeting, status.value) for status in FollowUpStatus},
        }
        for meeting in meetings
    ]
    totals = {status.value: sum(row[status.value] for row in rows) for status in FollowUpStatus}
    return {
        "statuses": [{"status": s.value, "label": str(s.label)} for s in FollowUpStatus],
        "meetings": rows,
        "totals": {**totals, "total": sum(totals.values())},
    }


class MeetingFollowUp(DashboardIndicator):
    slug = Indicator.MEETING_FOLLOW_UP
    sources = gettext_lazy("Decisions of published meetings and their follow-up status.")
    depends_on = ("meetings.Meeting", "meetings.Decision")
    compute = staticmethod(meeting_follow_up)

    def table(self, data: dict) -> Table:
        statuses = data["statuses"]
        headers = [
            _("Meeting"),
            _("Year"),
            *[choice_label(FollowUpStatus, s["status"]) for s in statuses],
            _("Decisions"),
        ]
        rows = [
            [row["label"], row["year"], *[row[s["status"]] for s in statuses], row["total"]]
            for row in data["meetings"]
        ]
        return headers, rows

    def charts(self, data: dict) -> list[dict]:
        rows = data["meetings"]
        return [
            bar_chart(
                _("Decisions by follow-up status"),
                [row["label"] for row in rows],
                [
                    {
                        "label": choice_label(FollowUpStatus, s["status"]),
                        "data": [row[s["status"]] for row in rows],
                    }
                    for s in data["statuses"]
                ],
                stacked=True,
                horizontal=True,
            )
        ]

    def headline(self, data: dict) -> list[tuple[str, object]]:
        totals = data["totals"]
        total, done = totals["total"], totals["done"]
        return [
            (ngettext("meeting decision recorded", "meeting decisions recorded", total), total),
            (ngettext("of them followed up (done)", "of them followed up (done)", done), done),
        ]
