"""The rules of side events as plain functions: deadlines, times, formats, rooms, links.

Nothing here reads the database; callers pass the facts, so each rule is tested at its
edges without a request.
"""

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

_TIME_RANGE = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})\s*[–\-—]\s*(\d{1,2})[:.h](\d{2})\s*$")


@dataclass(frozen=True)
class Interval:
    start: dt.time
    end: dt.time

    @property
    def label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


@dataclass(frozen=True)
class Booking:
    """A room taken on a day for a time: an accepted side event."""

    day: dt.date
    start: dt.time
    end: dt.time
    room: str


def proposals_open(now: dt.datetime, closes_at: dt.datetime) -> bool:
    """Proposals are taken up to and including the closing moment."""
    return now <= closes_at


def overlaps(a_start: dt.time, a_end: dt.time, b_start: dt.time, b_end: dt.time) -> bool:
    """Half-open intervals: one ending at 13:00 does not overlap one starting at 13:00."""
    return a_start < b_end and b_start < a_end


def overlaps_plenary(
    start: dt.time, end: dt.time, plenary: Iterable[tuple[dt.time, dt.time]]
) -> bool:
    """Whether the time overlaps any plenary session of that day (local times)."""
    return any(overlaps(start, end, p_start, p_end) for p_start, p_end in plenary)


def within_meeting(day: dt.date, first_day: dt.date, last_day: dt.date) -> bool:
    return first_day <= day <= last_day


def formats_allowed(*, allows_virtual: bool, allows_hybrid: bool) -> list[str]:
    formats = ["in_person"]
    if allows_virtual:
        formats.append("virtual")
    if allows_hybrid:
        formats.append("hybrid")
    return formats


def needs_access_link(format: str) -> bool:
    return format in ("virtual", "hybrid")


def rooms_of_the_day(room_names: str, rooms_per_day: int) -> list[str]:
    """The rooms reserved each day: the named ones first, then numbered ones up to the count."""
    names = [line.strip() for line in room_names.splitlines() if line.strip()]
    names = names[:rooms_per_day]
    number = 1
    while len(names) < rooms_per_day:
        candidate = _("Side-event room %(number)s") % {"number": number}
        if candidate not in names:
            names.append(candidate)
        number += 1
    return names


def parse_slots(text: str) -> list[Interval]:
    """'13:15–14:45' lines into intervals; a line that is not a time range is an error."""
    slots = []
    for line in text.splitlines():
        if not line.strip():
            continue
        found = _TIME_RANGE.match(line)
        if found is None:
            raise ValueError(line.strip())
        hours, minutes, end_hours, end_minutes = (int(part) for part in found.groups())
        start, end = dt.time(hours, minutes), dt.time(end_hours, end_minutes)
        if end <= start:
            raise ValueError(line.strip())
        slots.append(Interval(start, end))
    return slots


def free_rooms(
    day: dt.date,
    start: dt.time,
    end: dt.time,
    bookings: Iterable[Booking],
    rooms: Sequence[str],
) -> list[str]:
    """The rooms, in their order, that no booking of the day takes at any moment of the time."""
    taken = {
        booking.room
        for booking in bookings
        if booking.day == day and overlaps(start, end, booking.start, booking.end)
    }
    return [room for room in rooms if room not in taken]


def link_to_show(
    link_shown: str, access_link: str, *, registered: bool, secretariat: bool = False
) -> str:
    """The access link a visitor may see: the organiser decides who sees it.

    'public': everyone; 'registered': delegates registered for the meeting (and the
    Secretariat); 'on_request': nobody here, the visitor asks the organisers.
    """
    if not access_link:
        return ""
    if link_shown == "public":
        return access_link
    if link_shown == "registered" and (registered or secretariat):
        return access_link
    return ""
