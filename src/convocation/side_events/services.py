"""Proposing, accepting, declining and withdrawing side events; publishing them in the schedule.

Every decision runs in one transaction under a row lock on the meeting's side-event policy,
so two officers accepting side events for the same room at the same time are served one
after the other and the second sees the first's booking (no double booking). An accepted
side event is published as a ``meetings.SideEvent`` of its day, which puts it in the
schedule's SIDE EVENTS row; the day's "tbc" placeholder is kept only while no side event is
published that day.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from convocation.meetings.models import Meeting, SideEvent
from convocation.side_events import rules
from convocation.side_events.models import SideEventPolicy, SideEventProposal

Status = SideEventProposal.Status


class SideEventError(ValidationError):
    """A decision the rules refuse; its message says why, in the officer's language."""


@dataclass(frozen=True)
class ProposalData:
    title: str
    organisers: str
    co_sponsors: str
    description: str
    date: dt.date
    starts_at: dt.time
    ends_at: dt.time
    format: str
    expected_audience: str
    contact_name: str
    contact_email: str
    access_link: str
    link_shown: str
    language: str = "en"


def policy_of(meeting: Meeting) -> SideEventPolicy | None:
    return SideEventPolicy.objects.filter(meeting=meeting).first()


def plenary_times(meeting: Meeting, day: dt.date) -> list[tuple[dt.time, dt.time]]:
    """The plenary sessions of a day, as local times of the meeting."""
    zone = meeting.tz
    times = []
    # A cancelled session frees its time.
    for start, end in meeting.sessions.filter(cancelled=False).values_list("start", "end"):
        local_start, local_end = start.astimezone(zone), end.astimezone(zone)
        if local_start.date() == day:
            until = local_end.time() if local_end.date() == day else dt.time.max
            times.append((local_start.time(), until))
    return times


def bookings_of(meeting: Meeting, *, day: dt.date, except_side_event: int | None = None):
    """The rooms taken on a day: every side event published there with a room and a time."""
    events = SideEvent.objects.filter(
        meeting=meeting, date=day, starts_at__isnull=False, ends_at__isnull=False
    ).exclude(room="")
    if except_side_event is not None:
        events = events.exclude(pk=except_side_event)
    return [rules.Booking(e.date, e.starts_at, e.ends_at, e.room) for e in events]


def rooms_of(policy: SideEventPolicy) -> list[str]:
    return rules.rooms_of_the_day(policy.room_names, policy.rooms_per_day)


def proposal_errors(
    *,
    meeting: Meeting,
    policy: SideEventPolicy,
    day: dt.date | None,
    starts_at: dt.time | None,
    ends_at: dt.time | None,
    format: str | None,
    access_link: str,
) -> dict[str, str]:
    """What is wrong with a proposal's day, time and format, field by field."""
    errors: dict[str, str] = {}
    if day is not None and not rules.within_meeting(day, meeting.start_date, meeting.end_date):
        errors["date"] = _("Choose a day of the meeting, from %(first)s to %(last)s.") % {
            "first": date_format(meeting.start_date),
            "last": date_format(meeting.end_date),
        }
    if starts_at and ends_at:
        if ends_at <= starts_at:
            errors["ends_at"] = _("A side event must end after it starts.")
        elif (
            day is not None
            and "date" not in errors
            and rules.overlaps_plenary(starts_at, ends_at, plenary_times(meeting, day))
        ):
            errors["starts_at"] = _(
                "This time overlaps a plenary session of that day. Choose a time outside "
                "the sessions, such as %(slots)s."
            ) % {"slots": ", ".join(slot.label for slot in slots_of(policy))}
    allowed = rules.formats_allowed(
        allows_virtual=policy.allows_virtual, allows_hybrid=policy.allows_hybrid
    )
    if format and format not in allowed:
        if format == SideEventProposal.Format.HYBRID:
            errors["format"] = _("This meeting takes no hybrid side events.")
        else:
            errors["format"] = _("This meeting takes no virtual side events.")
    elif format and rules.needs_access_link(format) and not access_link:
        errors["access_link"] = _("Give the link by which participants join online.")
    return errors


