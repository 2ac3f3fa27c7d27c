"""Reads of side events for the pages, in a fixed number of queries."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from convocation.meetings.models import Meeting, SideEvent
from convocation.registrations import access
from convocation.registrations.models import Registration
from convocation.side_events.models import SideEventProposal


def published_side_events(meeting: Meeting) -> QuerySet[SideEvent]:
    """The side events with a title, with their proposal (for the contact), by day and time."""
    return (
        SideEvent.objects.filter(meeting=meeting)
        .exclude(title="")
        .select_related("proposal")
        .order_by("date", "starts_at", "id")
    )


def is_registered_for(user: AbstractBaseUser | AnonymousUser, meeting: Meeting) -> bool:
    """A confirmed registration of the signed-in delegate for the meeting."""
    person = access.person_of(user)
    if person is None:
        return False
    return Registration.objects.filter(
        meeting=meeting, person=person, status=Registration.Status.CONFIRMED
    ).exists()


def proposals_of(user: AbstractBaseUser) -> QuerySet[SideEventProposal]:
    return (
        SideEventProposal.objects.filter(submitted_by=user)
        .select_related("meeting")
        .order_by("-created_at", "-id")
    )
