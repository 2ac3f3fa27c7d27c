"""Proposing a side event, one's own proposals, and the published side events of a meeting."""

import datetime as dt
import re
from html import unescape

import pytest
from django.utils import timezone

from convocation.meetings.models import SideEvent
from convocation.meetings.queries import grid_for, meeting_with_schedule
from convocation.people.models import Person
from convocation.registrations.models import Registration
from convocation.side_events import services
from convocation.side_events.models import SideEventProposal
from tests.side_events.conftest import form_data, proposal

PROPOSE = "/meetings/side-wg/side-events/propose/"


@pytest.fixture
def delegate(client, django_user_model):
    user = django_user_model.objects.create_user("ada", email="ada@example.org")
    client.force_login(user)
    return user


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def errors(response) -> dict[str, list[str]]:
    return {name: list(found) for name, found in response.context["form"].errors.items()}


def test_propose_asks_to_sign_in_first(client, week):
    response = client.get(PROPOSE)
    assert (response.status_code, response["Location"]) == (
        302,
        f"/sign-in/?next={PROPOSE}",
    )


def test_propose_before_the_deadline_records_the_proposal(client, week, delegate):
    response = client.post(PROPOSE, form_data(week))

    assert (response.status_code, response["Location"]) == (302, "/my/side-events/")
    made = SideEventProposal.objects.get()
    assert (made.title, made.status, made.submitted_by, made.date, made.starts_at) == (
        "Ammunition stockpiles",
        "submitted",
        delegate,
        week.monday,
        dt.time(13, 15),
    )
    mine = client.get("/my/side-events/")
    assert "Ammunition stockpiles" in text(mine)
    assert "Submitted" in text(mine)


def test_propose_after_the_deadline_is_refused_with_the_closing_date(client, week, delegate):
    week.policy.proposals_close_at = timezone.now() - dt.timedelta(minutes=1)
    week.policy.save()

    response = client.get(PROPOSE)
    posted = client.post(PROPOSE, form_data(week))

    assert response.status_code == 409
    closes = timezone.localtime(week.policy.proposals_close_at, week.meeting.tz)
    assert "Proposals for side events at this meeting closed on" in text(response)
    assert f"at {closes:%H:%M}." in text(response)
    assert posted.status_code == 409
    assert SideEventProposal.objects.count() == 0


def test_submit_proposal_refuses_after_the_deadline_whatever_the_form(week):
    data = services.ProposalData(**_data(week))
    closes = week.policy.proposals_close_at
    services.submit_proposal(meeting=week.meeting, data=data, by=None, now=closes)
    with pytest.raises(services.SideEventError, match="closed on"):
        services.submit_proposal(
            meeting=week.meeting, data=data, by=None, now=closes + dt.timedelta(seconds=1)
        )
    assert SideEventProposal.objects.count() == 1


def _data(week) -> dict:
    form = form_data(week)
    form.update(
        date=week.monday,
        starts_at=dt.time(13, 15),
        ends_at=dt.time(14, 45),
        co_sponsors="",
        language="en",
    )
    return form


def test_a_meeting_without_a_side_event_policy_takes_no_proposals(client, week, delegate):
    week.policy.delete()
    response = client.get(PROPOSE)
    assert response.status_code == 404
    assert "This meeting takes no side-event proposals." in text(response)


@pytest.mark.parametrize("offset", [-1, 2, 7])
def test_a_day_outside_the_meeting_is_refused(client, week, delegate, offset):
    day = week.monday + dt.timedelta(days=offset)
    response = client.post(PROPOSE, form_data(week, date=day.isoformat()))
    assert response.status_code == 400
    assert errors(response) == {"date": ["Choose a day of the meeting."]}
    # The service says the same to any other caller, with the meeting's days.
    with pytest.raises(services.SideEventError) as refused:
        services.submit_proposal(
            meeting=week.meeting,
            data=services.ProposalData(**{**_data(week), "date": day}),
            by=None,
        )
    assert list(refused.value.message_dict) == ["date"]


