"""Reads of meetings, in a fixed number of queries whatever the number of sessions."""

import functools
import hashlib
from typing import TypeVar

from django.db import connection
from django.db.models import Model, Prefetch, QuerySet

import convocation
from convocation.cycles.models import ConferenceCycle, Office
from convocation.meetings.models import Meeting, ScheduleRevision, Session, SideEvent
from convocation.meetings.revisions import RevisionView, revision_view
from convocation.meetings.schedule import Grid, SessionFact, SideEventFact, schedule_grid
from convocation.treaties.models import Body, Treaty


@functools.cache
def _fingerprint_sql(companion: type[Model] | None = None) -> str:
    """The fingerprint query, written once from the models' own table and column names.

    Built with the ORM, this query cost about 4 ms of Python on every request to resolve
    and compile six subqueries, for SQL that runs in a tenth of a millisecond: on the
    busiest pages the compiling, not the database, was the limit (docs/performance.md).

    With a ``companion`` (a model whose primary key is a one-to-one to the meeting), its
    row's columns follow the fingerprint's, from a left join: none where there is no row.
    """

    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    def column(model, field: str) -> str:
        return connection.ops.quote_name(model._meta.get_field(field).column)

    updated = column(Meeting, "updated_at")
    meeting_id = f"m.{column(Meeting, 'id')}"
    treaty_id = f"c.{column(ConferenceCycle, 'treaty')}"

    def latest_and_count(model, key: str, parent: str) -> str:
        child, key = table(model), column(model, key)
        return (
            f"(SELECT MAX(x.{updated}) FROM {child} x WHERE x.{key} = {parent}), "
            f"(SELECT COUNT(*) FROM {child} x WHERE x.{key} = {parent})"
        )

    companion_columns = companion_join = ""
    if companion is not None:
        key = companion._meta.pk
        if key.related_model is not Meeting or not key.one_to_one:
            raise ValueError(f"{companion.__name__}'s primary key is not its meeting.")
        companion_columns = "".join(
            f", o.{connection.ops.quote_name(field.column)}"
            for field in companion._meta.concrete_fields
        )
        companion_join = (
            f"LEFT JOIN {table(companion)} o "
            f"ON o.{connection.ops.quote_name(key.column)} = {meeting_id} "
        )
    return (
        f"SELECT {meeting_id}, m.{updated}, c.{updated}, t.{updated}, "
        f"{latest_and_count(Session, 'meeting', meeting_id)}, "
        f"{latest_and_count(SideEvent, 'meeting', meeting_id)}, "
        f"{latest_and_count(Body, 'treaty', treaty_id)}, "
        f"{latest_and_count(ScheduleRevision, 'meeting', meeting_id)}"
        f"{companion_columns} "
        f"FROM {table(Meeting)} m "
        f"JOIN {table(ConferenceCycle)} c "
        f"ON c.{column(ConferenceCycle, 'id')} = m.{column(Meeting, 'cycle')} "
        f"JOIN {table(Treaty)} t ON t.{column(Treaty, 'id')} = {treaty_id} "
        f"{companion_join}"
        f"WHERE m.{column(Meeting, 'slug')} = %s"
    )


CompanionModel = TypeVar("CompanionModel", bound=Model)


def meeting_fingerprint(slug: str) -> str | None:
    """A digest that changes whenever anything shown on the meeting's pages changes.

    One query reads the latest change and the count of each kind of record a meeting page
    shows: the count catches a deletion, the latest change catches an edit or an addition.
    None when there is no such meeting.
    """
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql(), [slug])
        row = cursor.fetchone()
    return None if row is None else _digest(row)


def _digest(row: tuple) -> str:
    return hashlib.blake2b(
        repr((convocation.__version__, *row)).encode(), digest_size=12
    ).hexdigest()


def meeting_fingerprint_with(
    slug: str, companion: type[CompanionModel]
) -> tuple[str, CompanionModel | None] | None:
    """The meeting's fingerprint and its row of ``companion``, read in the same query.

    For a page that needs, beside what is cached under the fingerprint, one row that must
    be current on every request (the registration policy): one round trip instead of two.
    The row is None where the meeting has none yet; the whole is None where there is no
    such meeting.
    """
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql(companion), [slug])
        row = cursor.fetchone()
    if row is None:
        return None
    # The companion's columns come last: the fingerprint is digested from the others.
    fields = companion._meta.concrete_fields
    fingerprint, values = _digest(row[: -len(fields)]), row[-len(fields) :]
    if values[fields.index(companion._meta.pk)] is None:
        return fingerprint, None
    converted = []
    for field, value in zip(fields, values, strict=True):
        column = field.cached_col
        for converter in connection.ops.get_db_converters(column) + field.get_db_converters(
            connection
        ):
            value = converter(value, column, connection)
        converted.append(value)
    return fingerprint, companion.from_db(
        connection.alias, [field.attname for field in fields], converted
    )


def meetings_for_list() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("cycle__treaty").order_by("-start_date")


def meeting_with_schedule(slug: str, *, with_cancelled: bool = False) -> Meeting:
    """The meeting with its sessions (and their bodies) and side events, in four queries.

    ``meeting.sessions.all()`` is then the schedule: cancelled sessions are left out, as the
    grid, the annex and the letters leave them out. The calendar feed asks for them
    (``with_cancelled``), since it must tell calendars to remove them.
    """
    sessions = Session.objects.select_related("body__parent").order_by("start", "id")
    if not with_cancelled:
        sessions = sessions.filter(cancelled=False)
    return (
        Meeting.objects.select_related("cycle__treaty")
        .prefetch_related(
            Prefetch("sessions", queryset=sessions),
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


def revisions_for_page(
    meeting: Meeting,
) -> tuple[RevisionView | None, list[ScheduleRevision]]:
    """The current revision with its changes in words, and the earlier ones, in two queries.

    Only the two latest snapshots are read: the earlier revisions are listed by number and
    date, and each is read on its own page.
    """
    listed = list(
        ScheduleRevision.objects.filter(meeting=meeting).defer("snapshot").order_by("-number")
    )
    if not listed:
        return None, []
    latest = list(
        ScheduleRevision.objects.filter(pk__in=[r.pk for r in listed[:2]]).order_by("-number")
    )
    for revision in latest:
        revision.meeting = meeting
    current = revision_view(latest[0], latest[1] if len(latest) > 1 else None)
    return current, listed[1:]


def revision_of(slug: str, number: int) -> tuple[RevisionView, list[ScheduleRevision]]:
    """One revision of a meeting with its changes, and the list of all its revisions."""
    revision = ScheduleRevision.objects.select_related("meeting__cycle__treaty").get(
        meeting__slug=slug, number=number
    )
    previous = (
        ScheduleRevision.objects.filter(meeting_id=revision.meeting_id, number__lt=number)
        .order_by("-number")
        .first()
    )
    if previous is not None:
        previous.meeting = revision.meeting
    listed = list(
        ScheduleRevision.objects.filter(meeting_id=revision.meeting_id)
        .defer("snapshot")
        .order_by("-number")
    )
    return revision_view(revision, previous), listed


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
