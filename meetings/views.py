from django.views.generic import DetailView, ListView

from .selectors import meeting_detail_queryset, meeting_list


class MeetingListView(ListView):
    """All published meetings, newest year first, grouped by year in the template."""

    template_name = "meetings/meeting_list.html"

    def get_queryset(self):
        return meeting_list()


class MeetingDetailView(DetailView):
    template_name = "meetings/meeting_detail.html"

    def get_queryset(self):
        return meeting_detail_queryset()
