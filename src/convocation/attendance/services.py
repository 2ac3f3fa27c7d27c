"""Checking delegates in, registering walk-ins and logging interventions.

Each write is one function with keyword-only arguments, in one transaction. A check-in is
idempotent: the unique (registration, day) constraint and ``get_or_create`` make a second
tap, or two tablets tapping at once, keep one check-in.
"""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from convocation.attendance.models import Attendance, AttendancePolicy, Intervention
from convocation.meetings.models import Meeting, Session
from convocation.registrations import services as registration_services
from convocation.registrations.models import Registration
from convocation.registrations.services import AlreadyRegistered, RegistrationData
from convocation.treaties.models import Organisation, State

__all__ = ["AlreadyRegistered", "AttendanceError"]


class AttendanceError(Exception):
    """What was asked cannot be done; the message says why, for the officer at the door."""


def meeting_days(meeting: Meeting) -> list[dt.date]:
    return [
        meeting.start_date + dt.timedelta(days=offset)
        for offset in range((meeting.end_date - meeting.start_date).days + 1)
    ]


def today_at(meeting: Meeting) -> dt.date:
    """Today as the meeting's own clock reads it (Geneva), not the server's."""
    return timezone.localtime(timezone.now(), meeting.tz).date()


def policy_of(meeting: Meeting) -> AttendancePolicy:
    policy, _created = AttendancePolicy.objects.get_or_create(meeting=meeting)
    return policy


def check_in_refusal(registration: Registration, day: dt.date) -> str | None:
    """Why this registration cannot be checked in on this day, or None when it can."""
    meeting = registration.meeting
    if not meeting.start_date <= day <= meeting.end_date:
        return _("The meeting does not meet on this day.")
    if registration.status != Registration.Status.CONFIRMED:
        return _(
            "This registration is not confirmed (%(status)s): the Secretariat must confirm it "
            "before the delegate is checked in."
        ) % {"status": registration.get_status_display()}
    return None


def check_in(
    *, registration: Registration, day: dt.date, by: AbstractBaseUser
) -> tuple[Attendance, bool]:
    """Check a delegate in for a day; returns the check-in and whether it is new."""
    refusal = check_in_refusal(registration, day)
    if refusal:
        raise AttendanceError(refusal)
    # get_or_create catches the IntegrityError of a check-in made by another tablet a moment
    # ago and returns that one.
    return Attendance.objects.get_or_create(
        registration=registration, day=day, defaults={"checked_in_by": by}
    )


def undo_check_in(*, registration: Registration, day: dt.date, by: AbstractBaseUser) -> bool:
    """For a tap on the wrong name; whether there was a check-in to undo."""
    deleted, _by_model = Attendance.objects.filter(registration=registration, day=day).delete()
    return deleted > 0


def register_walk_in(
    *, meeting: Meeting, data: RegistrationData, by: AbstractBaseUser, day: dt.date
) -> Registration:
    """Register a delegate at the door and check them in, where the meeting allows it.

    The registration rules apply as ``registrations.services.register`` applies them, under
    the same lock on the meeting's registration policy: one registration per person (a
    repeat raises AlreadyRegistered, so the officer checks the existing one in), the sessions
    a delegation may attend on each day, the in-person capacity. What differs is decided by
    the officer's presence: registration has closed for delegates (the meeting has started),
    the credential is seen on paper, and approval is given by registering.
    """
    if not policy_of(meeting).allows_walk_ins:
        raise AttendanceError(_("This meeting does not take walk-ins."))
    if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.POSTPONED):
        raise AttendanceError(_("This meeting is not taking place."))
    if not meeting.start_date <= day <= meeting.end_date:
        raise AttendanceError(_("The meeting does not meet on this day."))
    delegation = data.delegation
    if delegation is None or (data.state and data.organisation):
        raise AttendanceError(_("Choose one delegation: a State or an organisation."))
    if not data.consent:
        raise AttendanceError(_("The delegate must consent to the use of these data."))
    if not data.session_ids:
        # A walk-in comes for the day: every session open to the delegation.
        allowed, _refused = registration_services.sessions_open_to(meeting, delegation)
        data.session_ids = [fact.session_id for fact in allowed]
    with transaction.atomic():
        try:
            registration = registration_services.register(meeting, data, by=by, at_the_door=True)
        except registration_services.RegistrationError as refusal:
            raise AttendanceError(" ".join(refusal.errors.values())) from refusal
        Attendance.objects.create(registration=registration, day=day, checked_in_by=by)
    return registration


def log_intervention(
    *,
    session: Session,
    delegation: State | Organisation,
    speaker: Registration | None,
    by: AbstractBaseUser,
) -> Intervention:
    """The next turn at the floor in the session."""
    if speaker is not None:
        if speaker.meeting_id != session.meeting_id:
            raise AttendanceError(_("The speaker is not registered for this meeting."))
        if speaker.delegation != delegation:
            raise AttendanceError(_("The speaker is not a member of this delegation."))
    values = {
        "state": delegation if isinstance(delegation, State) else None,
        "organisation": delegation if isinstance(delegation, Organisation) else None,
        "speaker": speaker,
        "logged_by": by,
    }
    for _attempt in range(3):
        try:
            with transaction.atomic():
                last = session.interventions.aggregate(last=Max("order"))["last"] or 0
                return Intervention.objects.create(session=session, order=last + 1, **values)
        except IntegrityError:
            # Two officers logged a turn in the same session at once: take the next number.
            continue
    raise AttendanceError(_("The turn could not be logged; please try again."))


def remove_intervention(*, intervention: Intervention, by: AbstractBaseUser) -> None:
    intervention.delete()
