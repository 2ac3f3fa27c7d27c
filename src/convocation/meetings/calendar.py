"""The schedule of a meeting as an iCalendar feed (RFC 5545), built with ``icalendar``."""

from icalendar import Calendar, Event

from convocation.meetings.models import Meeting, Session


def session_uid(session: Session) -> str:
    """Stable for the life of the session, whatever is edited, so calendars update in place."""
    return f"{session.meeting.slug}-session-{session.pk}@convocation"


def schedule_calendar(meeting: Meeting) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//convocation//schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", meeting.local_title)
    calendar.add("x-wr-timezone", meeting.time_zone)
    zone = meeting.tz
    location = f"{meeting.venue}, {meeting.local_city}, {meeting.local_country}"
    for session in meeting.sessions.all():
        event = Event()
        event.add("uid", session_uid(session))
        event.add("dtstamp", session.updated_at)
        event.add("dtstart", session.start.astimezone(zone))
        event.add("dtend", session.end.astimezone(zone))
        summary = session.body.label
        if session.is_closed:
            summary += f" ({session.body.Access(session.effective_access).label})"
        event.add("summary", summary)
        room = f"{session.room}, " if session.room else ""
        event.add("location", room + location)
        event.add("description", f"{meeting.local_title}\n{session.body.full_name}")
        event.add("class", "PUBLIC")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
