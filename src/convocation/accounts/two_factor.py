"""Two-factor sign-in for Secretariat staff: one authenticator app (TOTP) per account."""

import base64
from urllib.parse import quote, urlencode

import segno
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

ISSUER = "convocation"
DEVICE_NAME = "Authenticator app"


def confirmed_device(user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_device(user: AbstractBaseUser) -> TOTPDevice:
    """The device being enrolled, kept between page loads so the scanned secret stays valid."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def confirm_device(*, device: TOTPDevice, token: str) -> bool:
    """Turn two-factor on once the app shows a code the server agrees with."""
    with transaction.atomic():
        if not device.verify_token(token):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # Half-finished enrolments from other page loads are no longer needed.
        TOTPDevice.objects.devices_for_user(device.user, confirmed=False).delete()
    return True


def remove_device(*, device: TOTPDevice, token: str) -> bool:
    """Turn two-factor off; a current code proves that the person still holds the app."""
    with transaction.atomic():
        if not device.verify_token(token):
            return False
        TOTPDevice.objects.devices_for_user(device.user).delete()
    return True


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base 32, in groups of four, for an app that cannot scan."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def enrolment_uri(device: TOTPDevice) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code.

    Built here rather than with ``device.config_url`` so that the app lists the account
    under the product's name without a setting.
    """
    label = quote(f"{ISSUER}:{device.user.get_username()}")
    params = {
        "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
        "issuer": ISSUER,
        "algorithm": "SHA1",
        "digits": device.digits,
        "period": device.step,
    }
    return f"otpauth://totp/{label}?{urlencode(params, quote_via=quote)}"


def qr_svg(uri: str, *, title: str) -> SafeString:
    """The QR code as SVG markup to put straight into the page (no image request, no script)."""
    # Safe: segno escapes the title, and the rest is its own markup of squares.
    return mark_safe(segno.make(uri, error="m").svg_inline(scale=5, title=title, svgclass="qr"))
