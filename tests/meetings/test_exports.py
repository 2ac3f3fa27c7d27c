import datetime as dt
import json

from icalendar import Calendar

from convocation.meetings.models import Meeting, Session


def test_schedule_json_has_the_meeting_facts_and_sessions_with_offsets(client, demo):
    response = client.get("/meetings/att-csp12-wg/schedule.json")
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert document["meeting"] == {
        "slug": "att-csp12-wg",
        "title": "ATT CSP12 Working Group meetings",
        "treaty": "ATT",
        "cycle": "CSP12",
        "kind": "working_groups",
        "status": "held",
        "start_date": "2026-03-16",
        "end_date": "2026-03-19",
        "venue": "Centre International de Conférences Genève (CICG)",
        "city": "Geneva",
        "country": "Switzerland",
        "time_zone": "Europe/Zurich",
        "format": "in_person",
        "registration": "required",
        "livestream": "registered",
        "documents_target_date": "2026-02-17",
        "schedule_is_draft": True,
    }
    sessions = document["sessions"]
    assert [(s["start"], s["end"], s["body"]["acronym"]) for s in sessions] == [
        ("2026-03-16T10:00:00+01:00", "2026-03-16T13:00:00+01:00", "WGETI"),
        ("2026-03-16T15:00:00+01:00", "2026-03-16T18:00:00+01:00", "WGETI"),
        ("2026-03-17T10:00:00+01:00", "2026-03-17T13:00:00+01:00", "WGETI"),
        ("2026-03-17T15:00:00+01:00", "2026-03-17T18:00:00+01:00", "WGETI"),
        ("2026-03-18T10:00:00+01:00", "2026-03-18T13:00:00+01:00", "WGETI"),
        ("2026-03-18T15:00:00+01:00", "2026-03-18T18:00:00+01:00", "WGTU"),
        ("2026-03-19T10:00:00+01:00", "2026-03-19T13:00:00+01:00", "WGTR"),
        ("2026-03-19T15:00:00+01:00", "2026-03-19T18:00:00+01:00", "WGTR"),
    ]
    assert sessions[0]["body"]["name"] == (
        "WGETI Sub-working Group on exchange of national implementation practices"
    )
    assert sessions[6]["body"]["full_name"] == "Working Group on Transparency and Reporting (WGTR)"
    assert {s["access"] for s in sessions} == {"open"}
    assert document["side_events"][0] == {
        "date": "2026-03-16",
        "title": None,
        "to_be_confirmed": True,
    }
    # ISO 8601 with offset: parseable and equal to the stored instant.
    first = dt.datetime.fromisoformat(sessions[0]["start"])
    assert first == dt.datetime(2026, 3, 16, 9, tzinfo=dt.UTC)


def test_schedule_json_marks_the_dief_closed(client, demo):
    document = json.loads(client.get("/meetings/att-csp10-wg/schedule.json").content)
    closed = [s for s in document["sessions"] if s["access"] != "open"]
    assert [(s["body"]["acronym"], s["access"], s["start"]) for s in closed] == [
        ("DIEF", "parties_and_signatories", "2024-02-22T15:00:00+01:00")
    ]


def parse_calendar(client, slug="att-csp12-wg") -> Calendar:
    response = client.get(f"/meetings/{slug}/schedule.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_schedule_ics_has_one_event_per_session_in_geneva_time(client, demo):
    calendar = parse_calendar(client)
    events = calendar.walk("VEVENT")
    assert len(events) == 8
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Zurich"]
    first = events[0]
    assert first.get("DTSTART").params["TZID"] == "Europe/Zurich"
    assert first.decoded("DTSTART") == dt.datetime(2026, 3, 16, 9, tzinfo=dt.UTC)
    assert first.decoded("DTEND") == dt.datetime(2026, 3, 16, 12, tzinfo=dt.UTC)
    assert str(first["SUMMARY"]) == (
        "WGETI Sub-working Group on exchange of national implementation practices"
    )
    assert "Centre International de Conférences Genève (CICG), Geneva" in str(first["LOCATION"])


def test_schedule_ics_uids_are_stable_and_unique(client, demo):
    before = [str(e["UID"]) for e in parse_calendar(client).walk("VEVENT")]
    assert len(set(before)) == 8
    session = Session.objects.filter(meeting__slug="att-csp12-wg").order_by("start").first()
    session.room = "Room 2"
    session.start += dt.timedelta(hours=1)
    session.save()
    after = parse_calendar(client).walk("VEVENT")
    assert sorted(str(e["UID"]) for e in after) == sorted(before)
    moved = next(e for e in after if "Room 2" in str(e["LOCATION"]))
    assert moved.decoded("DTSTART") == dt.datetime(2026, 3, 16, 10, tzinfo=dt.UTC)


def test_schedule_ics_names_the_closed_dief(client, demo):
    events = parse_calendar(client, "att-csp10-wg").walk("VEVENT")
    summaries = [str(e["SUMMARY"]) for e in events]
    assert "DIEF (States Parties and signatory States only)" in summaries
    assert Meeting.objects.get(slug="att-csp10-wg").sessions.count() == len(events)