def test_the_last_day_of_the_meeting_is_accepted(client, week, delegate):
    last = week.meeting.end_date.isoformat()
    response = client.post(PROPOSE, form_data(week, date=last))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("12:30", "14:00", "starts_at"),  # into the morning session
        ("14:30", "15:30", "starts_at"),  # into the afternoon session
        ("13:00", "15:00", None),  # exactly between them
        ("18:15", "19:45", None),
        ("14:45", "13:15", "ends_at"),
    ],
)
def test_a_time_overlapping_a_plenary_session_is_refused(client, week, delegate, start, end, field):
    response = client.post(PROPOSE, form_data(week, starts_at=start, ends_at=end))
    if field is None:
        assert response.status_code == 302
        return
    assert response.status_code == 400
    assert list(errors(response)) == [field]
    if field == "starts_at":
        assert errors(response)["starts_at"] == [
            "This time overlaps a plenary session of that day. Choose a time outside the "
            "sessions, such as 13:15–14:45, 18:15–19:45."
        ]


def test_a_cancelled_session_frees_its_time(client, week, delegate):
    week.meeting.sessions.filter(start__hour__gte=13).update(cancelled=True)
    response = client.post(PROPOSE, form_data(week, starts_at="15:00", ends_at="16:00"))
    assert response.status_code == 302


def test_hybrid_is_refused_where_the_meeting_says_so(client, week, delegate):
    response = client.post(
        PROPOSE, form_data(week, format="hybrid", access_link="https://x.example/j")
    )
    assert response.status_code == 400
    assert "format" in errors(response)
    page = client.get(PROPOSE).content.decode()
    assert 'value="in_person"' in page and 'value="virtual"' in page
    assert 'value="hybrid"' not in page
    with pytest.raises(services.SideEventError) as refused:
        services.submit_proposal(
            meeting=week.meeting,
            data=services.ProposalData(
                **{**_data(week), "format": "hybrid", "access_link": "https://x.example/j"}
            ),
            by=None,
        )
    assert refused.value.message_dict == {"format": ["This meeting takes no hybrid side events."]}


def test_hybrid_is_taken_where_the_meeting_allows_it(client, week, delegate):
    week.policy.allows_hybrid = True
    week.policy.save()
    response = client.post(
        PROPOSE, form_data(week, format="hybrid", access_link="https://x.example/j")
    )
    assert response.status_code == 302


def test_a_virtual_side_event_needs_its_access_link(client, week, delegate):
    response = client.post(PROPOSE, form_data(week, format="virtual"))
    assert errors(response) == {"access_link": ["Give the link by which participants join online."]}
    ok = client.post(
        PROPOSE,
        form_data(
            week, format="virtual", access_link="https://x.example/j", link_shown="registered"
        ),
    )
    assert ok.status_code == 302
    assert SideEventProposal.objects.get().link_shown == "registered"


def test_my_proposals_show_only_mine(client, week, delegate, django_user_model):
    other = django_user_model.objects.create_user("bob", email="bob@example.org")
    proposal(week, title="Mine", submitted_by=delegate)
    theirs = proposal(week, title="Theirs", submitted_by=other)

    page = text(client.get("/my/side-events/"))
    withdraw = client.post(f"/my/side-events/{theirs.pk}/withdraw/")

    assert "Mine" in page and "Theirs" not in page
    assert withdraw.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "submitted"


def test_withdrawing_a_published_side_event_puts_tbc_back(client, week, delegate):
    mine = services.accept_proposal(proposal=proposal(week, submitted_by=delegate), by=None)

    response = client.post(f"/my/side-events/{mine.pk}/withdraw/")

    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.side_event, mine.room) == ("withdrawn", None, "")
    day = grid_for(meeting_with_schedule("side-wg")).side_events[0]
    assert (day.titles, day.to_be_confirmed) == ([], True)


