from django.views.generic import DetailView, ListView

from .selectors import programme_facts, strategy_document_detail_queryset, strategy_document_list


class StrategyDocumentListView(ListView):
    template_name = "programme/strategydocument_list.html"

    def get_queryset(self):
        return strategy_document_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(facts=programme_facts(), **kwargs)


class StrategyDocumentDetailView(DetailView):
    template_name = "programme/strategydocument_detail.html"

    def get_queryset(self):
        return strategy_document_detail_queryset()
