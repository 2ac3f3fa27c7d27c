"""The schedule grid of a meeting, as the annex of an invitation letter draws it.

Columns are the days from the Monday of the meeting's first week to its last day (the
CSP10 week of 20–23 February 2024 shows an empty Monday); rows are the meeting's time
slots in local time, then a row of side events. The function takes plain facts, so the
grid is tested without a database and the page, the letter annex and exports share it.
"""

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SessionFact:
    start: dt.datetime
    end: dt.datetime
    label: str
    acronym: str
    closed: bool
    parent_acronym: str = ""
    full_name: str = ""


@dataclass(frozen=True)
class SideEventFact:
    date: dt.date
    title: str


@dataclass(frozen=True)
class Slot:
    start: dt.time
    end: dt.time

    @property
    def label(self) -> str:
        return f"{self.start:%H:%M} – {self.end:%H:%M}"


@dataclass
class Cell:
    day: dt.date
    in_meeting: bool
    sessions: list[SessionFact] = field(default_factory=list)


@dataclass
class Row:
    slot: Slot
    cells: list[Cell]


@dataclass
class SideEventCell:
    day: dt.date
    in_meeting: bool
    titles: list[str] = field(default_factory=list)
    to_be_confirmed: bool = False


@dataclass
class Grid:
    days: list[dt.date]
    rows: list[Row]
    side_events: list[SideEventCell]
    rolling_basis_groups: list[str]

    @property
    def is_empty(self) -> bool:
        return not any(cell.sessions for row in self.rows for cell in row.cells)

    @property
    def by_day(self) -> list["DayPlan"]:
        """The same grid read day by day, as a phone shows it: the meeting's days only."""
        plans = []
        for index, day in enumerate(self.days):
            side = self.side_events[index]
            if not side.in_meeting:
                continue
            slots = [
                (row.slot, row.cells[index].sessions)
                for row in self.rows
                if row.cells[index].sessions
            ]
            plans.append(DayPlan(day, slots, side))
        return plans


@dataclass
class DayPlan:
    day: dt.date
    slots: list[tuple[Slot, list[SessionFact]]]
    side_events: SideEventCell


def grid_days(first_day: dt.date, last_day: dt.date) -> list[dt.date]:
    """From the Monday of the first day's week to the last day."""
    monday = first_day - dt.timedelta(days=first_day.weekday())
    return [monday + dt.timedelta(days=n) for n in range((last_day - monday).days + 1)]


def schedule_grid(
    *,
    first_day: dt.date,
    last_day: dt.date,
    time_zone: str,
    sessions: Iterable[SessionFact],
    side_events: Sequence[SideEventFact] = (),
) -> Grid:
    zone = zoneinfo.ZoneInfo(time_zone)
    days = grid_days(first_day, last_day)
    column = {day: index for index, day in enumerate(days)}

    placed: dict[Slot, dict[dt.date, list[SessionFact]]] = {}
    rolling: list[str] = []
    for session in sorted(sessions, key=lambda fact: (fact.start, fact.end)):
        local_start = session.start.astimezone(zone)
        local_end = session.end.astimezone(zone)
        slot = Slot(local_start.time(), local_end.time())
        placed.setdefault(slot, {}).setdefault(local_start.date(), []).append(session)
        if session.parent_acronym and session.parent_acronym not in rolling:
            rolling.append(session.parent_acronym)

    rows = []
    for slot in sorted(placed, key=lambda slot: (slot.start, slot.end)):
        cells = [Cell(day, first_day <= day <= last_day) for day in days]
        for day, day_sessions in placed[slot].items():
            if day in column:
                cells[column[day]].sessions.extend(day_sessions)
        rows.append(Row(slot, cells))

    side_cells = [SideEventCell(day, first_day <= day <= last_day) for day in days]
    for event in side_events:
        if event.date not in column:
            continue
        cell = side_cells[column[event.date]]
        if event.title:
            cell.titles.append(event.title)
        else:
            cell.to_be_confirmed = True
    return Grid(days=days, rows=rows, side_events=side_cells, rolling_basis_groups=rolling)
