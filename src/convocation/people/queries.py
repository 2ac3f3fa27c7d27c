"""Looking people up where it happens on every request."""

from convocation.people.models import Person
from convocation.prepared import Prepared

_WITH_EMAIL = Prepared(lambda email: Person.objects.with_email(email).order_by()[:1], str)


def person_with_email(email: str) -> Person | None:
    """The person with this address in any case, or None: one indexed lookup."""
    if not email.strip():
        return None
    return _WITH_EMAIL.first(email.strip().lower())
