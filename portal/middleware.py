from django.conf import settings
from django.urls import Resolver404, resolve
from django.views.defaults import page_not_found


class NotFoundPageMiddleware:
    """The portal's own “Page not found” (templates/404.html) in development too.

    With DEBUG on, Django answers an address that matches no URL with its technical 404
    page, so whoever tries the portal locally never sees the page readers get. This gives
    them that page for such addresses; a 404 raised inside a view (a draft record, say) and
    every other error still show Django's debug pages. Without DEBUG, Django already uses
    templates/404.html and this does nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and not _resolves(request):
            return page_not_found(request, Resolver404({"path": request.path_info}))
        return response


def _resolves(request) -> bool:
    try:
        resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return True
