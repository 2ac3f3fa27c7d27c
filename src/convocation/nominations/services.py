"""Nominating for a vacant office and recording the appointment.

Each write runs in one transaction under a row lock on the vacancy, so that a nomination
cannot slip in after the appointment closed the vacancy, and eligibility is checked again
there, on the day of the submission, whatever the form showed.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from convocation.cycles.queries import president_of
from convocation.nominations import rules
from convocation.nominations.models import Nomination, Vacancy
from convocation.people.models import Person
from convocation.registrations import access
from convocation.treaties.models import State
from convocation.treaties.queries import status_of

User = AbstractBaseUser | AnonymousUser


class NominationError(ValidationError):
    """A nomination or appointment the rules refuse; the message says why."""


@dataclass(frozen=True)
class NomineeData:
    honorific: str
    given_name: str
    family_name: str
    email: str
    expertise: str


def today() -> dt.date:
    return timezone.localdate()


def focal_point_states(user: User) -> list[State]:
    return [
        delegation
        for delegation in access.delegations_of_focal_point(access.person_of(user))
        if isinstance(delegation, State)
    ]


def eligibility_for(user: User, vacancy: Vacancy, on: dt.date) -> rules.Eligibility:
    """Which of the user's States may nominate for the vacancy on the day, or why none."""
    treaty = vacancy.office.cycle.treaty
    states = focal_point_states(user)
    return rules.eligibility(
        vacancy_open=vacancy.status == Vacancy.Status.OPEN,
        deadline=vacancy.deadline,
        today=on,
        focal_point_states=[state.code for state in states],
        statuses={state.code: status_of(state, treaty, on) for state in states},
    )


def refusal_message(refusal: rules.Refusal, vacancy: Vacancy, on: dt.date) -> str:
    values = {"deadline": date_format(vacancy.deadline), "date": date_format(on)}
    return {
        rules.Refusal.NOT_OPEN: _("This vacancy no longer takes nominations."),
        rules.Refusal.DEADLINE_PASSED: _(
            "The deadline for nominations was %(deadline)s: nominations are closed."
        ),
        rules.Refusal.NOT_FOCAL_POINT: _(
            "Nominations are submitted by the focal point of a State Party. Your account is "
            "not the focal point of a State."
        ),
        rules.Refusal.NOT_A_PARTY: _(
            "Only States Parties may nominate, and the State you are focal point for is not a "
            "State Party on %(date)s."
        ),
    }[refusal] % values


def president_id(vacancy: Vacancy, on: dt.date) -> int | None:
    """The person who holds the President's office of the vacancy's cycle on the day."""
    office = president_of(vacancy.office.cycle)
    if office is None or office.vacant_on(on):
        return None
    return office.holder_id


def may_see_nominations(user: User, vacancy: Vacancy, on: dt.date) -> bool:
    secretariat = access.is_secretariat(user)
    person = None if secretariat else access.person_of(user)
    return rules.may_see_nominations(
        secretariat=secretariat,
        person_id=person.pk if person else None,
        president_id=None if secretariat or person is None else president_id(vacancy, on),
    )


def submit_nomination(
    *,
    vacancy: Vacancy,
    state: State,
    nominee: NomineeData,
    cv: UploadedFile,
    by: User,
    on: dt.date | None = None,
) -> Nomination:
    """Record a State Party's nomination, checked again under the vacancy's lock."""
    on = on or today()
    with transaction.atomic():
        vacancy = (
            Vacancy.objects.select_for_update()
            .select_related("office__cycle__treaty")
            .get(pk=vacancy.pk)
        )
        eligible = eligibility_for(by, vacancy, on)
        if eligible.refusal is not None:
            raise NominationError(refusal_message(eligible.refusal, vacancy, on))
        if state.code not in eligible.states:
            raise NominationError(
                _("%(state)s may not nominate: it is not a State Party you are focal point for.")
                % {"state": state.name}
            )
        if (
            vacancy.nominations.filter(state=state)
            .exclude(status=Nomination.Status.WITHDRAWN)
            .exists()
        ):
            raise NominationError(
                _("%(state)s has already nominated a candidate for this office.")
                % {"state": state.name}
            )
        return Nomination.objects.create(
            vacancy=vacancy,
            state=state,
            nominee_honorific=nominee.honorific,
            nominee_given_name=nominee.given_name,
            nominee_family_name=nominee.family_name,
            nominee_email=nominee.email,
            expertise=nominee.expertise,
            cv=cv,
            cv_name=cv.name[:200],
            submitted_by=by if by.is_authenticated else None,
        )


def appoint(
    *,
    nomination: Nomination,
    term_start: dt.date,
    term_end: dt.date | None = None,
) -> Nomination:
    """Record the appointment: the nominee holds the office from ``term_start``.

    The office's holder and term are set, the vacancy is filled, the other nominations are
    marked not appointed. The nominee becomes (or is found as) a Person by email address.
    """
    if term_end is not None and term_end < term_start:
        raise NominationError(_("A term cannot end before it starts."))
    with transaction.atomic():
        vacancy = (
            Vacancy.objects.select_for_update()
            .select_related("office")
            .get(pk=nomination.vacancy_id)
        )
        nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if vacancy.status == Vacancy.Status.FILLED:
            raise NominationError(_("This vacancy is already filled."))
        if nomination.status == Nomination.Status.WITHDRAWN:
            raise NominationError(_("This nomination was withdrawn."))
        person = Person.objects.with_email(nomination.nominee_email).first()
        if person is None:
            person = Person.objects.create(
                honorific=nomination.nominee_honorific,
                given_name=nomination.nominee_given_name,
                family_name=nomination.nominee_family_name,
                email=nomination.nominee_email,
                state=nomination.state,
            )
        office = vacancy.office
        office.holder = person
        office.term_start = term_start
        office.term_end = term_end
        office.save()
        vacancy.status = Vacancy.Status.FILLED
        vacancy.save()
        vacancy.nominations.exclude(pk=nomination.pk).filter(
            status=Nomination.Status.SUBMITTED
        ).update(status=Nomination.Status.NOT_APPOINTED, updated_at=timezone.now())
        nomination.status = Nomination.Status.APPOINTED
        nomination.appointed_person = person
        nomination.save()
    return nomination
