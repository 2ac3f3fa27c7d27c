"""The rules of registration as plain functions of facts, tested without a request.

``services`` applies them under a lock; the forms use them to offer only what is allowed;
nothing here reads the database.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from convocation.registrations.models import ParticipantCategory, Registration
from convocation.treaties.models import Body
from convocation.treaties.status import StateStatus

STATE_CATEGORIES = {
    StateStatus.STATE_PARTY: ParticipantCategory.STATE_PARTY,
    StateStatus.SIGNATORY: ParticipantCategory.SIGNATORY,
    StateStatus.OBSERVER: ParticipantCategory.OBSERVER,
}
PARTIES_AND_SIGNATORIES = frozenset({StateStatus.STATE_PARTY, StateStatus.SIGNATORY})


def category_of_state(status: StateStatus) -> ParticipantCategory:
    return STATE_CATEGORIES[StateStatus(status)]


def category_of_organisation(organisation_category: str) -> ParticipantCategory:
    return ParticipantCategory(organisation_category)


@dataclass(frozen=True)
class SessionAccess:
    """What the access rule of one session needs to know, and why it may say no."""

    session_id: int
    label: str
    access: str
    day: dt.date
    times: str


def may_attend(access: str, state_status_on_day: StateStatus | None) -> bool:
    """Whether a delegation may attend a session with this access rule.

    ``state_status_on_day`` is the status of the delegation's State on the session's own
    day (a State that becomes a Party the week before the DIEF may attend it), or None for
    an organisation's delegation.
    """
    if access == Body.Access.OPEN:
        return True
    if access == Body.Access.PARTIES_AND_SIGNATORIES:
        return state_status_on_day in PARTIES_AND_SIGNATORIES
    return False


def refusal_reason(session: SessionAccess) -> str:
    return _(
        "%(session)s on %(day)s is open only to delegations of States Parties and "
        "signatory States, by their status on that day."
    ) % {"session": session.label, "day": date_format(session.day, "DATE_FORMAT")}


def needs_approval(category: str, categories_needing_approval: Iterable[str]) -> bool:
    return category in set(categories_needing_approval)


def first_status(
    *,
    category: str,
    mode: str,
    categories_needing_approval: Iterable[str],
    in_person_capacity: int | None,
    confirmed_in_person: int,
) -> Registration.Status:
    """The status a new registration starts with.

    Approval comes first: a registration the Secretariat must look at waits for it, and
    takes an in-person place only when approved (``place_on_approval``).
    """
    if needs_approval(category, categories_needing_approval):
        return Registration.Status.PENDING
    return place(
        mode=mode, in_person_capacity=in_person_capacity, confirmed_in_person=confirmed_in_person
    )


def place(*, mode: str, in_person_capacity: int | None, confirmed_in_person: int) -> str:
    """Confirmed if there is room for the way the delegate attends, else on the waiting list."""
    if mode != Registration.Mode.IN_PERSON or in_person_capacity is None:
        return Registration.Status.CONFIRMED
    if confirmed_in_person < in_person_capacity:
        return Registration.Status.CONFIRMED
    return Registration.Status.WAITLISTED


def is_open_for_changes(now: dt.datetime, meeting_starts: dt.datetime) -> bool:
    """A delegate changes or withdraws a registration until the meeting starts."""
    return now < meeting_starts


def is_open_for_registration(
    now: dt.datetime, meeting_starts: dt.datetime, closes_at: dt.datetime | None
) -> bool:
    return now < (closes_at or meeting_starts) and now < meeting_starts