def test_published_side_event_appears_in_the_grid_and_the_meeting_page(client, week):
    accepted = services.accept_proposal(proposal=proposal(week), by=None)

    grid = grid_for(meeting_with_schedule("side-wg"))
    monday, tuesday = (cell for cell in grid.side_events if cell.in_meeting)
    page = client.get("/meetings/side-wg/")

    assert (monday.titles, monday.to_be_confirmed) == (["Ammunition stockpiles"], False)
    assert (tuesday.titles, tuesday.to_be_confirmed) == ([], True)
    assert accepted.side_event.title == "Ammunition stockpiles"
    side_row = page.content.decode().split('<tr class="side-events">', 1)[1].split("</tr>", 1)[0]
    assert "Ammunition stockpiles" in side_row
    assert list(
        SideEvent.objects.filter(meeting=week.meeting)
        .order_by("date")
        .values_list("date", "title", "room", "starts_at")
    ) == [
        (week.monday, "Ammunition stockpiles", "Room 3", dt.time(13, 15)),
        (week.monday + dt.timedelta(days=1), "", "", None),
    ]


def _virtual(week, shown: str, title: str):
    return services.accept_proposal(
        proposal=proposal(
            week,
            title=title,
            format="virtual",
            access_link=f"https://x.example/{shown}",
            link_shown=shown,
            starts_at=dt.time(18, 15),
            ends_at=dt.time(19, 45),
        ),
        by=None,
    )


@pytest.mark.parametrize(
    ("viewer", "public", "registered", "on_request"),
    [
        ("anonymous", True, False, False),
        ("signed_in", True, False, False),
        ("registered", True, True, False),
        ("withdrawn", True, False, False),
        ("staff", True, True, False),
    ],
)
def test_access_links_are_shown_as_the_organisers_wish(
    client, week, django_user_model, viewer, public, registered, on_request
):
    for shown in ("public", "registered", "on_request"):
        _virtual(week, shown, f"Online {shown}")
    if viewer != "anonymous":
        user = django_user_model.objects.create_user(
            "viewer", email="viewer@example.org", is_staff=viewer == "staff"
        )
        client.force_login(user)
    if viewer in ("registered", "withdrawn"):
        person = Person.objects.create(
            given_name="Vi", family_name="Ewer", email="viewer@example.org"
        )
        Registration.objects.create(
            meeting=week.meeting,
            person=person,
            state_id="ROU",
            category="state_party",
            position="Delegate",
            role="member",
            mode="online",
            gender="female",
            status="confirmed" if viewer == "registered" else "withdrawn",
            consent_given_at=timezone.now(),
        )

    html = client.get("/meetings/side-wg/side-events/").content.decode()

    assert ("https://x.example/public" in html) is public
    assert ("https://x.example/registered" in html) is registered
    assert ("https://x.example/on_request" in html) is on_request
    page = unescape(html)
    assert "The access link is given on request to the organisers." in page
    assert "Ada Contact <ada@example.org>" in page
    assert (
        "The access link is shown to delegates registered for the meeting." in page
    ) is not registered


def test_a_published_side_event_is_in_the_meeting_calendar_with_its_public_link_only(db):
    import datetime as dt

    from icalendar import Calendar

    from convocation.meetings.calendar import schedule_calendar
    from convocation.meetings.demo import load_demo
    from convocation.meetings.models import Meeting, SideEvent

    load_demo()
    meeting = Meeting.objects.get(slug="att-csp12-wg")
    SideEvent.objects.create(
        meeting=meeting,
        date=meeting.start_date,
        title="Gender and small arms",
        starts_at=dt.time(13, 15),
        ends_at=dt.time(14, 45),
        room="Room 3",
        organisers="Control Arms",
    )
    SideEvent.objects.create(
        meeting=meeting,
        date=meeting.start_date,
        title="Online briefing",
        starts_at=dt.time(18, 15),
        ends_at=dt.time(19, 45),
        format="virtual",
        access_link="https://example.org/briefing",
        link_shown="registered",
    )
    events = {
        str(event["summary"]): event
        for event in Calendar.from_ical(schedule_calendar(meeting)).walk("VEVENT")
    }
    room = events["Side event: Gender and small arms"]
    assert room["location"].startswith("Room 3, ")
    assert room.decoded("dtstart").strftime("%H:%M") == "13:15"
    online = events["Side event: Online briefing"]
    assert str(online["location"]) == "Online"
    assert "https://example.org/briefing" not in schedule_calendar(meeting).decode()
    assert not any(name.startswith("Side event: tbc") for name in events)
