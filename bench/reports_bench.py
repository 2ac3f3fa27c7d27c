"""Benchmark of the attendance reports: a meeting's report and the trend, on 100,000 rows.

Usage (PostgreSQL, the target; the database is created when missing):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/convocation_stats_bench \
        .venv/bin/python bench/reports_bench.py [OUT.json]

Without DATABASE_URL it uses that same PostgreSQL database. Seeds, once (kept between
runs: the data is recognised by its count), 50 meetings ``bench-report-NN`` over five
conference cycles (CSP8 to CSP12), 100,000 confirmed registrations (2,000 a meeting, one
person each, 180 delegations, about 45 % women, one head per delegation), check-ins
for about 80 % of them over the meeting's days, and 40 turns at the floor a meeting, all
with ``bulk_create`` in batches. Then times, in-process, each several runs:

- ``figures``: ``reports.figures.meeting_figures`` of one meeting (2,000 registrations);
- ``page``: GET /reports/meetings/<slug>/ by a staff user with the test Client, the charts'
  cache emptied before each run (cold: matplotlib draws four charts) and not (warm);
- ``trend``: ``reports.figures.trend`` over the 50 meetings (100,000 registrations);
- ``trend page``: GET /reports/trends/, cold and warm;
- ``public page``: GET /meetings/<slug>/figures/ (no charts);

and prints the median, the maximum and the SQL queries of each; the figures go to OUT.json
(default var/bench/reports.json). Target: each under 300 ms on PostgreSQL.
"""

