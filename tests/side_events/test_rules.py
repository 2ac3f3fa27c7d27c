"""The side-event rules at their edges, without a database."""

import datetime as dt

import pytest

from convocation.side_events import rules
from convocation.side_events.rules import Booking, Interval

MONDAY = dt.date(2026, 3, 16)
TUESDAY = dt.date(2026, 3, 17)
ROOMS = ["Room 3", "Room 4"]


def t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


@pytest.mark.parametrize(
    ("start", "end", "bookings", "free"),
    [
        ("13:15", "14:45", [], ["Room 3", "Room 4"]),
        ("13:15", "14:45", [(MONDAY, "13:15", "14:45", "Room 3")], ["Room 4"]),
        # Any overlap takes the room, however short.
        ("13:15", "14:45", [(MONDAY, "14:30", "15:00", "Room 4")], ["Room 3"]),
        (
            "13:15",
            "14:45",
            [(MONDAY, "13:00", "13:30", "Room 3"), (MONDAY, "14:00", "14:50", "Room 4")],
            [],
        ),
        # Back to back is not a clash.
        ("13:15", "14:45", [(MONDAY, "12:00", "13:15", "Room 3")], ["Room 3", "Room 4"]),
        ("13:15", "14:45", [(MONDAY, "14:45", "16:00", "Room 3")], ["Room 3", "Room 4"]),
        # Another day, or the evening, leaves the lunchtime free.
        ("13:15", "14:45", [(TUESDAY, "13:15", "14:45", "Room 3")], ["Room 3", "Room 4"]),
        ("13:15", "14:45", [(MONDAY, "18:15", "19:45", "Room 3")], ["Room 3", "Room 4"]),
        # A room that is not reserved for side events is not offered, taken or not.
        ("13:15", "14:45", [(MONDAY, "13:15", "14:45", "Room 9")], ["Room 3", "Room 4"]),
    ],
)
def test_free_rooms_never_double_books(start, end, bookings, free):
    booked = [Booking(day, t(s), t(e), room) for day, s, e, room in bookings]
    assert rules.free_rooms(MONDAY, t(start), t(end), booked, ROOMS) == free


@pytest.mark.parametrize(
    ("start", "end", "overlaps"),
    [
        ("13:15", "14:45", False),
        ("13:00", "14:00", False),  # starts as the morning session ends
        ("12:59", "14:00", True),
        ("14:00", "15:00", False),  # ends as the afternoon session starts
        ("14:00", "15:01", True),
        ("18:00", "19:00", False),
        ("09:00", "19:00", True),
        ("11:00", "12:00", True),
    ],
)
def test_overlaps_plenary_at_the_edges_of_the_sessions(start, end, overlaps):
    plenary = [(t("10:00"), t("13:00")), (t("15:00"), t("18:00"))]
    assert rules.overlaps_plenary(t(start), t(end), plenary) is overlaps


def test_proposals_are_open_up_to_the_closing_moment():
    closes = dt.datetime(2026, 3, 1, 23, 59, tzinfo=dt.UTC)
    assert rules.proposals_open(closes - dt.timedelta(seconds=1), closes) is True
    assert rules.proposals_open(closes, closes) is True
    assert rules.proposals_open(closes + dt.timedelta(seconds=1), closes) is False


def test_within_meeting_takes_the_first_and_last_days_only():
    assert rules.within_meeting(MONDAY, MONDAY, TUESDAY)
    assert rules.within_meeting(TUESDAY, MONDAY, TUESDAY)
    assert not rules.within_meeting(MONDAY - dt.timedelta(days=1), MONDAY, TUESDAY)
    assert not rules.within_meeting(TUESDAY + dt.timedelta(days=1), MONDAY, TUESDAY)


@pytest.mark.parametrize(
    ("virtual", "hybrid", "formats"),
    [
        (True, False, ["in_person", "virtual"]),
        (True, True, ["in_person", "virtual", "hybrid"]),
        (False, False, ["in_person"]),
    ],
)
def test_formats_allowed_follow_the_policy(virtual, hybrid, formats):
    assert rules.formats_allowed(allows_virtual=virtual, allows_hybrid=hybrid) == formats


def test_rooms_of_the_day_are_named_then_numbered():
    assert rules.rooms_of_the_day("Room 3\n\n Room 4 \nRoom 5", 2) == ["Room 3", "Room 4"]
    assert rules.rooms_of_the_day("Room 3", 3) == [
        "Room 3",
        "Side-event room 1",
        "Side-event room 2",
    ]
    assert rules.rooms_of_the_day("", 0) == []


def test_parse_slots_reads_the_secretariat_typography():
    assert rules.parse_slots("13:15–14:45\n\n18.15-19.45") == [
        Interval(t("13:15"), t("14:45")),
        Interval(t("18:15"), t("19:45")),
    ]
    with pytest.raises(ValueError, match="lunchtime"):
        rules.parse_slots("lunchtime")
    with pytest.raises(ValueError, match="14:45–13:15"):
        rules.parse_slots("14:45–13:15")


@pytest.mark.parametrize(
    ("shown", "registered", "secretariat", "link"),
    [
        ("public", False, False, "https://x.example/join"),
        ("public", True, False, "https://x.example/join"),
        ("registered", False, False, ""),
        ("registered", True, False, "https://x.example/join"),
        ("registered", False, True, "https://x.example/join"),
        ("on_request", False, False, ""),
        ("on_request", True, False, ""),
        ("on_request", False, True, ""),
    ],
)
def test_link_to_show_follows_the_organisers_choice(shown, registered, secretariat, link):
    assert (
        rules.link_to_show(
            shown, "https://x.example/join", registered=registered, secretariat=secretariat
        )
        == link
    )
