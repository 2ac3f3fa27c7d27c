"""Revisions of a meeting's draft schedule: what each published, and what changed since.

A revision keeps a snapshot of the sessions as published (cancelled ones too, with their
status), so ``diff`` reads the changes between two revisions from their snapshots alone,
without the database, and ``describe`` says each change in plain words in the active
language. ``publish_revision`` is the one write: it takes the snapshot, raises the iCalendar
SEQUENCE of every session that changed, records the revision and tells the apps above
(``revision_published``: registrations sends the change notices) in the same transaction.
"""

import datetime as dt
import enum
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Max
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from convocation.meetings.models import Meeting, ScheduleRevision, Session
from convocation.meetings.schedule import Grid, SessionFact, schedule_grid
from convocation.treaties.models import Body

SCHEDULED = "scheduled"
CANCELLED = "cancelled"

# Sent inside the publishing transaction, with ``revision`` and ``changes``: a receiver that
# fails rolls the revision back with it. Receivers live in the apps above meetings (meetings
# imports none of them); ``MeetingsConfig.ready`` loads their ``change_notices`` modules.
revision_published = Signal()

Entry = dict[str, Any]


class Kind(enum.StrEnum):
    ADDED = "added"
    CANCELLED = "cancelled"
    MOVED = "moved"
    ROOM = "room"
    ACCESS = "access"
    BODY = "body"


ORDER = list(Kind)


@dataclass(frozen=True)
class Change:
    """One change to one session between two revisions; ``before`` or ``after`` may be None."""

    kind: Kind
    session_id: int
    before: Entry | None
    after: Entry | None

    @property
    def entry(self) -> Entry:
        """The session as it is now, or as it was when it is gone."""
        return self.after or self.before  # type: ignore[return-value]


# Snapshots ------------------------------------------------------------------------------


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def session_entry(session: Session) -> Entry:
    """A session as a revision keeps it: its body named in every language of the site."""
    body = session.body
    parent = body.parent if body.kind == Body.Kind.SUB_WORKING_GROUP else None
    label, full_name = {}, {}
    for language in _languages():
        with translation.override(language):
            label[language] = body.label
            full_name[language] = body.full_name
    return {
        "id": session.pk,
        "label": label,
        "full_name": full_name,
        "acronym": parent.acronym if parent else body.acronym,
        "parent_acronym": parent.acronym if parent else "",
        "start": session.start.astimezone(dt.UTC).isoformat(),
        "end": session.end.astimezone(dt.UTC).isoformat(),
        "room": session.room,
        "access": session.effective_access,
        "status": CANCELLED if session.cancelled else SCHEDULED,
    }


def snapshot(sessions: Iterable[Session]) -> list[Entry]:
    return [
        session_entry(session)
        for session in sorted(sessions, key=lambda session: (session.start, session.pk))
    ]


def in_language(names: str | dict[str, str], language: str | None = None) -> str:
    """A name kept per language, in this one (or English, where it is missing)."""
    if isinstance(names, str):
        return names
    language = (language or translation.get_language() or "en").split("-")[0]
    return names.get(language) or names.get("en") or next(iter(names.values()), "")


