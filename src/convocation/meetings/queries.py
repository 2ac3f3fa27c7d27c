"""Reads of meetings, in a fixed number of queries whatever the number of sessions."""

import hashlib

from django.db.models import Count, Max, OuterRef, Prefetch, QuerySet, Subquery

import convocation
from convocation.cycles.models import Office
from convocation.meetings.models import Meeting, Session, SideEvent
from convocation.meetings.schedule import Grid, SessionFact, SideEventFact, schedule_grid
from convocation.treaties.models import Body


def _per_meeting(queryset: QuerySet, **aggregate) -> Subquery:
    return Subquery(
        queryset.filter(meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(**aggregate)
        .values(*aggregate)
    )


def meeting_fingerprint(slug: str) -> str | None:
    """A digest that changes whenever anything shown on the meeting's pages changes.

    One query reads the latest change and the count of each kind of record a meeting page
    shows: the count catches a deletion, the latest change catches an edit or an addition.
    None when there is no such meeting.
    """
    row = (
        Meeting.objects.filter(slug=slug)
        .annotate(
            sessions_changed=_per_meeting(Session.objects, latest=Max("updated_at")),
            sessions_count=_per_meeting(Session.objects, n=Count("id")),
            side_events_changed=_per_meeting(SideEvent.objects, latest=Max("updated_at")),
            side_events_count=_per_meeting(SideEvent.objects, n=Count("id")),
            bodies_changed=Subquery(
                Body.objects.filter(treaty=OuterRef("cycle__treaty"))
                .order_by()
                .values("treaty")
                .annotate(latest=Max("updated_at"), n=Count("id"))
                .values("latest")
            ),
            bodies_count=Subquery(
                Body.objects.filter(treaty=OuterRef("cycle__treaty"))
                .order_by()
                .values("treaty")
                .annotate(n=Count("id"))
                .values("n")
            ),
        )
        .values_list(
            "pk",
            "updated_at",
            "cycle__updated_at",
            "cycle__treaty__updated_at",
            "sessions_changed",
            "sessions_count",
            "side_events_changed",
            "side_events_count",
            "bodies_changed",
            "bodies_count",
        )
        .first()
    )
    if row is None:
        return None
    return hashlib.blake2b(
        repr((convocation.__version__, *row)).encode(), digest_size=12
    ).hexdigest()


def meetings_for_list() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("cycle__treaty").order_by("-start_date")


def meeting_with_schedule(slug: str) -> Meeting:
    """The meeting with its sessions (and their bodies) and side events, in four queries."""
    return (
        Meeting.objects.select_related("cycle__treaty")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.select_related("body__parent").order_by("start", "id"),
            ),
            "side_events",
        )
        .get(slug=slug)
    )


def session_fact(session: Session) -> SessionFact:
    body = session.body
    parent = body.parent if body.kind == Body.Kind.SUB_WORKING_GROUP else None
    return SessionFact(
        start=session.start,
        end=session.end,
        label=body.label,
        acronym=parent.acronym if parent else body.acronym,
        closed=session.is_closed,
        parent_acronym=parent.acronym if parent else "",
        full_name=body.full_name,
    )


def grid_for(meeting: Meeting) -> Grid:
    """The grid of a meeting loaded by ``meeting_with_schedule``."""
    return schedule_grid(
        first_day=meeting.start_date,
        last_day=meeting.end_date,
        time_zone=meeting.time_zone,
        sessions=[session_fact(session) for session in meeting.sessions.all()],
        side_events=[SideEventFact(e.date, e.title) for e in meeting.side_events.all()],
    )


def bodies_used(meeting: Meeting) -> list[Body]:
    """The bodies meeting in a meeting, in the order of the treaty's list of bodies."""
    seen = {session.body_id: session.body for session in meeting.sessions.all()}
    return sorted(seen.values(), key=lambda body: (body.order, body.label))


def body_with_meetings(treaty_code: str, slug: str) -> tuple[Body, list[Meeting], list[Office]]:
    body = (
        Body.objects.select_related("treaty", "parent")
        .prefetch_related("children")
        .get(treaty__code__iexact=treaty_code, slug=slug)
    )
    meetings = list(
        Meeting.objects.filter(sessions__body__in=[body, *body.children.all()])
        .select_related("cycle")
        .distinct()
        .order_by("-start_date")
    )
    offices = list(
        Office.objects.filter(body__in=[body, *body.children.all()])
        .select_related("cycle", "holder__state", "body__parent")
        .order_by("-cycle__number", "title")
    )
    return body, meetings, offices
