"""Seed the registration-submit benchmark: meeting ``bench-registration`` and signed-in delegates.

Usage: python bench/seed_registration.py USERS_FILE [USERS]
Run after ``convocation migrate`` and ``convocation load-demo``, with the same environment
(DATABASE_URL, CONVOCATION_DATA_DIR) as the server.

- The meeting ``bench-registration`` is made anew on every run (its registrations first
  deleted): att-csp12-wg's fields and its 8 sessions, moved to start 60 days from today, so
  that registration is open; status planned, pre-registration required; a registration
  policy with an in-person capacity of 1,000,000, so that every submission takes a place
  and the count of places under the lock grows through the run, as when registration opens.
- USERS accounts (default 20,000, or BENCH_REGISTRATION_USERS) ``bench-delegate-NNNNN@
  example.org``, created when missing, each with a new session (signed in, as after the
  emailed code) and a CSRF secret of its own; earlier benchmark sessions are deleted.
- USERS_FILE: one line per account, ``Cookie header<TAB>form body``, the form as a
  delegate posts it (in person, one of eight States in turn, the CSRF secret as token), for
  bench/registration.lua.

bench/registration_submit.py deletes the meeting's registrations, and the people they made,
before it loads the server, so that every submission is a new registration.
"""

import datetime as dt
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convocation.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session as DjangoSession  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from convocation.meetings.models import Meeting, Session  # noqa: E402
from convocation.people.models import Person  # noqa: E402
from convocation.registrations.models import Registration, RegistrationPolicy  # noqa: E402
from convocation.registrations.tasks import send_registration_email  # noqa: E402

SOURCE = "att-csp12-wg"
SLUG = "bench-registration"
CAPACITY = 1_000_000
USERS = int(os.environ.get("BENCH_REGISTRATION_USERS", "20000"))
EMAIL = "bench-delegate-{:05}@example.org"
# States Parties, a signatory and an Observer State of the demo: the category and the
# sessions open to the delegation are worked out for each in turn.
DELEGATIONS = ["ROU", "GBR", "FRA", "CHE", "CHN", "USA", "IND", "BRA"]
EMAIL_TASK = send_registration_email.module_path
SESSION_PREFIX = "benchreg"  # session keys of the benchmark's delegates: easy to delete
BACKEND = "convocation.accounts.sessions.AccountBackend"
ALLOWED = "abcdefghijklmnopqrstuvwxyz0123456789"


def delete_registrations() -> int:
    """The meeting's registrations, and the benchmark delegates' people; their count."""
    deleted = Registration.objects.filter(meeting__slug=SLUG).count()
    Registration.objects.filter(meeting__slug=SLUG).delete()
    Person.objects.filter(
        email__startswith="bench-delegate-", email__endswith="@example.org"
    ).delete()
    # The confirmation emails they queued (the database task backend, which no worker runs
    # during the benchmark).
    DBTaskResult.objects.filter(task_path=EMAIL_TASK).delete()
    vacuum(Registration, Registration.sessions.through, Person, DBTaskResult)
    return deleted


def vacuum(*models, full: bool = False) -> None:
    """VACUUM (ANALYZE) the tables a run fills and the reset empties, on PostgreSQL.

    A run leaves thousands of deleted rows. Where autovacuum is off (it was, on the 2-core
    machines the figures come from) they stay in the indexes, and every later run counts
    the places and checks the unique indexes through them: runs grew slower one after the
    other. A database in service has autovacuum; each run starts as one would be. (Not
    inside a transaction, where PostgreSQL refuses it: the reset before each run is not in one.)
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    names = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ({'FULL, ' if full else ''}ANALYZE) {names}")


@transaction.atomic
def seed_meeting() -> Meeting:
    delete_registrations()
    Meeting.objects.filter(slug=SLUG).delete()
    source = Meeting.objects.get(slug=SOURCE)
    sessions = list(source.sessions.all())
    first_day = timezone.localdate() + dt.timedelta(days=60)
    shift = first_day - source.start_date
    meeting = Meeting.objects.get(slug=SOURCE)
    meeting.pk = None
    meeting.id = None
    meeting._state.adding = True
    meeting.slug = SLUG
    meeting.title = f"{source.title} (benchmark of the registration submit)"
    meeting.start_date = source.start_date + shift
    meeting.end_date = source.end_date + shift
    meeting.status = Meeting.Status.PLANNED
    meeting.registration = Meeting.Registration.REQUIRED
    meeting.save()
    Session.objects.bulk_create(
        Session(
            meeting=meeting,
            body=session.body,
            start=session.start + shift,
            end=session.end + shift,
            room=session.room,
            access=session.access,
        )
        for session in sessions
    )
    RegistrationPolicy.objects.create(meeting=meeting, in_person_capacity=CAPACITY)
    return meeting


@transaction.atomic
def seed_delegates(count: int) -> list[tuple[str, str]]:
    """Each account's Cookie header and form body."""
    User = get_user_model()
    emails = [EMAIL.format(n) for n in range(count)]
    User.objects.bulk_create(
        (User(username=email, email=email, password=make_password(None)) for email in emails),
        batch_size=2000,
        ignore_conflicts=True,
    )
    users = {user.email: user for user in User.objects.filter(username__in=emails)}
    DjangoSession.objects.filter(session_key__startswith=SESSION_PREFIX).delete()
    store = SessionStore()
    expires = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    sessions, lines = [], []
    for n, email in enumerate(emails):
        user = users[email]
        key = SESSION_PREFIX + get_random_string(32, ALLOWED)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: BACKEND,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(
            DjangoSession(session_key=key, session_data=store.encode(data), expire_date=expires)
        )
        csrf = get_random_string(32)
        form = {
            "csrfmiddlewaretoken": csrf,
            "delegation": f"state:{DELEGATIONS[n % len(DELEGATIONS)]}",
            "honorific": "Ms." if n % 2 else "Mr.",
            "given_name": f"Given{n}",
            "family_name": f"Family{n}",
            "position": "First Secretary",
            "role": "member",
            "mode": "in_person",
            "gender": "female" if n % 2 else "male",
            "consent": "on",
        }
        cookie = f"{settings.SESSION_COOKIE_NAME}={key}; {settings.CSRF_COOKIE_NAME}={csrf}"
        lines.append((cookie, urlencode(form)))
    DjangoSession.objects.bulk_create(sessions, batch_size=2000)
    return lines


def main() -> None:
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.split("\n\n")[1])
    out = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) == 3 else USERS
    started = time.perf_counter()
    meeting = seed_meeting()
    lines = seed_delegates(count)
    # Each run replaces the delegates' 20,000 sessions. Without autovacuum the deleted rows
    # piled up (180,000 after nine runs, 99 MB for 20,000 live ones) and every signed-in
    # request read through them; a plain VACUUM frees the rows but leaves the table as
    # large, so it is rewritten, and each run starts from the same table (docs/performance.md).
    vacuum(DjangoSession, full=True)
    out.write_text("".join(f"{cookie}\t{body}\n" for cookie, body in lines))
    print(
        f"{meeting.slug}: {meeting.sessions.count()} sessions, {meeting.start_date} – "
        f"{meeting.end_date}, in-person capacity {CAPACITY:,}; {len(lines):,} signed-in "
        f"delegates in {out} ({time.perf_counter() - started:.1f} s)"
    )


if __name__ == "__main__":
    main()
