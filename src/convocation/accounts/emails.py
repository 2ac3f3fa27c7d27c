"""The sign-in email, in the language the delegate is reading the site in."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def send_sign_in_email(*, email: str, code: str, link: str, minutes: int) -> None:
    subject = _("Your sign-in code for convocation")
    body = render_to_string(
        "accounts/email/sign_in.txt", {"code": code, "link": link, "minutes": minutes}
    )
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email]).send()
