"""Who may read a document: decided on the server, once, for pages, downloads and emails.

A document of an open body (or of the Conference as a whole) is public once issued. A
document of a body open only to States Parties and signatory States (the DIEF) is read by:

- Secretariat staff;
- a person with a confirmed registration, in the document's cycle, for a State that is a
  State Party or a Signatory State on the document's issue date;
- a focal point of such a State;
- a holder of an office of that body in the document's cycle, or of the office that issued it.

For anybody else such a document does not exist: not listed, not counted, a 404. A document
not yet issued is seen by staff and by whoever submitted it; a withdrawn one by staff only.

``may_read`` is the rule on facts; ``readable`` is the same rule as a query condition, so that
lists are filtered in the database and count what they show. A State's status only ever moves
from observer to signatory to party, so "party or signatory on the issue date" is "issued on
or after the day it first became one" (``allowed_from``).
"""

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from convocation.cycles.models import Office
from convocation.documents.models import Document
from convocation.registrations.access import is_secretariat, person_of
from convocation.registrations.models import FocalPoint, Registration
from convocation.treaties.models import Body, Treaty, TreatyAction
from convocation.treaties.status import ActionFact, party_from

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Reader:
    """What the rule needs to know about who is reading."""

    is_staff: bool = False
    user_id: int | None = None
    # cycle id -> first day the State of a confirmed registration in that cycle was a party
    # or a signatory.
    registered_from: dict[int, dt.date] = field(default_factory=dict)
    # treaty id -> first day a State the reader is focal point for was a party or a signatory.
    focal_point_from: dict[int, dt.date] = field(default_factory=dict)
    # (cycle id, body id) of the offices the reader holds; and the offices' ids.
    office_bodies: frozenset[tuple[int, int]] = frozenset()
    office_ids: frozenset[int] = frozenset()


ANONYMOUS = Reader()


@dataclass(frozen=True)
class DocumentFacts:
    status: str
    body_is_closed: bool
    cycle_id: int
    treaty_id: int
    body_id: int | None = None
    office_id: int | None = None
    issued_on: dt.date | None = None
    submitted_by_id: int | None = None


def allowed_from(
    actions: Iterable[ActionFact], *, entry_into_force: dt.date, delay_days: int
) -> dt.date | None:
    """The first day the State is a State Party or a Signatory State; None if never."""
    actions = list(actions)
    days = [action.date for action in actions if action.kind == "signature"]
    party = party_from(actions, entry_into_force=entry_into_force, delay_days=delay_days)
    if party is not None:
        days.append(party)
    return min(days, default=None)


def may_read(reader: Reader, document: DocumentFacts) -> bool:
    if reader.is_staff:
        return True
    if document.status != Document.Status.ISSUED:
        return (
            document.status == Document.Status.SUBMITTED
            and reader.user_id is not None
            and document.submitted_by_id == reader.user_id
        )
    if not document.body_is_closed:
        return True
    if document.office_id is not None and document.office_id in reader.office_ids:
        return True
    if (document.cycle_id, document.body_id) in reader.office_bodies:
        return True
    since = [
        reader.registered_from.get(document.cycle_id),
        reader.focal_point_from.get(document.treaty_id),
    ]
    return any(day is not None and day <= document.issued_on for day in since)


def facts_of(document: Document) -> DocumentFacts:
    """The facts of a document loaded with its body and its meeting's cycle."""
    return DocumentFacts(
        status=document.status,
        body_is_closed=document.body is not None and document.body.is_closed,
        cycle_id=document.meeting.cycle_id,
        treaty_id=document.meeting.cycle.treaty_id,
        body_id=document.body_id,
        office_id=document.office_id,
        issued_on=document.issued_on,
        submitted_by_id=document.submitted_by_id,
    )


def open_to_all() -> Q:
    return Q(body__isnull=True) | Q(body__access=Body.Access.OPEN)