def slots_of(policy: SideEventPolicy) -> list[rules.Interval]:
    try:
        return rules.parse_slots(policy.slots)
    except ValueError:
        return []


def submit_proposal(
    *,
    meeting: Meeting,
    data: ProposalData,
    by: AbstractBaseUser | None,
    now: dt.datetime | None = None,
) -> SideEventProposal:
    """Record a proposal, if proposals are still open and its day, time and format fit."""
    now = now or timezone.now()
    policy = policy_of(meeting)
    if policy is None:
        raise SideEventError(_("This meeting takes no side-event proposals."))
    if not rules.proposals_open(now, policy.proposals_close_at):
        raise SideEventError(closed_message(meeting, policy))
    errors = proposal_errors(
        meeting=meeting,
        policy=policy,
        day=data.date,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        format=data.format,
        access_link=data.access_link,
    )
    if errors:
        raise SideEventError(errors)
    return SideEventProposal.objects.create(
        meeting=meeting, submitted_by=by if by and by.is_authenticated else None, **vars(data)
    )


def closed_message(meeting: Meeting, policy: SideEventPolicy) -> str:
    closes = timezone.localtime(policy.proposals_close_at, meeting.tz)
    return _("Proposals for side events at this meeting closed on %(date)s at %(time)s.") % {
        "date": date_format(closes.date()),
        "time": f"{closes:%H:%M}",
    }


def accept_proposal(
    *,
    proposal: SideEventProposal,
    by: AbstractBaseUser | None,
    room: str = "",
    starts_at: dt.time | None = None,
    ends_at: dt.time | None = None,
    message: str = "",
    notify: bool = True,
) -> SideEventProposal:
    """Accept a proposal in a free room (the given one, or the first free) and publish it.

    Raises ``SideEventError`` when the room is taken at that time, when no reserved room is
    free, or when the time overlaps a plenary session. The contact is emailed once the
    decision is in the database.
    """
    with transaction.atomic():
        policy = SideEventPolicy.objects.select_for_update().get(meeting_id=proposal.meeting_id)
        proposal = (
            SideEventProposal.objects.select_for_update(of=("self",))
            .select_related("meeting")
            .get(pk=proposal.pk)
        )
        meeting = proposal.meeting
        if proposal.status not in (Status.SUBMITTED, Status.ACCEPTED):
            raise SideEventError(
                _("This proposal was %(status)s: it can no longer be accepted.")
                % {"status": proposal.get_status_display().lower()}
            )
        start = starts_at or proposal.starts_at
        end = ends_at or proposal.ends_at
        errors = proposal_errors(
            meeting=meeting,
            policy=policy,
            day=proposal.date,
            starts_at=start,
            ends_at=end,
            format=None,
            access_link=proposal.access_link,
        )
        if errors:
            raise SideEventError(next(iter(errors.values())))
        if proposal.format == SideEventProposal.Format.VIRTUAL:
            room = ""
        else:
            room = _allocate_room(proposal, policy, room, start, end)
        proposal.status = Status.ACCEPTED
        proposal.room = room
        proposal.allocated_starts_at = start
        proposal.allocated_ends_at = end
        proposal.secretariat_message = message or proposal.secretariat_message
        proposal.decided_by = by
        proposal.decided_at = timezone.now()
        publish(proposal)
        proposal.save()
        if notify:
            _email_after_commit(proposal)
    return proposal