def _instant(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def _is_scheduled(entry: Entry | None) -> bool:
    return entry is not None and entry.get("status", SCHEDULED) == SCHEDULED


def grid_of(revision: ScheduleRevision) -> Grid:
    """The schedule grid of a revision, from its snapshot: the sessions scheduled then."""
    meeting = revision.meeting
    return schedule_grid(
        first_day=meeting.start_date,
        last_day=meeting.end_date,
        time_zone=meeting.time_zone,
        sessions=[
            SessionFact(
                start=_instant(entry["start"]),
                end=_instant(entry["end"]),
                label=in_language(entry["label"]),
                acronym=entry.get("acronym", ""),
                closed=entry["access"] != Body.Access.OPEN,
                parent_acronym=entry.get("parent_acronym", ""),
                full_name=in_language(entry.get("full_name") or entry["label"]),
            )
            for entry in revision.snapshot
            if _is_scheduled(entry)
        ],
    )


# The changes between two snapshots --------------------------------------------------------


def diff(previous: Sequence[Entry], current: Sequence[Entry]) -> list[Change]:
    """What changed from one snapshot to the next, session by session in time order.

    A session deleted since the previous revision counts as cancelled; a cancelled session
    scheduled again counts as added. A session may change in several ways at once (moved
    and given another room): each is a change of its own.
    """
    before = {entry["id"]: entry for entry in previous}
    after = {entry["id"]: entry for entry in current}
    changes: list[Change] = []
    for session_id in before.keys() | after.keys():
        old, new = before.get(session_id), after.get(session_id)
        was, now = _is_scheduled(old), _is_scheduled(new)
        if now and not was:
            changes.append(Change(Kind.ADDED, session_id, old, new))
        elif was and not now:
            changes.append(Change(Kind.CANCELLED, session_id, old, new))
        elif was and now:
            assert old is not None and new is not None
            if (_instant(old["start"]), _instant(old["end"])) != (
                _instant(new["start"]),
                _instant(new["end"]),
            ):
                changes.append(Change(Kind.MOVED, session_id, old, new))
            if old.get("room", "") != new.get("room", ""):
                changes.append(Change(Kind.ROOM, session_id, old, new))
            if old["access"] != new["access"]:
                changes.append(Change(Kind.ACCESS, session_id, old, new))
            if in_language(old["label"], "en") != in_language(new["label"], "en"):
                changes.append(Change(Kind.BODY, session_id, old, new))
    return sorted(
        changes,
        key=lambda change: (
            _instant(change.entry["start"]),
            change.session_id,
            ORDER.index(change.kind),
        ),
    )


def _when(entry: Entry, zone: zoneinfo.ZoneInfo) -> str:
    start = _instant(entry["start"]).astimezone(zone)
    end = _instant(entry["end"]).astimezone(zone)
    return (
        f"{date_format(start, 'l')} {date_format(start, 'MONTH_DAY_FORMAT')} "
        f"{start:%H:%M}–{end:%H:%M}"
    )


def _access(value: str) -> str:
    return str(Body.Access(value).label) if value in Body.Access.values else value


def describe(change: Change, zone: zoneinfo.ZoneInfo | str) -> str:
    """The change in plain words, in the active language and the meeting's local time."""
    if isinstance(zone, str):
        zone = zoneinfo.ZoneInfo(zone)
    entry = change.entry
    words = {"session": in_language(entry["label"]), "when": _when(entry, zone)}
    if change.kind == Kind.ADDED:
        return _("%(session)s added on %(when)s") % words
    if change.kind == Kind.CANCELLED:
        return _("%(session)s on %(when)s cancelled") % words
    assert change.before is not None and change.after is not None
    if change.kind == Kind.MOVED:
        return _("%(session)s moved from %(before)s to %(after)s") % {
            "session": words["session"],
            "before": _when(change.before, zone),
            "after": _when(change.after, zone),
        }
    if change.kind == Kind.ROOM:
        nowhere = _("no room given")
        return _("%(session)s on %(when)s: room changed from %(before)s to %(after)s") % {
            **words,
            "before": change.before.get("room") or nowhere,
            "after": change.after.get("room") or nowhere,
        }
    if change.kind == Kind.ACCESS:
        if change.after["access"] == Body.Access.OPEN:
            return _("%(session)s on %(when)s: now open to all participants") % words
        return _("%(session)s on %(when)s: now for %(access)s") % {
            **words,
            "access": _access(change.after["access"]),
        }
    return _("%(before)s on %(when)s is now a session of %(after)s") % {
        "before": in_language(change.before["label"]),
        "when": words["when"],
        "after": in_language(change.after["label"]),
    }


# Reads ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RevisionView:
    """A revision with the changes since the one before, as the pages show them."""

    revision: ScheduleRevision
    changes: list[str]
    is_first: bool


def revision_view(revision: ScheduleRevision, previous: ScheduleRevision | None) -> RevisionView:
    if previous is None:
        return RevisionView(revision, [], True)
    zone = revision.meeting.tz
    return RevisionView(
        revision,
        [describe(change, zone) for change in diff(previous.snapshot, revision.snapshot)],
        False,
    )


def changes_of(revision: ScheduleRevision) -> list[Change]:
    """The changes a revision published, against the revision before it (none for the first)."""
    previous = (
        ScheduleRevision.objects.filter(meeting_id=revision.meeting_id, number__lt=revision.number)
        .order_by("-number")
        .first()
    )
    return diff(previous.snapshot, revision.snapshot) if previous else []


# The write ------------------------------------------------------------------------------


def publish_revision(
    *,
    meeting: Meeting,
    note: str,
    by: AbstractBaseUser | None,
    at: dt.datetime | None = None,
) -> ScheduleRevision:
    """Publish the schedule as it stands now as the meeting's next revision.

    Under a lock on the meeting's row, so two officers publishing at once get numbers one
    after the other and each diff is against the revision just before it. Every session that
    changed since the previous revision gets its SEQUENCE raised once; the first revision is
    the baseline, and changes nothing. ``by`` is None only for a revision no officer
    published (the demo's first): no change notice can go out in nobody's name.
    """
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        previous = meeting.revisions.order_by("-number").first()
        sessions = list(Session.objects.filter(meeting=meeting).select_related("body__parent"))
        current = snapshot(sessions)
        changes = diff(previous.snapshot, current) if previous else []
        changed = {change.session_id for change in changes}
        # A session scheduled again after it was cancelled, or moved, must replace what the
        # calendars hold: its SEQUENCE goes up. Sessions deleted since have no row to raise.
        Session.objects.filter(pk__in=changed).update(
            sequence=F("sequence") + 1, updated_at=timezone.now()
        )
        number = (meeting.revisions.aggregate(last=Max("number"))["last"] or 0) + 1
        revision = ScheduleRevision.objects.create(
            meeting=meeting,
            number=number,
            published_at=at or timezone.now(),
            published_by=by,
            note=note.strip(),
            snapshot=current,
        )
        revision_published.send(sender=ScheduleRevision, revision=revision, changes=changes)
    return revision
