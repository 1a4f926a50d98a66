from django.views.generic import ListView


class FilteredListView(ListView):
    """A public list narrowed by a `PublicFilterForm`; `list_selector` takes its filters as
    keyword arguments."""

    filter_form_class = None
    list_selector = None

    def get_queryset(self):
        self.filter_form = self.filter_form_class(self.request.GET or None)
        return type(self).list_selector(**self.filter_form.filters())

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)
