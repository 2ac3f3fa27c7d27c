"""The reads of the check-in desk and the speakers' list, each in a fixed number of queries."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from convocation.attendance.models import Attendance, Intervention
from convocation.meetings.models import Meeting, Session
from convocation.registrations.models import Registration

SEARCH_LIMIT = 40


def meetings_at_the_door() -> QuerySet[Meeting]:
    """Meetings that take registrations, newest first: those the desk may check in for."""
    return Meeting.objects.exclude(registration=Meeting.Registration.NONE).order_by("-start_date")


def default_meeting(today: dt.date | None = None) -> Meeting | None:
    """The meeting under way today, else the next one, else the latest."""
    today = today or timezone.localdate()
    meetings = meetings_at_the_door()
    return (
        meetings.filter(start_date__lte=today, end_date__gte=today).first()
        or meetings.filter(start_date__gt=today).order_by("start_date").first()
        or meetings.first()
    )


def checked_in_on(day: dt.date) -> Exists:
    return Exists(Attendance.objects.filter(registration=OuterRef("pk"), day=day))


def search(meeting: Meeting, day: dt.date, text: str, limit: int = SEARCH_LIMIT) -> list:
    """Registrations whose name or delegation holds every word typed; one query.

    Each word may match the given or family name, the State's name or code, or the
    organisation's name or acronym: "fra mor" finds Moreau of France.
    """
    words = text.split()[:5]
    if not words:
        return []
    queryset = Registration.objects.filter(meeting=meeting).exclude(
        status__in=[Registration.Status.WITHDRAWN, Registration.Status.REFUSED]
    )
    for word in words:
        queryset = queryset.filter(
            Q(person__family_name__icontains=word)
            | Q(person__given_name__icontains=word)
            | Q(state__name__icontains=word)
            | Q(state__code__iexact=word)
            | Q(organisation__name__icontains=word)
            | Q(organisation__acronym__iexact=word)
        )
    return list(
        queryset.select_related("person", "state", "organisation")
        .annotate(checked_in=checked_in_on(day))
        .order_by("person__family_name", "person__given_name", "pk")[:limit]
    )


@dataclass(frozen=True)
class DoorCounts:
    confirmed: int
    checked_in: int


def door_counts(meeting: Meeting, day: dt.date) -> DoorCounts:
    """How many confirmed delegates, and how many of them checked in on the day; one query."""
    counts = Registration.objects.filter(
        meeting=meeting, status=Registration.Status.CONFIRMED
    ).aggregate(
        # The join repeats a registration once per day it checked in: count it once.
        confirmed=Count("pk", distinct=True),
        checked_in=Count("attendances", filter=Q(attendances__day=day)),
    )
    return DoorCounts(**counts)


def recent_check_ins(meeting: Meeting, day: dt.date, limit: int = 8) -> list[Attendance]:
    return list(
        Attendance.objects.filter(registration__meeting=meeting, day=day)
        .select_related("registration__person", "registration__state", "registration__organisation")
        .order_by("-checked_in_at", "-pk")[:limit]
    )


def registration_by_code(code: str) -> Registration | None:
    return (
        Registration.objects.select_related("meeting", "person", "state", "organisation")
        .filter(check_in_code=code)
        .first()
    )


def interventions_of(session: Session) -> list[Intervention]:
    return list(
        session.interventions.select_related("state", "organisation", "speaker__person").order_by(
            "order"
        )
    )


def possible_speakers(meeting: Meeting) -> list[Registration]:
    """The meeting's confirmed registrants, by delegation, for the speaker's list."""
    return list(
        Registration.objects.filter(meeting=meeting, status=Registration.Status.CONFIRMED)
        .select_related("person", "state", "organisation")
        .order_by(
            "state__name",
            "organisation__name",
            "person__family_name",
            "person__given_name",
        )
    )