def readable(reader: Reader) -> Q:
    """``may_read`` as a condition on issued documents (callers filter on the status)."""
    if reader.is_staff:
        return Q()
    condition = open_to_all()
    if reader.office_ids:
        condition |= Q(office_id__in=sorted(reader.office_ids))
    for cycle_id, body_id in sorted(reader.office_bodies):
        condition |= Q(meeting__cycle_id=cycle_id, body_id=body_id)
    for cycle_id, since in sorted(reader.registered_from.items()):
        condition |= Q(meeting__cycle_id=cycle_id, issued_on__gte=since)
    for treaty_id, since in sorted(reader.focal_point_from.items()):
        condition |= Q(meeting__cycle__treaty_id=treaty_id, issued_on__gte=since)
    return condition


def _earliest(days: dict[int, dt.date], key: int, day: dt.date | None) -> None:
    if day is not None and (key not in days or day < days[key]):
        days[key] = day


def reader_for(user: User) -> Reader:
    """The reader a signed-in user is, in a fixed number of queries (none when anonymous)."""
    if not user.is_authenticated:
        return ANONYMOUS
    if is_secretariat(user):
        return Reader(is_staff=True, user_id=user.pk)
    person = person_of(user)
    if person is None:
        return Reader(user_id=user.pk)
    return dataclasses.replace(readers_of_people([person.pk])[person.pk], user_id=user.pk)


def readers_of_people(person_ids: Iterable[int]) -> dict[int, Reader]:
    """The readers these people are, in four queries whatever their number (for the digest)."""
    person_ids = sorted(set(person_ids))
    registered = list(
        Registration.objects.filter(
            person_id__in=person_ids, status=Registration.Status.CONFIRMED, state__isnull=False
        ).values_list("person_id", "meeting__cycle_id", "meeting__cycle__treaty_id", "state_id")
    )
    focal = list(
        FocalPoint.objects.filter(person_id__in=person_ids, state__isnull=False).values_list(
            "person_id", "state_id"
        )
    )
    states = {row[3] for row in registered} | {state for _person, state in focal}
    since = _first_days_as_party_or_signatory(states)
    registered_from: dict[int, dict[int, dt.date]] = {pk: {} for pk in person_ids}
    for person_id, cycle_id, treaty_id, state_id in registered:
        _earliest(registered_from[person_id], cycle_id, since.get((treaty_id, state_id)))
    focal_point_from: dict[int, dict[int, dt.date]] = {pk: {} for pk in person_ids}
    for person_id, state_id in focal:
        for (treaty_id, of_state), day in since.items():
            if of_state == state_id:
                _earliest(focal_point_from[person_id], treaty_id, day)
    offices: dict[int, list[tuple[int, int, int | None]]] = {pk: [] for pk in person_ids}
    for pk, holder_id, cycle_id, body_id in Office.objects.filter(
        holder_id__in=person_ids
    ).values_list("pk", "holder_id", "cycle_id", "body_id"):
        offices[holder_id].append((pk, cycle_id, body_id))
    return {
        person_id: Reader(
            registered_from=registered_from[person_id],
            focal_point_from=focal_point_from[person_id],
            office_bodies=frozenset(
                (cycle, body) for _pk, cycle, body in offices[person_id] if body
            ),
            office_ids=frozenset(pk for pk, _cycle, _body in offices[person_id]),
        )
        for person_id in person_ids
    }


def _first_days_as_party_or_signatory(states: set[str]) -> dict[tuple[int, str], dt.date | None]:
    """(treaty id, State code) -> ``allowed_from``, for every treaty the States acted on."""
    if not states:
        return {}
    facts: dict[tuple[int, str], list[ActionFact]] = {}
    for treaty_id, state_id, kind, date in TreatyAction.objects.filter(
        state_id__in=sorted(states)
    ).values_list("treaty_id", "state_id", "kind", "date"):
        facts.setdefault((treaty_id, state_id), []).append(ActionFact(kind, date))
    treaties = {
        treaty.pk: treaty
        for treaty in Treaty.objects.filter(pk__in={key[0] for key in facts}).only(
            "entry_into_force", "entry_into_force_delay_days"
        )
    }
    return {
        (treaty_id, state_id): allowed_from(
            actions,
            entry_into_force=treaties[treaty_id].entry_into_force,
            delay_days=treaties[treaty_id].entry_into_force_delay_days,
        )
        for (treaty_id, state_id), actions in facts.items()
    }
