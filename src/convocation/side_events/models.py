"""Side events of a meeting: the Secretariat's policy for them, and the proposals it decides."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from convocation.meetings.models import Meeting, SideEvent

DEFAULT_SLOTS = "13:15–14:45\n18:15–19:45"


class SideEventPolicy(models.Model):
    """When proposals close, the rooms reserved each day, the times and formats allowed."""

    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.CASCADE,
        related_name="side_event_policy",
        verbose_name=_("meeting"),
    )
    proposals_close_at = models.DateTimeField(
        _("proposals close"),
        help_text=_("After this moment the proposal form refuses new side events."),
    )
    rooms_per_day = models.PositiveSmallIntegerField(
        _("rooms reserved per day"),
        default=2,
        help_text=_("How many rooms the Secretariat reserves for side events on each day."),
    )
    room_names = models.TextField(
        _("names of the rooms"),
        blank=True,
        help_text=_(
            "One per line, in the order they are given out. Rooms without a name are numbered."
        ),
    )
    slots = models.TextField(
        _("side-event times"),
        default=DEFAULT_SLOTS,
        help_text=_(
            "The usual times outside the plenary sessions, one per line, such as 13:15–14:45."
        ),
    )
    allows_virtual = models.BooleanField(_("virtual side events allowed"), default=True)
    allows_hybrid = models.BooleanField(
        _("hybrid side events allowed"),
        default=False,
        help_text=_("In person with online participation."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("side-event policy")
        verbose_name_plural = _("side-event policies")
        ordering = ["-meeting__start_date"]

    def __str__(self) -> str:
        return str(self.meeting)


class SideEventProposal(models.Model):
    """A side event proposed by a stakeholder, decided by the Secretariat."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIRTUAL = "virtual", _("Virtual")
        HYBRID = "hybrid", _("Hybrid (in person with online participation)")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="side_event_proposals",
        verbose_name=_("meeting"),
    )
    title = models.CharField(_("title"), max_length=300)
    organisers = models.CharField(_("organisers"), max_length=300)
    co_sponsors = models.CharField(_("co-sponsors"), max_length=300, blank=True)
    description = models.TextField(_("short description"), blank=True)
    date = models.DateField(_("day"))
    starts_at = models.TimeField(_("preferred start"))
    ends_at = models.TimeField(_("preferred end"))
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    expected_audience = models.CharField(
        _("expected audience"),
        max_length=300,
        help_text=_("Who you expect, and about how many people."),
    )
    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_email = models.EmailField(_("contact email"))
    access_link = models.URLField(
        _("access link"), blank=True, help_text=_("For a virtual or hybrid side event.")
    )
    link_shown = models.CharField(
        _("access link shown"),
        max_length=20,
        choices=SideEvent.LinkShown.choices,
        default=SideEvent.LinkShown.PUBLIC,
    )
    language = models.CharField(_("language of emails"), max_length=10, default="en")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    secretariat_message = models.TextField(
        _("message of the Secretariat"),
        blank=True,
        help_text=_("Sent to the contact with the decision."),
    )
    room = models.CharField(_("room allocated"), max_length=100, blank=True)
    allocated_starts_at = models.TimeField(_("allocated start"), null=True, blank=True)
    allocated_ends_at = models.TimeField(_("allocated end"), null=True, blank=True)
    side_event = models.OneToOneField(
        SideEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("published as"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("side-event proposal")
        verbose_name_plural = _("side-event proposals")
        ordering = ["meeting", "date", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                # A virtual side event needs a time but no room.
                condition=~models.Q(status="accepted")
                | (
                    (~models.Q(room="") | models.Q(format="virtual"))
                    & models.Q(allocated_starts_at__isnull=False)
                    & models.Q(allocated_ends_at__isnull=False)
                ),
                name="accepted_side_event_has_room_and_time",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_virtual(self) -> bool:
        return self.format == self.Format.VIRTUAL
