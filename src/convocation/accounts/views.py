"""Signing in by email, signing out, the account page and the Secretariat's two-factor page."""

import ipaddress
import logging
import smtplib
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from convocation.accounts import services, signin, two_factor
from convocation.accounts.forms import AuthenticatorCodeForm, EmailForm, SignInCodeForm
from convocation.accounts.signin import Refusal

logger = logging.getLogger(__name__)

# The address the code was sent to, remembered between the two pages of the code flow.
SESSION_EMAIL = "accounts:sign_in_email"
SECRETARIAT_SIGN_IN = "/admin/login/"
# Delegates use registrations' page; this app links to it by address, not by importing it.
MY_REGISTRATIONS = "/my/registrations/"


def refusal_message(refusal: Refusal) -> str:
    return {
        Refusal.WRONG_CODE: _(
            "That code is not right. Check the latest email we sent you, or ask for a new code."
        ),
        Refusal.UNKNOWN_LINK: _(
            "This sign-in link is not valid. Copy the whole link from the email, "
            "or ask for a new one."
        ),
        Refusal.EXPIRED: _("This code or link has expired. Ask for a new one."),
        Refusal.USED: _("This code or link has already been used. Ask for a new one."),
        Refusal.TOO_MANY_WRONG_CODES: _(
            "Too many wrong codes were typed for this email. Ask for a new code."
        ),
        Refusal.SECRETARIAT: _(
            "Secretariat accounts cannot sign in by email. Use the Secretariat sign-in, "
            "with your password."
        ),
        Refusal.DISABLED: _("This account cannot sign in. Please contact the Secretariat."),
    }[refusal]


def _refusal_status(refusal: Refusal) -> int:
    return 403 if refusal in {Refusal.SECRETARIAT, Refusal.DISABLED} else 400


def _next(request: HttpRequest) -> str:
    return signin.safe_next(
        request.POST.get("next") or request.GET.get("next"),
        host=request.get_host(),
        https=request.is_secure(),
    )


def _with_next(url: str, next_url: str) -> str:
    if next_url == signin.DEFAULT_NEXT:
        return url
    return f"{url}?{urlencode({'next': next_url})}"


def _ask_again(next_url: str) -> str:
    return _with_next(reverse("accounts:sign_in"), next_url)


def _client_ip(request: HttpRequest) -> str | None:
    try:
        return str(ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")))
    except ValueError:
        return None


def _refused(request: HttpRequest, template: str, context: dict, refusal: Refusal) -> HttpResponse:
    context = {
        **context,
        "refusal_message": refusal_message(refusal),
        "secretariat_sign_in": SECRETARIAT_SIGN_IN if refusal is Refusal.SECRETARIAT else None,
    }
    return render(request, template, context, status=_refusal_status(refusal))


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = _next(request)
    form = EmailForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            email = signin.normalise_email(form.cleaned_data["email"])

            def link_for(token: str) -> str:
                path = reverse("accounts:sign_in_link", args=[token])
                return request.build_absolute_uri(_with_next(path, next_url))

            try:
                services.send_sign_in(
                    email=email,
                    client_ip=_client_ip(request),
                    minutes=settings.CONVOCATION_SIGN_IN_MINUTES,
                    link_for=link_for,
                    now=timezone.now(),
                )
            except services.TooManySignIns:
                form.add_error(
                    None,
                    _(
                        "Too many sign-in emails were asked for in the last hour. "
                        "Please wait a while and try again, or use the last email we sent."
                    ),
                )
                status = 429
            except (smtplib.SMTPException, OSError):
                logger.exception("The sign-in email could not be sent")
                form.add_error(
                    None,
                    _("We could not send the email just now. Please try again in a few minutes."),
                )
                status = 503
            else:
                request.session[SESSION_EMAIL] = email
                return redirect(_with_next(reverse("accounts:sign_in_code"), next_url))
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    next_url = _next(request)
    email = request.session.get(SESSION_EMAIL)
    if not email:
        return redirect(_with_next(reverse("accounts:sign_in"), next_url))
    form = SignInCodeForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "next": next_url, "email": email, "ask_again": _ask_again(next_url)}
    if not form.is_bound:
        return render(request, "accounts/sign_in_code.html", context)
    if not form.is_valid():
        return render(request, "accounts/sign_in_code.html", context, status=400)
    result = services.sign_in_with_code(
        email=email, code=form.cleaned_data["code"], now=timezone.now()
    )
    if isinstance(result, Refusal):
        return _refused(request, "accounts/sign_in_code.html", context, result)
    return _signed_in(request, result, next_url)


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows a button: mail scanners open links, and must not spend them."""
    next_url = _next(request)
    context = {"next": next_url, "ask_again": _ask_again(next_url)}
    if request.method == "GET":
        refusal = services.link_refusal(token=token, now=timezone.now())
        if refusal is not None:
            return _refused(request, "accounts/sign_in_link.html", context, refusal)
        return render(request, "accounts/sign_in_link.html", context)
    result = services.sign_in_with_link(token=token, now=timezone.now())
    if isinstance(result, Refusal):
        return _refused(request, "accounts/sign_in_link.html", context, result)
    return _signed_in(request, result, next_url)


def _signed_in(request: HttpRequest, user: AbstractBaseUser, next_url: str) -> HttpResponseRedirect:
    request.session.pop(SESSION_EMAIL, None)
    login(request, user, backend="convocation.accounts.sessions.AccountBackend")
    return redirect(next_url)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponseRedirect:
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect("accounts:sign_in")


@never_cache
@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/home.html",
        {
            "my_registrations": MY_REGISTRATIONS,
            "two_factor_on": request.user.is_staff
            and two_factor.confirmed_device(request.user) is not None,
        },
    )


def secretariat_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Staff only: others are sent to the Secretariat sign-in, or refused once signed in."""

    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not (request.user.is_active and request.user.is_staff):
            return render(request, "accounts/secretariat_only.html", status=403)
        return view(request, *args, **kwargs)

    return checked


@never_cache
@secretariat_only
@require_http_methods(["GET", "POST"])
def two_factor_page(request: HttpRequest) -> HttpResponse:
    device = two_factor.confirmed_device(request.user)
    if device is not None:
        return _two_factor_on(request, device)
    return _two_factor_enrolment(request)


def _two_factor_on(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    form = AuthenticatorCodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            if two_factor.remove_device(device=device, token=form.cleaned_data["code"]):
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("accounts:two_factor")
            form.add_error("code", _("That code is not right. Enter the code the app shows now."))
    return render(
        request, "accounts/two_factor.html", {"form": form, "device": device}, status=status
    )


def _two_factor_enrolment(request: HttpRequest) -> HttpResponse:
    pending = two_factor.pending_device(request.user)
    form = AuthenticatorCodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            if two_factor.confirm_device(device=pending, token=form.cleaned_data["code"]):
                # This session has just proved the second factor.
                django_otp.login(request, pending)
                messages.success(request, _("Two-factor sign-in is on."))
                return redirect("accounts:two_factor")
            form.add_error("code", _("That code is not right. Enter the code the app shows now."))
    uri = two_factor.enrolment_uri(pending)
    context = {
        "form": form,
        "qr_svg": two_factor.qr_svg(uri, title=_("QR code to scan with an authenticator app")),
        "secret": two_factor.secret_for_typing(pending),
    }
    return render(request, "accounts/two_factor.html", context, status=status)
