"""Indicator 6: decisions of each published meeting by follow-up status."""

from django.db.models import Count, Q

from meetings.models import FollowUpStatus, Meeting


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
