"""One-time sign-in codes and links sent to delegates by email."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SignIn(models.Model):
    """One email with a code and a link; only their hashes are kept.

    The rows are also the rate limit's memory: counting recent ones holds across every web
    process, which a per-process counter would not.
    """

    email = models.EmailField(_("email address"))
    client_ip = models.GenericIPAddressField(_("client IP address"), null=True, blank=True)
    code_hash = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(_("sent"), db_index=True)
    expires = models.DateTimeField(_("valid until"))
    used = models.DateTimeField(_("used"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("wrong codes typed"), default=0)

    class Meta:
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["email", "created"], name="sign_in_by_address"),
            models.Index(fields=["client_ip", "created"], name="sign_in_by_client"),
        ]

    def __str__(self) -> str:
        return f"{self.email} {self.created:%Y-%m-%d %H:%M}"