import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/convocation_stats_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convocation.settings")
# The test Client sends Host: testserver.
hosts = os.environ.get("CONVOCATION_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ["CONVOCATION_ALLOWED_HOSTS"] = hosts + ",testserver"
sys.path.insert(0, str(ROOT / "bench"))

from ensure_database import main as ensure_database  # noqa: E402

ensure_database()

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from convocation.attendance.models import Attendance, Intervention  # noqa: E402
from convocation.cycles.models import ConferenceCycle  # noqa: E402
from convocation.meetings.demo import at_geneva, load_demo  # noqa: E402
from convocation.meetings.models import Meeting, Session  # noqa: E402
from convocation.people.models import Person  # noqa: E402
from convocation.registrations.models import Registration  # noqa: E402
from convocation.reports.figures import meeting_figures, trend  # noqa: E402
from convocation.treaties.models import Body, Organisation, State, Treaty  # noqa: E402

MEETINGS = 50
PER_MEETING = 2_000
PREFIX = "bench-report-"
BATCH = 5_000
RUNS = int(os.environ.get("BENCH_REPORT_RUNS", "15"))
TARGET_MS = 300
CATEGORIES = ["state_party"] * 6 + ["signatory", "observer"]
ORG_CATEGORIES = ["international", "civil_society", "industry", "academia"]


def seeded() -> bool:
    return (
        Meeting.objects.filter(slug__startswith=PREFIX).count() == MEETINGS
        and Registration.objects.filter(meeting__slug__startswith=PREFIX).count()
        == MEETINGS * PER_MEETING
    )


def clear() -> None:
    meetings = Meeting.objects.filter(slug__startswith=PREFIX)
    Intervention.objects.filter(session__meeting__in=meetings).delete()
    Attendance.objects.filter(registration__meeting__in=meetings).delete()
    Registration.objects.filter(meeting__in=meetings).delete()
    Person.objects.filter(email__startswith=PREFIX).delete()
    Session.objects.filter(meeting__in=meetings).delete()
    meetings.delete()


@transaction.atomic
def seed() -> None:
    clear()
    treaty = Treaty.objects.get(code="att")
    cycles = [
        ConferenceCycle.objects.get_or_create(treaty=treaty, number=number)[0]
        for number in range(8, 13)
    ]
    bodies = list(Body.objects.filter(treaty=treaty).order_by("pk")[:4])
    states = list(State.objects.order_by("code")[:150])
    organisations = [
        Organisation.objects.get_or_create(
            name=f"Bench organisation {number:02}",
            defaults={"category": ORG_CATEGORIES[number % len(ORG_CATEGORIES)]},
        )[0]
        for number in range(30)
    ]
    delegations = states + organisations
    chance = random.Random(2026)
    now = timezone.now()
    meetings = []
    for number in range(MEETINGS):
        first_day = dt.date(2018, 2, 5) + dt.timedelta(days=number * 45)
        meetings.append(
            Meeting(
                cycle=cycles[number * len(cycles) // MEETINGS],
                slug=f"{PREFIX}{number:02}",
                kind=Meeting.Kind.WORKING_GROUPS,
                title=f"Benchmark meeting {number:02}",
                venue="CICG",
                city="Geneva",
                country="Switzerland",
                start_date=first_day,
                end_date=first_day + dt.timedelta(days=3),
                status=Meeting.Status.HELD,
                registration=Meeting.Registration.REQUIRED,
                collects_gender_data=True,
            )
        )
    Meeting.objects.bulk_create(meetings)
    sessions = Session.objects.bulk_create(
        Session(
            meeting=meeting,
            body=body,
            start=at_geneva(meeting.start_date + dt.timedelta(days=day), dt.time(10)),
            end=at_geneva(meeting.start_date + dt.timedelta(days=day), dt.time(13)),
        )
        for meeting in meetings
        for day, body in enumerate(bodies)
    )
    people = [
        Person(
            given_name=f"Given{n}",
            family_name=f"Family{n}",
            email=f"{PREFIX}{n:06}@example.org",
            gender="",
        )
        for n in range(MEETINGS * PER_MEETING)
    ]
    Person.objects.bulk_create(people, batch_size=BATCH)
    registrations = []
    for index, person in enumerate(people):
        meeting = meetings[index // PER_MEETING]
        slot = index % PER_MEETING
        delegation = delegations[slot % len(delegations)]
        is_state = isinstance(delegation, State)
        # Women's share rises from about 35 % to about 55 % over the years.
        women = 0.35 + 0.2 * (index // PER_MEETING) / MEETINGS
        roll = chance.random()
        gender = (
            "female"
            if roll < women
            else "male"
            if roll < 0.97
            else chance.choice(["self_described", "not_said"])
        )
        registrations.append(
            Registration(
                meeting=meeting,
                person=person,
                state=delegation if is_state else None,
                organisation=None if is_state else delegation,
                category=(CATEGORIES[slot % len(CATEGORIES)] if is_state else delegation.category),
                position="Delegate",
                role="head"
                if slot < len(delegations)
                else chance.choice(["alternate", "adviser", "member", "member"]),
                mode="online" if chance.random() < 0.15 else "in_person",
                gender=gender,
                status="confirmed",
                consent_given_at=now,
            )
        )
    Registration.objects.bulk_create(registrations, batch_size=BATCH)
    check_ins = [
        Attendance(
            registration=registration,
            day=registration.meeting.start_date + dt.timedelta(days=day),
        )
        for registration in registrations
        if chance.random() < 0.8
        for day in range(4)
        if chance.random() < 0.7
    ]
    Attendance.objects.bulk_create(check_ins, batch_size=BATCH, ignore_conflicts=True)
    turns = []
    for meeting_number in range(len(meetings)):
        mine = registrations[meeting_number * PER_MEETING : (meeting_number + 1) * PER_MEETING]
        for session in sessions[meeting_number * len(bodies) : (meeting_number + 1) * len(bodies)]:
            for order in range(1, 11):
                speaker = chance.choice(mine)
                turns.append(
                    Intervention(
                        session=session,
                        order=order,
                        state=speaker.state,
                        organisation=speaker.organisation,
                        speaker=speaker if order % 7 else None,
                    )
                )
    Intervention.objects.bulk_create(turns, batch_size=BATCH)


def timed(action, runs: int = RUNS, before=None) -> dict:
    times, queries = [], []
    for _ in range(runs):
        if before:
            before()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            action()
            times.append((time.perf_counter() - start) * 1000)
        queries.append(len(captured))
    return {
        "median_ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
        "queries": max(queries),
        "runs": runs,
    }


def get(client: Client, url: str):
    def action():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        response.content  # noqa: B018 - rendered in full

    return action


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "var" / "bench" / "reports.json")
    print(f"database: {connection.settings_dict['ENGINE']} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0, interactive=False)
    load_demo()
    if seeded():
        print("data: already seeded")
    else:
        start = time.perf_counter()
        seed()
        print(f"data: seeded in {time.perf_counter() - start:.1f} s")
    if connection.vendor == "postgresql":
        # As autovacuum leaves a table some time after a bulk load: statistics and the
        # visibility map (index-only scans without heap fetches).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(
        f"  {Meeting.objects.filter(slug__startswith=PREFIX).count()} meetings, "
        f"{Registration.objects.filter(meeting__slug__startswith=PREFIX).count()} "
        f"registrations, "
        f"{Attendance.objects.filter(registration__meeting__slug__startswith=PREFIX).count()} "
        f"check-ins, "
        f"{Intervention.objects.filter(session__meeting__slug__startswith=PREFIX).count()} turns"
    )
    staff, _ = get_user_model().objects.get_or_create(
        username="bench-report-officer", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(staff)
    slug = f"{PREFIX}{MEETINGS - 1:02}"
    meeting = Meeting.objects.get(slug=slug)
    everything = Meeting.objects.filter(slug__startswith=PREFIX)
    # Warm up the imports (matplotlib) and the connection, as a running server has them.
    get(client, f"/reports/meetings/{slug}/")()
    get(client, "/reports/trends/")()
    results = {
        "figures": timed(lambda: meeting_figures(meeting)),
        "page (cold charts)": timed(get(client, f"/reports/meetings/{slug}/"), before=cache.clear),
        "page (warm)": timed(get(client, f"/reports/meetings/{slug}/")),
        "trend (50 meetings)": timed(lambda: trend(meetings=everything)),
        "trend, all meetings": timed(lambda: trend()),
        "trend page (cold chart)": timed(get(client, "/reports/trends/"), before=cache.clear),
        "trend page (warm)": timed(get(client, "/reports/trends/")),
        "public page": timed(get(client, f"/meetings/{slug}/figures/")),
    }
    print(f"\n{'measure':28} {'median ms':>10} {'max ms':>8} {'queries':>8}  target {TARGET_MS} ms")
    for name, result in results.items():
        verdict = "ok" if result["max_ms"] < TARGET_MS else "MISSED"
        print(
            f"{name:28} {result['median_ms']:>10} {result['max_ms']:>8} "
            f"{result['queries']:>8}  {verdict}"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "database": connection.vendor,
                "meetings": MEETINGS,
                "registrations": MEETINGS * PER_MEETING,
                "target_ms": TARGET_MS,
                "results": results,
            },
            indent=2,
        )
    )
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
