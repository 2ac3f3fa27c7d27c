"""A meeting, its sessions and its side events."""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convocation.cycles.models import ConferenceCycle
from convocation.languages import in_language
from convocation.treaties.models import Body


def validate_time_zone(name: str) -> None:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            _("%(name)s is not a time zone name such as Europe/Zurich."), params={"name": name}
        ) from error


class Meeting(models.Model):
    class Kind(models.TextChoices):
        WORKING_GROUPS = "working_groups", _("Working Group meetings")
        PREPARATORY = "preparatory", _("Preparatory meeting")
        CONFERENCE = "conference", _("Conference of States Parties")
        OTHER = "other", _("Other meeting")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", pgettext_lazy("meeting status", "Held")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        HYBRID = "hybrid", _("Hybrid (in person and online participation)")
        VIRTUAL = "virtual", _("Virtual")

    class Registration(models.TextChoices):
        NONE = "none", _("No pre-registration")
        REQUIRED = "required", _("Pre-registration required")
        SOME_SESSIONS = "some_sessions", _("Pre-registration required for some sessions only")

    class Livestream(models.TextChoices):
        NONE = "none", _("No livestream")
        PUBLIC = "public", _("Livestream link public")
        REGISTERED = "registered", _("Livestream link for registered delegates only")

    cycle = models.ForeignKey(
        ConferenceCycle, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("cycle")
    )
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    venue = models.CharField(_("venue"), max_length=200)
    city = models.CharField(_("city (English)"), max_length=100)
    city_fr = models.CharField(_("city (French)"), max_length=100, blank=True)
    city_es = models.CharField(_("city (Spanish)"), max_length=100, blank=True)
    country = models.CharField(_("country (English)"), max_length=100)
    country_fr = models.CharField(_("country (French)"), max_length=100, blank=True)
    country_es = models.CharField(_("country (Spanish)"), max_length=100, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Zurich", validators=[validate_time_zone]
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.IN_PERSON
    )
    registration = models.CharField(
        _("registration"), max_length=20, choices=Registration.choices, default=Registration.NONE
    )
    livestream = models.CharField(
        _("livestream"), max_length=20, choices=Livestream.choices, default=Livestream.PUBLIC
    )
    livestream_url = models.URLField(
        _("livestream link"),
        blank=True,
        help_text=_(
            "Shown on the meeting page when the livestream is public; sent only to "
            "registered delegates when it is for them."
        ),
    )
    collects_gender_data = models.BooleanField(
        _("registration collects gender-disaggregated attendance data"), default=False
    )
    documents_target_date = models.DateField(
        _("target date for documents"),
        null=True,
        blank=True,
        help_text=_("Leave empty when documents are issued alongside the invitation."),
    )
    schedule_is_draft = models.BooleanField(_("schedule is a draft"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last day cannot come before the first.")})

    @property
    def local_title(self) -> str:
        return in_language(self, "title")

    @property
    def local_city(self) -> str:
        return in_language(self, "city")

    @property
    def local_country(self) -> str:
        return in_language(self, "country")

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


def in_calendar(moment: dt.datetime) -> bool:
    """Whether a time, stored in UTC, stays within the years Python and PostgreSQL both read.

    The last evening of the year 9999 west of Greenwich is already in the year 10000 in UTC:
    PostgreSQL stores it, and every later read of the row fails.
    """
    try:
        return moment.astimezone(dt.UTC).year < dt.MAXYEAR
    except OverflowError:
        return False


def zone_named(name: str) -> zoneinfo.ZoneInfo | None:
    """The time zone of this name, or None where the database of zones has none.

    Stored meetings name a known zone; a form being refused may hold any text, even one too
    long to be a file name (OSError).
    """
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


class Session(models.Model):
    """One body meeting in one slot of one day of a meeting."""

    class Access(models.TextChoices):
        AS_BODY = "", _("As its body")
        OPEN = Body.Access.OPEN.value, Body.Access.OPEN.label
        PARTIES_AND_SIGNATORIES = (
            Body.Access.PARTIES_AND_SIGNATORIES.value,
            Body.Access.PARTIES_AND_SIGNATORIES.label,
        )

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sessions")
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("body")
    )
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    access = models.CharField(
        _("who may attend"), max_length=30, choices=Access.choices, blank=True, default=""
    )
    cancelled = models.BooleanField(
        _("cancelled"),
        default=False,
        help_text=_(
            "A cancelled session leaves the schedule, the annex and the letters; calendars "
            "are told to remove it once a revision of the schedule is published."
        ),
    )
    # The iCalendar SEQUENCE (RFC 5545): raised once per published revision that changed the
    # session, so that calendars replace the entry they hold instead of adding a second one.
    sequence = models.PositiveIntegerField(_("revision sequence"), default=0, editable=False)
    started_at = models.DateTimeField(_("actually started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("actually finished"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["meeting", "start"])]

    def __str__(self) -> str:
        # UTC only while the meeting's form shows an unknown time zone it refused.
        zone = zone_named(self.meeting.time_zone) or dt.UTC
        return f"{self.body.label}, {self.start.astimezone(zone):%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        for name in ("start", "end"):
            moment = getattr(self, name)
            if moment is not None and not in_calendar(moment):
                raise ValidationError({name: _("This time is outside the calendar.")})
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("A session must end after it starts.")})
        meeting = getattr(self, "meeting", None)
        if meeting and self.start and meeting.start_date and meeting.end_date:
            zone = zone_named(meeting.time_zone)
            if zone is None:
                return  # an unknown time zone: the meeting's own form says so
            day = self.start.astimezone(zone).date()
            if not meeting.start_date <= day <= meeting.end_date:
                raise ValidationError(
                    {"start": _("The session falls outside the meeting's dates.")}
                )

    @property
    def effective_access(self) -> str:
        return self.access or self.body.access

    @property
    def is_closed(self) -> bool:
        return self.effective_access != Body.Access.OPEN


class SideEvent(models.Model):
    """A side event on one day; without a title it is shown as "tbc"."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIRTUAL = "virtual", _("Virtual")

    class LinkShown(models.TextChoices):
        PUBLIC = "public", _("On the public schedule")
        REGISTERED = "registered", _("To registered delegates only")
        ON_REQUEST = "on_request", _("On request to the organisers")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="side_events")
    date = models.DateField(_("day"))
    title = models.CharField(
        _("title"), max_length=300, blank=True, help_text=_("Leave empty for 'to be confirmed'.")
    )
    starts_at = models.TimeField(_("starts"), null=True, blank=True)
    ends_at = models.TimeField(_("ends"), null=True, blank=True)
    room = models.CharField(_("room"), max_length=100, blank=True)
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.IN_PERSON
    )
    organisers = models.CharField(_("organisers"), max_length=300, blank=True)
    access_link = models.URLField(_("access link"), blank=True)
    link_shown = models.CharField(
        _("access link shown"), max_length=20, choices=LinkShown.choices, default=LinkShown.PUBLIC
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("side event")
        verbose_name_plural = _("side events")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}: {self.title or 'tbc'}"

    @property
    def is_to_be_confirmed(self) -> bool:
        return not self.title


class ScheduleRevision(models.Model):
    """The schedule of a meeting as published at one moment, with the officer's note.

    The snapshot keeps every session as it was published (cancelled ones too), so an earlier
    revision stays readable however the sessions change afterwards, and the changes between
    two revisions are read from their snapshots (``revisions.diff``).
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("meeting")
    )
    number = models.PositiveIntegerField(_("revision"))
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    note = models.TextField(_("note"), blank=True)
    snapshot = models.JSONField(_("sessions as published"), default=list)
    # The email that carried the change notice, kept by the registrations app (an id, not a
    # foreign key: meetings does not know about registrations).
    notice_mailing_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("schedule revision")
        verbose_name_plural = _("schedule revisions")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="one_revision_number_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {_('revision')} {self.number}"
