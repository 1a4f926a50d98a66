"""A second factor for the admin: a TOTP authenticator app (django-otp).

After the password, a staff user who has an authenticator must give its current code before
any admin page opens; with `ADMIN_REQUIRE_2FA` (on in production) the Secretariat (anyone who
edits every country, superusers included) must first set one up. Until then the session is
worth nothing more than a visitor's anywhere else: public pages, the map API and uploads see
an anonymous reader, so a stolen password alone does not reach exact sensitive points.

A lost phone: a superuser deletes the user's device under *TOTP devices* in the admin (or
`python manage.py two_factor_reset USERNAME`); the user sets up a new one at the next sign-in."""

import io
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, user_has_device, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .selectors import EDIT_ALL

DEVICE_NAME = "Authenticator app"


def two_factor_required(user) -> bool:
    """Whether this user must set up a second factor before using the admin."""
    return settings.ADMIN_REQUIRE_2FA and user.is_active and user.has_perm(EDIT_ALL)


def two_factor_reset(*, user) -> int:
    """Remove the user's authenticators (a lost phone); returns how many went. The user sets
    up a new one at the next sign-in."""
    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    return removed


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _with_next(url_name: str, target: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': target})}"


class AdminTwoFactorMiddleware:
    """After django-otp's OTPMiddleware, which tells whether the session is verified."""

    EXEMPT = (
        "admin:login",
        "admin:logout",
        "admin:jsi18n",
        "two_factor_setup",
        "two_factor_verify",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.is_staff and not user.is_verified():
            has_device = user_has_device(user)
            if has_device or two_factor_required(user):
                if request.path_info in {reverse(name) for name in self.EXEMPT}:
                    return self.get_response(request)
                if request.path_info.startswith(reverse("admin:index")):
                    step = "two_factor_verify" if has_device else "two_factor_setup"
                    return redirect(_with_next(step, request.get_full_path()))
                request.user = AnonymousUser()
        return self.get_response(request)


class OneTimeCodeForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "")


def _page(request, template: str, title, **context):
    # Not yet past the second factor: no list of the admin's models beside the form.
    return TemplateResponse(
        request,
        template,
        {
            **admin.site.each_context(request),
            "available_apps": [],
            "is_nav_sidebar_enabled": False,
            "title": title,
            "next": _next_url(request),
            **context,
        },
    )


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def two_factor_setup(request):
    """Pair an authenticator app: scan the code (or type the key), then confirm with a code."""
    user = request.user
    if not user.is_verified() and user_has_device(user):
        # Replacing a device needs the old one: a password alone must not add a new one.
        return redirect(_with_next("two_factor_verify", _next_url(request)))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            otp_login(request, device)
            messages.success(request, _("Two-factor sign-in is set up for your account."))
            return redirect(_next_url(request))
        form.add_error(
            "token",
            _(
                "This code is not the current one. Check that the app shows the key below "
                "and that your phone's clock is right, then enter the code it shows now."
            ),
        )
    key = b32encode(device.bin_key).decode()
    return _page(
        request,
        "admin/governance/two_factor_setup.html",
        _("Set up two-factor sign-in"),
        form=form,
        qr_svg=mark_safe(_qr_svg(device.config_url)),
        key=" ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        required=two_factor_required(user),
    )


def two_factor_verify(request):
    """The second step of signing in: the current code of the user's authenticator app."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    devices = list(devices_for_user(user))
    if not devices:
        return redirect(_with_next("two_factor_setup", _next_url(request)))
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            allowed, _reason = device.verify_is_allowed()
            if not allowed:
                form.add_error(
                    "token", _("Too many wrong codes. Wait a minute, then enter the current one.")
                )
                break
            verified = verify_token(user, device.persistent_id, form.cleaned_data["token"])
            if verified is not None:
                otp_login(request, verified)
                return redirect(_next_url(request))
        else:
            form.add_error(
                "token", _("This code is not right or has expired; enter the one shown now.")
            )
    return _page(
        request, "admin/governance/two_factor_verify.html", _("Two-factor sign-in"), form=form
    )
