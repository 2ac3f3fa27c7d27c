"""Import of the table of treaty actions (state code, action, date) from CSV.

The whole file is read and checked before anything is written: one bad row and the
database is left as it was, with every problem reported by its line number.
"""

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from convocation.treaties.models import State, Treaty, TreatyAction

REQUIRED_COLUMNS = ("state", "action", "date")


class ImportRejected(ValueError):
    """The file was refused; ``problems`` holds one message per bad line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _find_state(code: str, by_code: dict[str, State]) -> State | None:
    return by_code.get(code.strip().upper())


def import_treaty_actions(*, treaty: Treaty, lines: Iterable[str]) -> ImportResult:
    """Check every row, then write all of them in one transaction, or none."""
    reader = csv.DictReader(lines)
    columns = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ImportRejected(
            [
                f"line 1: the header must name the columns state, action, date; missing: "
                f"{', '.join(missing)}"
            ]
        )
    reader.fieldnames = columns

    states = {}
    for state in State.objects.all():
        states[state.code] = state
        states[state.alpha_2] = state
    kinds = {choice.value for choice in TreatyAction.Kind}

    problems: list[str] = []
    rows: dict[tuple[str, str], dt.date] = {}
    for row in reader:
        # The reader skips blank lines: its own count is the line a person sees in an editor.
        line_number = reader.line_num
        code = (row.get("state") or "").strip()
        kind = (row.get("action") or "").strip().lower()
        raw_date = (row.get("date") or "").strip()
        state = _find_state(code, states)
        if state is None:
            problems.append(f"line {line_number}: {code!r} is not the ISO code of a known State")
        if kind not in kinds:
            problems.append(
                f"line {line_number}: {kind!r} is not an action; use one of "
                f"{', '.join(sorted(kinds))}"
            )
        try:
            date = dt.datetime.strptime(raw_date, "%Y-%m-%d").date()
        except ValueError:
            problems.append(f"line {line_number}: {raw_date!r} is not a date as YYYY-MM-DD")
            continue
        if state is None or kind not in kinds:
            continue
        if (state.code, kind) in rows:
            problems.append(f"line {line_number}: {state.code} {kind} appears twice in the file")
        rows[(state.code, kind)] = date
    if problems:
        raise ImportRejected(problems)

    created = updated = 0
    with transaction.atomic():
        for (code, kind), date in rows.items():
            _, was_created = TreatyAction.objects.update_or_create(
                treaty=treaty, state_id=code, kind=kind, defaults={"date": date}
            )
            created += was_created
            updated += not was_created
    return ImportResult(created=created, updated=updated)
