"""The side-event demo of the open demonstration week."""

from django.core.management import call_command

from convocation.meetings.queries import grid_for, meeting_with_schedule
from convocation.registrations.demo import load_registration_demo
from convocation.side_events.demo import load_side_event_demo
from convocation.side_events.models import SideEventProposal


def test_demo_publishes_side_events_in_the_open_week(demo, capsys):
    assert load_side_event_demo() is None  # no open week yet
    load_registration_demo(count=2)

    call_command("load-demo-side-events".replace("-", "_"))
    call_command("load_demo_side_events")  # a second run adds nothing

    statuses = sorted(SideEventProposal.objects.values_list("status", "room"))
    assert statuses == [("accepted", ""), ("accepted", "Room 3"), ("submitted", "")]
    grid = grid_for(meeting_with_schedule("att-csp13-wg"))
    days = [cell for cell in grid.side_events if cell.in_meeting]
    assert [(cell.titles, cell.to_be_confirmed) for cell in days] == [
        (["Gender-based violence and the ATT risk assessment"], False),
        (["Post-shipment verification: experiences of States Parties"], False),
        ([], True),
        ([], True),
    ]
    out = capsys.readouterr().out
    assert "Demo side events: 3 new proposals" in out
    assert "Demo side events: 0 new proposals" in out
