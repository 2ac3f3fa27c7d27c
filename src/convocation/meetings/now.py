"""What is in session now, and what comes next, during the meeting week.

Sub-working groups meet "on a rolling basis": one may finish before its slot ends and the
next begin at once. The Secretariat marks a session started or finished (``mark_started``,
``mark_finished``), and the marks win over the clock: a session marked finished is not in
session even while its slot runs; a session marked started is in session even before its
slot begins, until it is marked finished (or, where nobody marks it, ``OVERRUN`` after its
slot ends).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from convocation.meetings.models import Meeting, Session

# A session marked started and never marked finished stops counting as in session this long
# after its slot ends, so that a forgotten mark does not leave it "now" for the rest of the week.
OVERRUN = dt.timedelta(hours=3)


@dataclass(frozen=True)
class LiveSession:
    session_id: int
    label: str
    start: dt.datetime
    end: dt.datetime
    room: str = ""
    closed: bool = False
    parent_acronym: str = ""
    started_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None


def is_running(session: LiveSession, at: dt.datetime) -> bool:
    if session.ended_at is not None and session.ended_at <= at:
        return False
    if session.started_at is not None and session.started_at <= at:
        return at < max(session.end, session.started_at) + OVERRUN
    return session.start <= at < session.end


def is_over(session: LiveSession, at: dt.datetime) -> bool:
    if session.ended_at is not None and session.ended_at <= at:
        return True
    if session.started_at is not None and session.started_at <= at:
        return not is_running(session, at)
    return session.end <= at


def now_and_next(
    sessions: Iterable[LiveSession], at: dt.datetime
) -> tuple[list[LiveSession], list[LiveSession]]:
    """The sessions in session at ``at``, and those that begin next (all at the same start).

    A session counts as next when it has neither begun by the clock nor been marked; those
    sharing the earliest start are all next (parallel sessions of one slot).
    """
    ordered = sorted(sessions, key=lambda s: (s.start, s.end, s.session_id))
    now = [session for session in ordered if is_running(session, at)]
    upcoming = [
        session
        for session in ordered
        if not is_running(session, at) and not is_over(session, at) and session.start > at
    ]
    if not upcoming:
        return now, []
    first = upcoming[0].start
    return now, [session for session in upcoming if session.start == first]


def live_session(session: Session) -> LiveSession:
    body = session.body
    return LiveSession(
        session_id=session.pk,
        label=body.label,
        start=session.start,
        end=session.end,
        room=session.room,
        closed=session.is_closed,
        parent_acronym=body.parent.acronym if body.parent_id else "",
        started_at=session.started_at,
        ended_at=session.ended_at,
    )


def live_sessions(meeting: Meeting) -> list[LiveSession]:
    """The meeting's sessions still on the schedule, with their marks, in one query."""
    return [
        live_session(session)
        for session in Session.objects.filter(meeting=meeting, cancelled=False)
        .select_related("body__parent")
        .order_by("start", "id")
    ]


def mark_started(session: Session, *, at: dt.datetime | None = None) -> Session:
    """The session has begun: it is in session from now, whatever its slot says."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        session.started_at = at or timezone.now()
        session.ended_at = None
        session.save(update_fields=["started_at", "ended_at", "updated_at"])
    return session


def mark_finished(session: Session, *, at: dt.datetime | None = None) -> Session:
    """The session is over: it is no longer in session, even if its slot runs on."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        at = at or timezone.now()
        if session.started_at is None:
            session.started_at = min(session.start, at)
        session.ended_at = at
        session.save(update_fields=["started_at", "ended_at", "updated_at"])
    return session


def clear_marks(session: Session) -> Session:
    """Back to the clock: the session runs in its slot."""
    session.started_at = None
    session.ended_at = None
    session.save(update_fields=["started_at", "ended_at", "updated_at"])
    return session
