"""A delegate's own calendar: the sessions they attend, as the public feed describes them.

The events are taken from the meeting's public feed (``meetings.calendar``) rather than built
again, so that a session has the same UID, title and place in both: a calendar holding the
feed and the attachment shows the session once, and a later change to the feed updates it.
"""

from icalendar import Calendar

from convocation.meetings.calendar import schedule_calendar, session_uid
from convocation.meetings.models import Session
from convocation.registrations.models import Registration


def sessions_attended(registration: Registration) -> list[Session]:
    """The sessions the delegate chose, or, where none was chosen, all open to the delegation.

    A meeting that does not ask which sessions a delegate attends does not offer the choice,
    so no choice means every session; a closed session (States Parties and signatories) still
    counts only where the delegation may attend it on its day.
    """
    related = ("meeting", "body__parent")
    chosen = list(registration.sessions.select_related(*related).order_by("start", "id"))
    if chosen:
        return chosen
    # services imports emails, which imports this module: the import waits until it is used.
    from convocation.registrations import services

    allowed, _refused = services.sessions_open_to(registration.meeting, registration.delegation)
    return list(
        Session.objects.filter(pk__in=[fact.session_id for fact in allowed])
        .select_related(*related)
        .order_by("start", "id")
    )


def registration_calendar(registration: Registration, sessions: list[Session]) -> bytes:
    """An iCalendar file (METHOD:PUBLISH) with these sessions of the registration's meeting."""
    meeting = registration.meeting
    wanted = {session_uid(session) for session in sessions}
    feed = Calendar.from_ical(schedule_calendar(meeting))
    calendar = Calendar()
    calendar.add("prodid", "-//convocation//registration//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # PUBLISH: events to add to one's calendar, not an invitation that asks for a reply.
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", meeting.local_title)
    calendar.add("x-wr-timezone", meeting.time_zone)
    # Awaiting the Secretariat's approval or on the waiting list: the sessions stand in the
    # delegate's calendar as tentative until the registration is confirmed.
    tentative = registration.status in (
        Registration.Status.PENDING,
        Registration.Status.WAITLISTED,
    )
    for component in feed.subcomponents:
        if component.name == "VEVENT":
            if str(component["uid"]) not in wanted:
                continue
            if tentative and "STATUS" not in component:
                component.add("status", "TENTATIVE")
        # Time zone definitions come along, so that the times read in the meeting's zone.
        calendar.add_component(component)
    return calendar.to_ical()
