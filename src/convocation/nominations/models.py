"""Vacant offices announced with a deadline, and the nominations States Parties submit."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from convocation.cycles.models import Office
from convocation.people.models import Person
from convocation.treaties.models import State


class Vacancy(models.Model):
    """An office announced as vacant: nominations are taken until the deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for nominations")
        CLOSED = "closed", _("Closed")
        FILLED = "filled", _("Filled")

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="vacancies", verbose_name=_("office")
    )
    announced_on = models.DateField(_("announced on"))
    deadline = models.DateField(
        _("deadline for nominations"), help_text=_("Nominations are taken until this day.")
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("Shown on the public list: what the office involves.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office"],
                condition=models.Q(status="open"),
                name="one_open_vacancy_per_office",
            ),
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("announced_on")),
                name="vacancy_deadline_after_announcement",
            ),
        ]

    def __str__(self) -> str:
        return str(self.office.name)


def cv_path(nomination: "Nomination", filename: str) -> str:
    # The nominee's own file name is kept for the download name, not for the path.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"nominations/{nomination.vacancy_id}/{secrets.token_hex(12)}.{extension}"


class Nomination(models.Model):
    """A State Party's candidate for a vacant office, submitted by its focal point."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPOINTED = "appointed", _("Appointed")
        NOT_APPOINTED = "not_appointed", _("Not appointed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("vacancy")
    )
    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("State")
    )
    nominee_honorific = models.CharField(_("honorific"), max_length=50, blank=True)
    nominee_given_name = models.CharField(_("given name"), max_length=100)
    nominee_family_name = models.CharField(_("family name"), max_length=100)
    nominee_email = models.EmailField(_("email of the nominee"))
    expertise = models.TextField(
        _("relevant expertise"), help_text=_("Why this delegate suits the office.")
    )
    cv = models.FileField(_("CV"), upload_to=cv_path)
    cv_name = models.CharField(_("CV file name"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    appointed_person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appointed as"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["vacancy", "submitted_at", "id"]
        constraints = [
            # A State puts forward one candidate for an office at a time.
            models.UniqueConstraint(
                fields=["vacancy", "state"],
                condition=~models.Q(status="withdrawn"),
                name="one_nomination_per_state_and_vacancy",
            )
        ]

    def __str__(self) -> str:
        return f"{self.nominee_name} ({self.state_id})"

    @property
    def nominee_name(self) -> str:
        return " ".join(
            part
            for part in (
                self.nominee_honorific,
                self.nominee_given_name,
                self.nominee_family_name.upper(),
            )
            if part
        )