def _allocate_room(
    proposal: SideEventProposal,
    policy: SideEventPolicy,
    room: str,
    start: dt.time,
    end: dt.time,
) -> str:
    rooms = rooms_of(policy)
    free = rules.free_rooms(
        proposal.date,
        start,
        end,
        bookings_of(proposal.meeting, day=proposal.date, except_side_event=proposal.side_event_id),
        rooms,
    )
    values = {
        "room": room,
        "day": date_format(proposal.date),
        "time": f"{start:%H:%M}–{end:%H:%M}",
    }
    if room and room not in rooms:
        raise SideEventError(
            _("%(room)s is not one of the rooms reserved for side events.") % values
        )
    if room and room not in free:
        raise SideEventError(_("%(room)s is already taken on %(day)s at %(time)s.") % values)
    if not free:
        raise SideEventError(
            _("Every room reserved for side events is taken on %(day)s at %(time)s.") % values
        )
    return room or free[0]


def decline_proposal(
    *, proposal: SideEventProposal, by: AbstractBaseUser | None, message: str
) -> SideEventProposal:
    """Decline with a message to the contact; a published side event leaves the schedule."""
    with transaction.atomic():
        SideEventPolicy.objects.select_for_update().filter(meeting_id=proposal.meeting_id).first()
        proposal = (
            SideEventProposal.objects.select_for_update(of=("self",))
            .select_related("meeting")
            .get(pk=proposal.pk)
        )
        if proposal.status == Status.WITHDRAWN:
            raise SideEventError(_("This proposal was withdrawn by its organisers."))
        unpublish(proposal)
        proposal.status = Status.DECLINED
        proposal.room = ""
        proposal.allocated_starts_at = proposal.allocated_ends_at = None
        proposal.secretariat_message = message
        proposal.decided_by = by
        proposal.decided_at = timezone.now()
        proposal.save()
        _email_after_commit(proposal)
    return proposal


def withdraw_proposal(*, proposal: SideEventProposal) -> SideEventProposal:
    """The organisers withdraw their proposal; a published side event leaves the schedule."""
    with transaction.atomic():
        SideEventPolicy.objects.select_for_update().filter(meeting_id=proposal.meeting_id).first()
        proposal = (
            SideEventProposal.objects.select_for_update(of=("self",))
            .select_related("meeting")
            .get(pk=proposal.pk)
        )
        if proposal.status in (Status.SUBMITTED, Status.ACCEPTED):
            unpublish(proposal)
            proposal.status = Status.WITHDRAWN
            proposal.room = ""
            proposal.allocated_starts_at = proposal.allocated_ends_at = None
            proposal.save()
    return proposal


def publish(proposal: SideEventProposal) -> SideEvent:
    """Write the accepted proposal into the schedule as a side event of its day.

    Called inside the decision's transaction; saving the proposal is the caller's part.
    """
    event = proposal.side_event or SideEvent(meeting=proposal.meeting)
    event.date = proposal.date
    event.title = proposal.title
    event.starts_at = proposal.allocated_starts_at
    event.ends_at = proposal.allocated_ends_at
    event.room = proposal.room
    event.format = (
        SideEvent.Format.VIRTUAL
        if proposal.format == SideEventProposal.Format.VIRTUAL
        else SideEvent.Format.IN_PERSON
    )
    event.organisers = proposal.organisers
    event.access_link = proposal.access_link
    event.link_shown = proposal.link_shown
    event.save()
    proposal.side_event = event
    # A day with a side event published no longer shows "tbc".
    SideEvent.objects.filter(meeting=proposal.meeting, date=proposal.date, title="").delete()
    return event


def unpublish(proposal: SideEventProposal) -> None:
    """Take the side event out of the schedule; a day left without one shows "tbc" again."""
    event = proposal.side_event
    if event is None:
        return
    day = event.date
    proposal.side_event = None
    event.delete()
    if not SideEvent.objects.filter(meeting_id=proposal.meeting_id, date=day).exists():
        SideEvent.objects.create(meeting_id=proposal.meeting_id, date=day, title="")


def _email_after_commit(proposal: SideEventProposal) -> None:
    from convocation.side_events.tasks import send_decision_email

    proposal_id = proposal.pk
    transaction.on_commit(lambda: send_decision_email.enqueue(proposal_id))
