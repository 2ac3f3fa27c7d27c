"""The schedule of a meeting as an iCalendar feed (RFC 5545), built with ``icalendar``.

Each session keeps its UID for life. A published revision that changes a session raises its
SEQUENCE, and a cancelled session stays in the feed with STATUS:CANCELLED, so that a calendar
holding the entry updates or removes it instead of keeping a stale copy beside a new one.
"""

import datetime as dt

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from convocation.meetings.models import Meeting, Session, SideEvent


def session_uid(session: Session) -> str:
    """Stable for the life of the session, whatever is edited, so calendars update in place."""
    return f"{session.meeting.slug}-session-{session.pk}@convocation"


def schedule_calendar(meeting: Meeting) -> bytes:
    """Every session of the meeting, cancelled ones included (``meeting.sessions`` as loaded)."""
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
        event.add("last-modified", session.updated_at)
        event.add("sequence", session.sequence)
        if session.cancelled:
            event.add("status", "CANCELLED")
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
    for side_event in meeting.side_events.all():
        if side_event.title and side_event.starts_at and side_event.ends_at:
            calendar.add_component(_side_event(meeting, side_event, location))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _side_event(meeting: Meeting, side_event: SideEvent, location: str) -> Event:
    """A published side event with its time; one still "tbc" has none and is left out."""
    zone = meeting.tz
    event = Event()
    event.add("uid", f"{meeting.slug}-side-event-{side_event.pk}@convocation")
    event.add("dtstamp", side_event.updated_at)
    event.add("dtstart", dt.datetime.combine(side_event.date, side_event.starts_at, tzinfo=zone))
    event.add("dtend", dt.datetime.combine(side_event.date, side_event.ends_at, tzinfo=zone))
    event.add("summary", _("Side event: %(title)s") % {"title": side_event.title})
    if side_event.format == SideEvent.Format.VIRTUAL:
        event.add("location", _("Online"))
    else:
        event.add("location", f"{side_event.room}, {location}" if side_event.room else location)
    description = f"{meeting.local_title}\n{side_event.organisers}"
    # Only a link the organisers made public goes into the public feed.
    if side_event.access_link and side_event.link_shown == SideEvent.LinkShown.PUBLIC:
        event.add("url", side_event.access_link)
        description += f"\n{side_event.access_link}"
    event.add("description", description)
    event.add("class", "PUBLIC")
    return event
