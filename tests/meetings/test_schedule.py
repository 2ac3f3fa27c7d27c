import datetime as dt
import zoneinfo

from convocation.meetings.queries import grid_for, meeting_with_schedule
from convocation.meetings.schedule import SessionFact, SideEventFact, grid_days, schedule_grid
from tests.meetings.annex import letter_annex

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")


def grid_as_annex(grid) -> dict[str, list[str]]:
    """The grid written as the letters' annex writes it."""
    annex = {"header": [f"{day:%A}" for day in grid.days]}
    for row in grid.rows:
        annex[row.slot.label] = [
            " ".join(
                session.label
                + (" (States Parties and signatory States only)" if session.closed else "")
                for session in cell.sessions
            )
            for cell in row.cells
        ]
    annex["SIDE EVENTS"] = [
        " ".join([*cell.titles, *(["tbc"] if cell.to_be_confirmed else [])])
        for cell in grid.side_events
    ]
    return annex


def test_grid_of_csp10_week_matches_the_2024_letter_cell_by_cell(demo):
    grid = grid_for(meeting_with_schedule("att-csp10-wg"))
    assert grid_as_annex(grid) == letter_annex("att-csp10-wg")


def test_grid_of_csp12_week_matches_the_2026_letter_cell_by_cell(demo):
    grid = grid_for(meeting_with_schedule("att-csp12-wg"))
    assert grid_as_annex(grid) == letter_annex("att-csp12-wg")


def test_grid_days_start_on_the_monday_of_the_first_week():
    assert grid_days(dt.date(2024, 2, 20), dt.date(2024, 2, 23)) == [
        dt.date(2024, 2, 19) + dt.timedelta(days=n) for n in range(5)
    ]
    assert grid_days(dt.date(2026, 3, 16), dt.date(2026, 3, 19))[0] == dt.date(2026, 3, 16)


def test_grid_places_sessions_by_local_time_across_a_daylight_saving_change():
    # 27 March 2026 is winter time in Geneva (UTC+1), 30 March summer time (UTC+2):
    # both sessions open at 10:00 local and share one row.
    winter = dt.datetime(2026, 3, 27, 9, tzinfo=dt.UTC)
    summer = dt.datetime(2026, 3, 30, 8, tzinfo=dt.UTC)
    sessions = [
        SessionFact(winter, winter + dt.timedelta(hours=3), "WGTU", "WGTU", False),
        SessionFact(summer, summer + dt.timedelta(hours=3), "WGTR", "WGTR", False),
    ]
    grid = schedule_grid(
        first_day=dt.date(2026, 3, 27),
        last_day=dt.date(2026, 3, 30),
        time_zone="Europe/Zurich",
        sessions=sessions,
    )
    assert [row.slot.label for row in grid.rows] == ["10:00 – 13:00"]
    labels = {cell.day: [s.label for s in cell.sessions] for cell in grid.rows[0].cells}
    assert labels[dt.date(2026, 3, 27)] == ["WGTU"]
    assert labels[dt.date(2026, 3, 30)] == ["WGTR"]


def test_grid_marks_days_outside_the_meeting_and_collects_side_events():
    grid = schedule_grid(
        first_day=dt.date(2024, 2, 20),
        last_day=dt.date(2024, 2, 21),
        time_zone="Europe/Zurich",
        sessions=[],
        side_events=[
            SideEventFact(dt.date(2024, 2, 20), ""),
            SideEventFact(dt.date(2024, 2, 21), "Gender and small arms"),
        ],
    )
    assert [cell.in_meeting for cell in grid.side_events] == [False, True, True]
    assert [(c.titles, c.to_be_confirmed) for c in grid.side_events] == [
        ([], False),
        ([], True),
        (["Gender and small arms"], False),
    ]
    assert grid.is_empty


def test_rolling_basis_names_the_parent_of_sub_working_groups(demo):
    assert grid_for(meeting_with_schedule("att-csp10-wg")).rolling_basis_groups == ["WGETI"]
