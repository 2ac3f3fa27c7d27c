"""Who a signed-in user is among the registrants, and what they may see of a registration.

Decided on the server for every request: a delegate sees their own registrations, a focal
point those of their delegation, Secretariat staff all of them. Nobody else sees an email or
a gender.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from convocation.people.models import Person
from convocation.people.queries import person_with_email
from convocation.registrations.models import FocalPoint, Registration
from convocation.treaties.models import Organisation, State

User = AbstractBaseUser | AnonymousUser


def is_secretariat(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def person_of(user: User) -> Person | None:
    """The person a signed-in delegate is: the one with the account's email address."""
    if not user.is_authenticated or not user.email:
        return None
    return person_with_email(user.email)


def delegations_of_focal_point(person: Person | None) -> list[State | Organisation]:
    if person is None:
        return []
    return [
        focal.state or focal.organisation
        for focal in FocalPoint.objects.filter(person=person).select_related(
            "state", "organisation"
        )
    ]


def delegation_filter(delegations: list[State | Organisation]) -> Q:
    """Registrations of any of these delegations; matches nothing for an empty list."""
    condition = Q(pk__in=[])
    for delegation in delegations:
        if isinstance(delegation, State):
            condition |= Q(state=delegation)
        else:
            condition |= Q(organisation=delegation)
    return condition


def is_focal_point_for(person: Person | None, registration: Registration) -> bool:
    return registration.delegation in delegations_of_focal_point(person)


def is_own(user: User, registration: Registration) -> bool:
    person = person_of(user)
    return person is not None and registration.person_id == person.pk


def may_see_personal_data(user: User, registration: Registration) -> bool:
    """Email and gender: staff, the delegate, and the focal point of the delegation."""
    if is_secretariat(user):
        return True
    person = person_of(user)
    if person is None:
        return False
    return registration.person_id == person.pk or is_focal_point_for(person, registration)


def may_register_for(user: User, email: str, delegation: State | Organisation) -> bool:
    """A delegate registers themself; a focal point anyone of their delegation; staff anyone.

    A person's record is shared by all their registrations: a focal point cannot register,
    and so rewrite the name, gender and delegation of, someone known as a member of
    another delegation.
    """
    if is_secretariat(user):
        return True
    if not user.is_authenticated:
        return False
    if user.email and email.strip().lower() == user.email.lower():
        return True
    if delegation not in delegations_of_focal_point(person_of(user)):
        return False
    known = person_with_email(email)
    if known is None:
        return True
    if isinstance(delegation, State):
        return known.organisation_id is None and known.state_id in (None, delegation.pk)
    return known.state_id is None and known.organisation_id in (None, delegation.pk)
