"""The Secretariat decides side events in the admin: rooms without double booking, emails."""

import datetime as dt

import pytest
from django.core import mail

from convocation.meetings.models import SideEvent
from convocation.side_events import services
from convocation.side_events.models import SideEventProposal
from tests.side_events.conftest import proposal


def decide_url(pk: int) -> str:
    return f"/admin/side_events/sideeventproposal/{pk}/decide/"


def decide(client, pk: int, **data):
    values = {"decision": "accept", "room": "", "starts_at": "", "ends_at": "", "message": ""}
    values.update(data)
    return client.post(decide_url(pk), values)


def test_accept_in_a_chosen_room_publishes_and_emails_the_contact(
    staff_client, week, django_capture_on_commit_callbacks
):
    first = proposal(week)
    page = staff_client.get(decide_url(first.pk)).content.decode()
    assert '<option value="Room 3">Room 3</option>' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(staff_client, first.pk, room="Room 4", message="Welcome.")

    assert (response.status_code, response["Location"]) == (
        302,
        "/admin/side_events/sideeventproposal/",
    )
    first.refresh_from_db()
    assert (first.status, first.room, first.allocated_starts_at) == (
        "accepted",
        "Room 4",
        dt.time(13, 15),
    )
    assert first.side_event.room == "Room 4"
    [email] = mail.outbox
    assert email.to == ["ada@example.org"]
    assert email.subject == "Side event accepted: Ammunition stockpiles"
    assert "Room: Room 4, CICG" in email.body
    assert "Welcome." in email.body


def test_a_taken_room_is_refused_and_marked_taken(staff_client, week):
    services.accept_proposal(proposal=proposal(week, title="First"), by=None, room="Room 3")
    second = proposal(week, title="Second", starts_at=dt.time(14), ends_at=dt.time(14, 30))

    page = staff_client.get(decide_url(second.pk)).content.decode()
    response = decide(staff_client, second.pk, room="Room 3")

    assert '<option value="Room 3">Room 3 (taken at that time)</option>' in page
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"Room 3 is already taken on {week.monday:%-d %B %Y} at 14:00–14:30."
    ]
    second.refresh_from_db()
    assert (second.status, second.room) == ("submitted", "")


def test_the_first_free_room_then_none(staff_client, week):
    made = [proposal(week, title=f"Event {n}") for n in range(3)]

    staff_client.post(
        "/admin/side_events/sideeventproposal/",
        {"action": "accept_in_first_free_room", "_selected_action": [p.pk for p in made]},
    )

    rooms = [
        (p.title, p.status, p.room) for p in SideEventProposal.objects.order_by("created_at", "id")
    ]
    assert rooms == [
        ("Event 0", "accepted", "Room 3"),
        ("Event 1", "accepted", "Room 4"),
        ("Event 2", "submitted", ""),
    ]
    with pytest.raises(services.SideEventError, match="Every room reserved for side events"):
        services.accept_proposal(proposal=made[2], by=None)
    # The evening is free again.
    services.accept_proposal(
        proposal=made[2], by=None, starts_at=dt.time(18, 15), ends_at=dt.time(19, 45)
    )
    made[2].refresh_from_db()
    assert made[2].room == "Room 3"


def test_accepting_into_a_plenary_session_is_refused(week):
    with pytest.raises(services.SideEventError, match="overlaps a plenary session"):
        services.accept_proposal(
            proposal=proposal(week), by=None, starts_at=dt.time(12), ends_at=dt.time(14)
        )


def test_a_virtual_side_event_takes_no_room(week):
    accepted = services.accept_proposal(
        proposal=proposal(week, format="virtual", access_link="https://x.example/j"), by=None
    )
    assert (accepted.room, accepted.side_event.format) == ("", SideEvent.Format.VIRTUAL)
    # Both rooms stay free at that time.
    assert services.accept_proposal(proposal=proposal(week), by=None).room == "Room 3"


def test_decline_needs_a_message_then_emails_it_and_unpublishes(
    staff_client, week, django_capture_on_commit_callbacks
):
    accepted = services.accept_proposal(proposal=proposal(week), by=None, notify=False)

    refused = decide(staff_client, accepted.pk, decision="decline")
    with django_capture_on_commit_callbacks(execute=True):
        decide(staff_client, accepted.pk, decision="decline", message="The rooms are needed for X.")

    assert refused.context["form"].errors == {
        "message": ["Say why: the message is sent to the contact."]
    }
    accepted.refresh_from_db()
    assert (accepted.status, accepted.side_event, accepted.room) == ("declined", None, "")
    assert list(
        SideEvent.objects.filter(meeting=week.meeting, date=week.monday).values_list("title")
    ) == [("",)]
    [email] = mail.outbox
    assert email.subject == "Side event not accepted: Ammunition stockpiles"
    assert "The rooms are needed for X." in email.body


def test_editing_an_accepted_proposal_updates_the_published_side_event(staff_client, week):
    accepted = services.accept_proposal(proposal=proposal(week), by=None, notify=False)
    page = staff_client.get(f"/admin/side_events/sideeventproposal/{accepted.pk}/change/")
    # The booked day and time change only through "Decide".
    assert set(page.context["adminform"].form.fields) >= {"title", "organisers"}
    assert "date" not in page.context["adminform"].form.fields

    data = {
        name: getattr(accepted, name)
        for name in page.context["adminform"].form.fields
        if getattr(accepted, name) is not None
    }
    data.update(title="Ammunition stockpiles (updated)")
    response = staff_client.post(
        f"/admin/side_events/sideeventproposal/{accepted.pk}/change/", data
    )

    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.side_event.title == "Ammunition stockpiles (updated)"


def test_policy_admin_checks_the_times(staff_client, week):
    response = staff_client.post(
        f"/admin/side_events/sideeventpolicy/{week.policy.pk}/change/",
        {
            "meeting": week.meeting.pk,
            "proposals_close_at_0": "2026-01-01",
            "proposals_close_at_1": "12:00",
            "rooms_per_day": 2,
            "room_names": "Room 3",
            "slots": "lunch",
        },
    )
    assert response.context["adminform"].form.errors["slots"] == [
        "“lunch” is not a time range such as 13:15–14:45."
    ]
