"""The meeting's policies said in plain words, as a delegate needs to read them."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from convocation.meetings.models import Meeting
from convocation.meetings.schedule import Grid


def format_in_words(meeting: Meeting) -> str:
    streamed = meeting.livestream != Meeting.Livestream.NONE
    if meeting.format == Meeting.Format.IN_PERSON:
        return _("In person, with livestream") if streamed else _("In person")
    if meeting.format == Meeting.Format.HYBRID:
        return _("Hybrid: in person and online")
    return _("Virtual, online only")


def registration_in_words(meeting: Meeting, grid: Grid) -> str:
    if meeting.registration == Meeting.Registration.REQUIRED:
        return _("Pre-registration is required for all sessions of this meeting.")
    if meeting.registration == Meeting.Registration.SOME_SESSIONS:
        closed = [
            _("%(body)s on %(day)s")
            % {"body": session.label, "day": date_format(cell.day, "DATE_FORMAT")}
            for row in grid.rows
            for cell in row.cells
            for session in cell.sessions
            if session.closed
        ]
        if closed:
            return _(
                "Pre-registration is not required, except for the closed sessions: %(sessions)s."
            ) % {"sessions": "; ".join(closed)}
        return _("Pre-registration is required for some sessions only.")
    return _("Pre-registration is not required.")


def livestream_in_words(meeting: Meeting) -> str:
    if meeting.livestream == Meeting.Livestream.PUBLIC:
        return _(
            "The meetings can be followed by livestream; the link is published for everyone "
            "in advance of the meetings."
        )
    if meeting.livestream == Meeting.Livestream.REGISTERED:
        return _(
            "The meetings can be followed by livestream; the link is sent to registered "
            "delegates only, in advance of the meetings."
        )
    return _("The meetings are not livestreamed.")


def documents_in_words(meeting: Meeting) -> str:
    if meeting.documents_target_date:
        return _("Meeting documents are to be issued by %(date)s.") % {
            "date": date_format(meeting.documents_target_date, "DATE_FORMAT")
        }
    return _("Meeting documents are issued alongside the invitation.")


def footnote(meeting: Meeting, grid: Grid) -> list[str]:
    notes = []
    if meeting.schedule_is_draft:
        notes.append(_("The draft schedule is subject to change, as appropriate."))
    for acronym in grid.rolling_basis_groups:
        notes.append(
            _("The meetings of the %(group)s sub-working groups will be held on a rolling basis.")
            % {"group": acronym}
        )
    return notes
