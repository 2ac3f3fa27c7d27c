"""Schedule revisions: the changes between two, in plain words, published and kept readable."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from icalendar import Calendar

from convocation.letters.composition import compose_letter, letter_facts
from convocation.meetings import queries, revisions
from convocation.meetings.calendar import session_uid
from convocation.meetings.models import Meeting, ScheduleRevision, Session
from convocation.meetings.revisions import Change, Kind, describe, diff
from convocation.registrations.services import session_facts
from convocation.treaties.models import Body
from tests.meetings.html import tables, text

ZONE = "Europe/Zurich"
SLUG = "att-csp12-wg"


def entry(session_id=1, label="WGTU", day=17, hours=(10, 13), **fields) -> dict:
    """A session as a snapshot keeps it; times are Geneva time (UTC+1 in March 2026)."""
    start = dt.datetime(2026, 3, day, hours[0] - 1, tzinfo=dt.UTC)
    end = dt.datetime(2026, 3, day, hours[1] - 1, tzinfo=dt.UTC)
    return {
        "id": session_id,
        "label": {"en": label, "fr": label, "es": label},
        "start": start.isoformat(),
        "end": end.isoformat(),
        "room": "",
        "access": "open",
        "status": "scheduled",
        **fields,
    }


# diff: each kind of change ------------------------------------------------------------------


def test_diff_of_identical_snapshots_is_empty():
    assert diff([entry()], [entry()]) == []


def test_diff_sees_a_session_added():
    added = entry(2, "WGTR", day=18)
    assert diff([entry()], [entry(), added]) == [Change(Kind.ADDED, 2, None, added)]


def test_diff_sees_a_session_cancelled():
    cancelled = entry(status="cancelled")
    assert diff([entry()], [cancelled]) == [Change(Kind.CANCELLED, 1, entry(), cancelled)]


def test_diff_counts_a_deleted_session_as_cancelled():
    assert diff([entry(), entry(2, "WGTR")], [entry(2, "WGTR")]) == [
        Change(Kind.CANCELLED, 1, entry(), None)
    ]


def test_diff_counts_a_cancelled_session_scheduled_again_as_added():
    cancelled = entry(status="cancelled")
    assert diff([cancelled], [entry()]) == [Change(Kind.ADDED, 1, cancelled, entry())]


def test_diff_ignores_a_session_that_stays_cancelled():
    cancelled = entry(status="cancelled")
    assert diff([cancelled], [cancelled]) == []


def test_diff_sees_a_session_moved_to_another_day_and_slot():
    moved = entry(day=18, hours=(15, 18))
    assert diff([entry()], [moved]) == [Change(Kind.MOVED, 1, entry(), moved)]


def test_diff_sees_a_session_given_another_room():
    before, after = entry(room="Room XVIII"), entry(room="Room XIX")
    assert diff([before], [after]) == [Change(Kind.ROOM, 1, before, after)]


def test_diff_sees_a_session_closed_or_opened():
    closed = entry(access="parties_and_signatories")
    assert diff([entry()], [closed]) == [Change(Kind.ACCESS, 1, entry(), closed)]


def test_diff_sees_a_session_given_to_another_body():
    other = entry(label="WGTR")
    assert diff([entry()], [other]) == [Change(Kind.BODY, 1, entry(), other)]


def test_diff_lists_every_change_of_a_session_in_time_order():
    first = entry(1, "WGTU", day=16)
    moved_and_room = entry(2, "WGTR", day=19, hours=(15, 18), room="Room 2")
    changes = diff([entry(2, "WGTR", day=18), first], [first, moved_and_room, entry(3, "DIEF")])
    assert [(c.kind, c.session_id) for c in changes] == [
        (Kind.ADDED, 3),
        (Kind.MOVED, 2),
        (Kind.ROOM, 2),
    ]


# describe: plain words ----------------------------------------------------------------------


def test_describe_a_move_in_plain_words():
    change = diff([entry()], [entry(day=18, hours=(15, 18))])[0]
    assert describe(change, ZONE) == (
        "WGTU moved from Tuesday 17 March 10:00–13:00 to Wednesday 18 March 15:00–18:00"
    )


@pytest.mark.parametrize(
    ("before", "after", "words"),
    [
        ([], [entry()], "WGTU added on Tuesday 17 March 10:00–13:00"),
        ([entry()], [entry(status="cancelled")], "WGTU on Tuesday 17 March 10:00–13:00 cancelled"),
        ([entry()], [], "WGTU on Tuesday 17 March 10:00–13:00 cancelled"),
        (
            [entry()],
            [entry(room="Room XIX")],
            "WGTU on Tuesday 17 March 10:00–13:00: room changed from no room given to Room XIX",
        ),
        (
            [entry()],
            [entry(access="parties_and_signatories")],
            "WGTU on Tuesday 17 March 10:00–13:00: now for States Parties and signatory States "
            "only",
        ),
        (
            [entry(access="parties_and_signatories")],
            [entry()],
            "WGTU on Tuesday 17 March 10:00–13:00: now open to all participants",
        ),
        (
            [entry()],
            [entry(label="WGTR")],
            "WGTU on Tuesday 17 March 10:00–13:00 is now a session of WGTR",
        ),
    ],
)
def test_describe_each_kind_of_change(before, after, words):
    [change] = diff(before, after)
    assert describe(change, ZONE) == words


def test_describe_speaks_the_active_language_and_the_body_name_in_it():
    label = {"en": "WGTU", "fr": "GTTU", "es": "GTUT"}
    change = diff([entry(label=label)], [entry(label=label, day=18, hours=(15, 18))])[0]
    with translation.override("fr"):
        french = describe(change, ZONE)
    with translation.override("es"):
        spanish = describe(change, ZONE)
    assert "GTTU" in french and "mardi 17 mars 10:00–13:00" in french
    assert "mercredi 18 mars 15:00–18:00" in french
    assert "GTUT" in spanish and "martes 17 de marzo 10:00–13:00" in spanish


# Publishing ---------------------------------------------------------------------------------


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user("officer", is_staff=True)


def wgtu(meeting_slug=SLUG) -> Session:
    return Session.objects.get(meeting__slug=meeting_slug, body__slug="wgtu")


def move(session: Session, **delta) -> None:
    session.start += dt.timedelta(**delta)
    session.end += dt.timedelta(**delta)
    session.save()


def publish(note="Revised.", by=None) -> ScheduleRevision:
    meeting = Meeting.objects.get(slug=SLUG)
    user = by or get_user_model().objects.get(username="officer")
    return revisions.publish_revision(meeting=meeting, note=note, by=user)


def test_the_demo_publishes_the_annexed_draft_as_the_baseline_revision(demo):
    [first] = ScheduleRevision.objects.filter(meeting__slug=SLUG)
    assert (first.number, first.note, first.published_by) == (
        1,
        "The draft schedule annexed to the invitation.",
        None,
    )
    assert first.published_at == dt.datetime(2026, 1, 16, 11, tzinfo=dt.UTC)
    assert len(first.snapshot) == 8
    assert revisions.changes_of(first) == []
    assert set(Session.objects.filter(meeting__slug=SLUG).values_list("sequence", flat=True)) == {0}


def test_a_revision_raises_the_sequence_of_the_changed_sessions_only(demo, officer):
    session = wgtu()
    move(session, days=-1)
    second = publish()
    assert second.number == 2
    assert [change.kind for change in revisions.changes_of(second)] == [Kind.MOVED]
    sequences = dict(Session.objects.filter(meeting__slug=SLUG).values_list("pk", "sequence"))
    assert sequences.pop(session.pk) == 1
    assert set(sequences.values()) == {0}
    # Once per revision: a third revision with no change raises nothing.
    third = publish()
    assert revisions.changes_of(third) == []
    assert Session.objects.get(pk=session.pk).sequence == 1


def test_the_secretariat_publishes_a_revision_from_the_meetings_admin_page(demo, staff_client):
    meeting = Meeting.objects.get(slug=SLUG)
    page = staff_client.get(f"/admin/meetings/meeting/{meeting.pk}/change/")
    assert f"/admin/meetings/meeting/{meeting.pk}/publish-revision/" in page.content.decode()
    move(wgtu(), days=-1)
    form = staff_client.get(f"/admin/meetings/meeting/{meeting.pk}/publish-revision/")
    assert "WGTU moved from Wednesday 18 March 15:00–18:00 to Tuesday 17 March 15:00–18:00" in (
        form.content.decode()
    )
    response = staff_client.post(
        f"/admin/meetings/meeting/{meeting.pk}/publish-revision/", {"note": "WGTU moves."}
    )
    assert response.status_code == 302
    assert list(meeting.revisions.values_list("number", "note", "published_by__username")) == [
        (1, "The draft schedule annexed to the invitation.", None),
        (2, "WGTU moves.", "officer"),
    ]
    # A note is required.
    refused = staff_client.post(
        f"/admin/meetings/meeting/{meeting.pk}/publish-revision/", {"note": ""}
    )
    assert refused.status_code == 400
    assert meeting.revisions.count() == 2


def test_publishing_changes_the_fingerprint_and_the_page_shows_it_at_once(client, demo, officer):
    page = text(client.get(f"/meetings/{SLUG}/").content.decode())
    assert "Revision 1, published 16 January 2026" in page
    assert "The draft schedule annexed to the invitation." in page
    assert "The first published revision of the schedule." in page
    assert "Earlier revisions of the schedule" not in page

    before = queries.meeting_fingerprint(SLUG)
    move(wgtu(), days=-1)
    session = Session.objects.filter(meeting__slug=SLUG, body__slug="wgtr").order_by("start")[0]
    session.room = "Room XIX"
    session.save()
    edited = queries.meeting_fingerprint(SLUG)
    publish("WGTU moves to Tuesday; the WGTR meets in Room XIX.")
    assert len({before, edited, queries.meeting_fingerprint(SLUG)}) == 3
    html = client.get(f"/meetings/{SLUG}/").content.decode()
    page = text(html)
    assert "Revision 2, published" in page
    assert "WGTU moves to Tuesday; the WGTR meets in Room XIX." in page
    assert "Changes since revision 1:" in page
    assert "WGTU moved from Wednesday 18 March 15:00–18:00 to Tuesday 17 March 15:00–18:00" in page
    assert (
        "WGTR on Thursday 19 March 10:00–13:00: room changed from no room given to Room XIX" in page
    )
    assert "Earlier revisions of the schedule" in page
    assert f'href="/meetings/{SLUG}/revisions/1/"' in html


def test_an_earlier_revision_stays_readable_as_it_was_published(client, demo, officer):
    move(wgtu(), days=-1)
    publish("WGTU moves.")
    first = client.get(f"/meetings/{SLUG}/revisions/1/").content.decode()
    second = client.get(f"/meetings/{SLUG}/revisions/2/").content.decode()
    # The grid of revision 1 has the WGTU on Wednesday afternoon; revision 2 on Tuesday.
    assert afternoon_cells(first)[1:3] == [
        "WGETI Sub-working Group on current and emerging implementation issues",
        "WGTU",
    ]
    assert afternoon_cells(second)[1:3] == [
        "WGETI Sub-working Group on current and emerging implementation issuesWGTU",
        "",
    ]
    assert "This revision has been replaced: the current one is revision 2." in text(first)
    assert "replaced" not in text(second)
    assert client.get(f"/meetings/{SLUG}/revisions/3/").status_code == 404


def afternoon_cells(html: str) -> list[str]:
    rows = {row[0]: row[1:] for row in tables(html)[0][1:]}
    return rows["15:00 – 18:00"]


def test_the_page_with_revisions_reads_a_fixed_number_of_queries(
    client, demo, officer, django_assert_max_num_queries
):
    for number in range(4):
        move(wgtu(), minutes=15 * (number + 1))
        publish(f"Revision {number}.")
    # Fingerprint, meeting, sessions, side events, revisions listed, the two latest read.
    with django_assert_max_num_queries(8):
        assert client.get(f"/meetings/{SLUG}/").status_code == 200


# Cancelled sessions -------------------------------------------------------------------------


def test_a_cancelled_session_leaves_the_grid_the_annex_and_the_registration_form(
    client, demo, officer
):
    meeting = Meeting.objects.get(slug=SLUG)
    session = wgtu()
    session.cancelled = True
    session.save()
    page = text(client.get(f"/meetings/{SLUG}/").content.decode())
    assert "WGTU" not in page.split("Bodies meeting")[0]
    loaded = queries.meeting_with_schedule(SLUG)
    assert session.pk not in [s.pk for s in loaded.sessions.all()]
    letter = compose_letter(letter_facts(loaded), language="en", letter_date=dt.date(2026, 1, 16))
    annex_lines = [line for row in letter.annex.rows for cell in row.cells for line in cell.lines]
    assert "WGTU" not in annex_lines
    assert session.pk not in [fact.session_id for fact in session_facts(meeting)]
    # It stays in the database, with its UID.
    assert Session.objects.filter(pk=session.pk).exists()


def calendar_events(client) -> dict[str, object]:
    response = client.get(f"/meetings/{SLUG}/schedule.ics")
    return {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def test_the_feed_keeps_uids_and_raises_sequence_for_a_move_and_a_cancellation(
    client, demo, officer
):
    before = calendar_events(client)
    moved = wgtu()
    move(moved, days=-1)
    cancelled = Session.objects.filter(meeting__slug=SLUG, body__slug="wgtr").order_by("start")[1]
    cancelled.cancelled = True
    cancelled.save()
    publish("WGTU moves; the second WGTR session is cancelled.")
    after = calendar_events(client)
    assert sorted(after) == sorted(before)
    moved_event = after[session_uid(moved)]
    assert int(moved_event["SEQUENCE"]) == int(before[session_uid(moved)]["SEQUENCE"]) + 1 == 1
    assert moved_event.decoded("DTSTART") == dt.datetime(2026, 3, 17, 14, tzinfo=dt.UTC)
    cancelled_event = after[session_uid(cancelled)]
    assert str(cancelled_event["STATUS"]) == "CANCELLED"
    assert int(cancelled_event["SEQUENCE"]) == 1
    unchanged = [uid for uid in after if uid not in {session_uid(moved), session_uid(cancelled)}]
    assert {int(after[uid]["SEQUENCE"]) for uid in unchanged} == {0}
    assert all("STATUS" not in after[uid] for uid in unchanged)


def test_a_revision_snapshot_names_the_body_in_every_language(demo, officer):
    wgtu_body = Body.objects.get(slug="wgtu")
    wgtu_body.acronym_fr = "GTUT"
    wgtu_body.save()
    revision = publish()
    [kept] = [e for e in revision.snapshot if e["id"] == wgtu().pk]
    assert kept["label"]["en"] == "WGTU"
    assert kept["label"]["fr"] == "GTUT"
    assert kept["status"] == "scheduled"
