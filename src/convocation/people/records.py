"""Writing a person from what they submit, in one statement where the database allows it."""

import functools

from django.db import IntegrityError, connection, transaction

from convocation.people.models import Person
from convocation.people.queries import person_with_email
from convocation.treaties.models import Organisation, State

# What a registration form says of its delegate, written over what was known before.
DETAILS = ("honorific", "given_name", "family_name", "state", "organisation", "gender")


@functools.cache
def _upsert_sql() -> str:
    """INSERT ... ON CONFLICT on the unique index of lower-case addresses (PostgreSQL).

    ``xmax = 0`` holds for a row this statement inserted and not for one it updated: the
    documented way PostgreSQL users tell the two apart without a second statement.
    """
    quote = connection.ops.quote_name
    columns = [Person._meta.get_field(name).column for name in (*DETAILS, "email")]
    email = quote(Person._meta.get_field("email").column)
    gender = quote(Person._meta.get_field("gender").column)
    updates = ", ".join(
        f"{quote(c)} = EXCLUDED.{quote(c)}" for c in columns if c not in ("email", "gender")
    )
    # A form that did not ask the gender leaves the one given before.
    updates += (
        f", {gender} = COALESCE(NULLIF(EXCLUDED.{gender}, ''), "
        f"{quote(Person._meta.db_table)}.{gender})"
    )
    return (
        f"INSERT INTO {quote(Person._meta.db_table)} ({', '.join(map(quote, columns))}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        # The index's own expression and condition (Person.Meta.constraints), so that
        # PostgreSQL finds it.
        f"ON CONFLICT (LOWER({email})) WHERE NOT ({email} = '') "
        f"DO UPDATE SET {updates} "
        f"RETURNING {quote(Person._meta.pk.column)}, (xmax = 0), {gender}"
    )


def record_person(
    email: str,
    *,
    honorific: str,
    given_name: str,
    family_name: str,
    state: State | None,
    organisation: Organisation | None,
    gender: str,
) -> tuple[Person, bool]:
    """The person with this address, created the first time, with these details as given now.

    A gender left empty (the meeting's form did not ask it) keeps the one given before.

    Also whether the person was created now. Two requests for one new address at the same
    moment make one person: on PostgreSQL the second statement waits for the first and
    updates its row; elsewhere the second insert fails on the unique index and updates.
    """
    email = email.strip().lower()
    details = {
        "honorific": honorific,
        "given_name": given_name,
        "family_name": family_name,
        "state": state,
        "organisation": organisation,
        "gender": gender,
    }
    if connection.vendor == "postgresql" and email:
        params = [
            honorific,
            given_name,
            family_name,
            state.pk if state else None,
            organisation.pk if organisation else None,
            gender,
            email,
        ]
        with connection.cursor() as cursor:
            cursor.execute(_upsert_sql(), params)
            pk, created, details["gender"] = cursor.fetchone()
        person = Person(pk=pk, email=email, **details)
        person._state.adding, person._state.db = False, connection.alias
        return person, created
    person = person_with_email(email)
    if person is None:
        try:
            with transaction.atomic():
                return Person.objects.create(email=email, **details), True
        except IntegrityError:
            # Another request created this person a moment ago.
            person = Person.objects.with_email(email).get()
    for name, value in details.items():
        if name != "gender" or value:
            setattr(person, name, value)
    person.save()
    return person, False
