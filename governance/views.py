"""The admin's “view on site” shortcut, `/admin/r/<content type>/<id>/`, within the user's
scope.

Django's own shortcut redirects any staff user to any record's public address, and for a
draft that address names its slug: a focal point could learn another country's drafts by
counting through ids. This one answers only for a record the user may view in the admin
(country scope, deleted records hidden), and 404 otherwise, as if there were none."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404


def view_on_site(request, content_type_id: str, object_id: str):
    if not (content_type_id.isascii() and content_type_id.isdigit()):
        raise Http404
    try:
        model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    if model is None or not admin.site.is_registered(model):
        raise Http404
    model_admin = admin.site.get_model_admin(model)
    # The admin's own lookup: its queryset holds only what the user may see.
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None or not model_admin.has_view_permission(request, obj):
        raise Http404
    return shortcut(request, content_type_id, object_id)
