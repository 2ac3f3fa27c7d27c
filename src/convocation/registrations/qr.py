"""The personal QR code a confirmed delegate shows at the door to check in."""

import io

import segno
from django.conf import settings

from convocation.registrations.models import Registration


def check_in_payload(registration: Registration) -> str:
    """What the code holds: the check-in address with the delegate's own code.

    An address rather than the bare code, so that the phone camera of the officer at the door
    opens the check-in page with no scanning app; the code is the last part of the path.
    """
    return f"{settings.SITE_URL.rstrip('/')}/check-in/{registration.check_in_code}/"


def check_in_qr(registration: Registration) -> segno.QRCode:
    # Level M survives a crease or a cracked phone screen and keeps the code small.
    return segno.make(check_in_payload(registration), error="m", micro=False)


def check_in_png(registration: Registration) -> bytes:
    """The code as a PNG large enough to scan from a phone held at arm's length."""
    buffer = io.BytesIO()
    check_in_qr(registration).save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()
