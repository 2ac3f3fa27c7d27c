"""Registration of delegates: who comes to a meeting, for which delegation, to which sessions.

The rules that decide what a registration may be live in ``rules`` (plain functions) and are
applied under a lock in ``services``; the models hold the record.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convocation.meetings.models import Meeting, Session
from convocation.people.models import Person
from convocation.treaties.models import Organisation, State


class ParticipantCategory(models.TextChoices):
    """How a delegation takes part: a State by its status, an organisation by its category."""

    STATE_PARTY = "state_party", _("State Party")
    SIGNATORY = "signatory", _("Signatory State")
    OBSERVER = "observer", _("Observer State")
    INTERNATIONAL = "international", _("International or regional organisation")
    CIVIL_SOCIETY = "civil_society", _("Civil society / NGO")
    INDUSTRY = "industry", _("Industry")
    ACADEMIA = "academia", _("Academia")


class RegistrationPolicy(models.Model):
    """What the Secretariat decided about registering for one meeting."""

    class Credential(models.TextChoices):
        NONE = "none", _("No credential asked")
        REQUIRED = (
            "required",
            _("Note verbale (States) or nomination letter (organisations) required"),
        )

    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="registration_policy",
        verbose_name=_("meeting"),
    )
    closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Leave empty to close registration when the meeting starts."),
    )
    asks_sessions = models.BooleanField(
        _("delegates say which sessions they attend"),
        default=False,
        help_text=_("Always asked where the meeting requires registration for some sessions only."),
    )
    in_person_capacity = models.PositiveIntegerField(
        _("in-person capacity"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit. Online participation is never limited."),
    )
    categories_needing_approval = models.JSONField(
        _("categories the Secretariat approves before confirmation"), default=list, blank=True
    )
    credential = models.CharField(
        _("credential"), max_length=20, choices=Credential.choices, default=Credential.NONE
    )

    class Meta:
        verbose_name = _("registration policy")
        verbose_name_plural = _("registration policies")

    def __str__(self) -> str:
        return str(self.meeting)


class FocalPoint(models.Model):
    """A person who registers and manages the delegates of one State or organisation."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="focal_point_for", verbose_name=_("person")
    )
    state = models.ForeignKey(
        State, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("State")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )

    class Meta:
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__isnull=False, organisation__isnull=True)
                | models.Q(state__isnull=True, organisation__isnull=False),
                name="focal_point_of_a_state_or_an_organisation",
            ),
            models.UniqueConstraint(
                fields=["person", "state", "organisation"], name="one_focal_point_record"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.state or self.organisation})"


def new_check_in_code() -> str:
    return secrets.token_urlsafe(16)


def credential_path(registration: "Registration", filename: str) -> str:
    # The delegate's own file name is kept for the download name, not for the path.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"credentials/{registration.meeting_id}/{secrets.token_hex(12)}.{extension}"


class Registration(models.Model):
    class Role(models.TextChoices):
        HEAD = "head", _("Head of delegation")
        ALTERNATE = "alternate", _("Alternate")
        ADVISER = "adviser", _("Adviser")
        MEMBER = "member", _("Member")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waiting list")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("person")
    )
    state = models.ForeignKey(
        State,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("State"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("organisation"),
    )
    category = models.CharField(
        _("participant category"), max_length=20, choices=ParticipantCategory.choices
    )
    position = models.CharField(_("position"), max_length=200)
    role = models.CharField(_("role in the delegation"), max_length=20, choices=Role.choices)
    mode = models.CharField(_("attendance"), max_length=20, choices=Mode.choices)
    # Empty where the meeting does not collect gender data: the form does not ask it.
    gender = models.CharField(_("gender"), max_length=20, choices=Person.Gender.choices, blank=True)
    gender_description = models.CharField(
        _("gender, in the delegate's words"), max_length=100, blank=True
    )
    sessions = models.ManyToManyField(
        Session, blank=True, related_name="registrations", verbose_name=_("sessions")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    credential = models.FileField(_("credential"), upload_to=credential_path, blank=True)
    credential_name = models.CharField(_("credential file name"), max_length=200, blank=True)
    consent_given_at = models.DateTimeField(_("consent to the data use given"))
    language = models.CharField(_("language of emails"), max_length=10, default="en")
    check_in_code = models.CharField(max_length=32, unique=True, default=new_check_in_code)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    secretariat_note = models.TextField(_("note of the Secretariat"), blank=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["meeting", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="one_registration_per_person_and_meeting"
            ),
            models.CheckConstraint(
                condition=models.Q(state__isnull=False, organisation__isnull=True)
                | models.Q(state__isnull=True, organisation__isnull=False),
                name="registration_for_a_state_or_an_organisation",
            ),
        ]
        indexes = [models.Index(fields=["meeting", "status", "mode"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.meeting}"

    @property
    def delegation(self) -> State | Organisation:
        return self.state or self.organisation

    @property
    def is_active(self) -> bool:
        return self.status not in (self.Status.WITHDRAWN, self.Status.REFUSED)


class AuditEntry(models.Model):
    """Every view and change of a registration by Secretariat staff: who, when, what."""

    class Action(models.TextChoices):
        VIEWED = "viewed", _("Viewed")
        REGISTERED = "registered", pgettext_lazy("audit action", "Registered")
        CHANGED = "changed", _("Changed")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        EXPORTED = "exported", _("Exported")
        CREDENTIAL_OPENED = "credential_opened", _("Opened the credential")

    registration = models.ForeignKey(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        related_name="audit_entries",
        verbose_name=_("registration"),
    )
    registration_label = models.CharField(_("registration"), max_length=300)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staff member"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    details = models.JSONField(_("what"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.registration_label}"


class Mailing(models.Model):
    """One message to the registrants of a meeting or of one session, sent in the background."""

    class Subject(models.TextChoices):
        MESSAGE = "message", _("Message")
        LETTER = "letter", _("Letter")
        SCHEDULE = "schedule", _("Schedule change")
        DOCUMENT = "document", _("Document")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="mailings", verbose_name=_("meeting")
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mailings",
        verbose_name=_("only the registrants of this session"),
    )
    about = models.CharField(
        _("about"), max_length=20, choices=Subject.choices, default=Subject.MESSAGE
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)

    class Meta:
        verbose_name = _("email to registrants")
        verbose_name_plural = _("emails to registrants")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """One recipient of a mailing; its state is what makes each recipient get it once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    registration = models.ForeignKey(
        Registration, on_delete=models.SET_NULL, null=True, related_name="deliveries"
    )
    email = models.EmailField(_("email"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["mailing", "email"], name="one_delivery_per_address")
        ]
        indexes = [models.Index(fields=["mailing", "status"])]

    def __str__(self) -> str:
        return f"{self.email}: {self.status}"
