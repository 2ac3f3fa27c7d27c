"""The schedule of a meeting as JSON, for scripts and other tools."""

from typing import Any

from convocation.meetings.calendar import session_uid
from convocation.meetings.models import Meeting


def _date(value) -> str | None:
    return value.isoformat() if value else None


def schedule_document(meeting: Meeting) -> dict[str, Any]:
    zone = meeting.tz
    return {
        "meeting": {
            "slug": meeting.slug,
            "title": meeting.title,
            "treaty": meeting.cycle.treaty.code.upper(),
            "cycle": meeting.cycle.code,
            "kind": meeting.kind,
            "status": meeting.status,
            "start_date": _date(meeting.start_date),
            "end_date": _date(meeting.end_date),
            "venue": meeting.venue,
            "city": meeting.city,
            "country": meeting.country,
            "time_zone": meeting.time_zone,
            "format": meeting.format,
            "registration": meeting.registration,
            "livestream": meeting.livestream,
            "documents_target_date": _date(meeting.documents_target_date),
            "schedule_is_draft": meeting.schedule_is_draft,
        },
        "sessions": [
            {
                "uid": session_uid(session),
                "start": session.start.astimezone(zone).isoformat(),
                "end": session.end.astimezone(zone).isoformat(),
                "body": {
                    "acronym": session.body.acronym
                    or (session.body.parent.acronym if session.body.parent_id else ""),
                    "name": session.body.label,
                    "full_name": session.body.full_name,
                    "kind": session.body.kind,
                },
                "room": session.room,
                "access": session.effective_access,
            }
            for session in meeting.sessions.all()
        ],
        "side_events": [
            {
                "date": _date(event.date),
                "title": event.title or None,
                "to_be_confirmed": not event.title,
            }
            for event in meeting.side_events.all()
        ],
    }
