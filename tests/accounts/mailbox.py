"""Reading the sign-in email as a delegate would."""

import re
import smtplib

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

CODE = re.compile(r"is (\d{6})\b")
LINK = re.compile(r"http://testserver(/sign-in/link/[^\s]+)")


class Inbox:
    """What a delegate reads in the last sign-in email."""

    @property
    def message(self):
        return mail.outbox[-1]

    @property
    def code(self) -> str:
        return CODE.search(self.message.body).group(1)

    @property
    def link(self) -> str:
        """The path of the link, with its ``next`` if it has one."""
        return LINK.search(self.message.body).group(1)


def wrong(code: str) -> str:
    """A code that is certainly not ``code``."""
    return f"{(int(code) + 1) % 1_000_000:06d}"


class UnreachableMailServer(BaseEmailBackend):
    """An email backend whose server does not answer."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPConnectError(421, "Service not available")
