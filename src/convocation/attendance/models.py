"""Who came: a check-in per delegate and day, and who took the floor in which session.

The rules (who may be checked in, when a walk-in may be registered) live in ``services``;
the reads the check-in desk needs, in ``queries``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from convocation.meetings.models import Meeting, Session
from convocation.registrations.models import Registration
from convocation.treaties.models import Organisation, State


class AttendancePolicy(models.Model):
    """What the Secretariat decided about the door of one meeting."""

    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="attendance_policy",
        verbose_name=_("meeting"),
    )
    allows_walk_ins = models.BooleanField(
        _("walk-ins may be registered at the door"),
        default=False,
        help_text=_(
            "Staff at the check-in desk may register a delegate who did not pre-register; "
            "the registration rules (closed sessions, one registration per person, in-person "
            "capacity) still apply."
        ),
    )

    class Meta:
        verbose_name = _("attendance policy")
        verbose_name_plural = _("attendance policies")

    def __str__(self) -> str:
        return str(self.meeting)


class Attendance(models.Model):
    """A delegate checked in on one day of the meeting; at most one per registration and day."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("registration"),
    )
    day = models.DateField(_("day"))
    checked_in_at = models.DateTimeField(_("checked in at"), default=timezone.now)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-day", "-checked_in_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "day"], name="one_check_in_per_registration_and_day"
            )
        ]
        indexes = [models.Index(fields=["day", "registration"])]

    def __str__(self) -> str:
        return f"{self.registration.person} — {self.day:%Y-%m-%d}"


class Intervention(models.Model):
    """One turn at the floor in a session: a delegation, and who spoke for it when known."""

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="interventions",
        verbose_name=_("session"),
    )
    order = models.PositiveIntegerField(_("order"))
    state = models.ForeignKey(
        State,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("State"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    speaker = models.ForeignKey(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interventions",
        verbose_name=_("speaker"),
        help_text=_("Empty when the delegation took the floor and the speaker was not noted."),
    )
    at = models.DateTimeField(_("logged at"), default=timezone.now)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["session", "order"]
        constraints = [
            models.UniqueConstraint(fields=["session", "order"], name="one_turn_per_order"),
            models.CheckConstraint(
                condition=models.Q(state__isnull=False, organisation__isnull=True)
                | models.Q(state__isnull=True, organisation__isnull=False),
                name="intervention_for_a_state_or_an_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} — {self.order}. {self.delegation}"

    @property
    def delegation(self) -> State | Organisation:
        return self.state or self.organisation
