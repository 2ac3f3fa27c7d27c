"""Reads of treaty facts, shaped so that a page makes a fixed number of queries."""

import datetime as dt
from collections import defaultdict

from convocation.treaties.models import State, Treaty, TreatyAction
from convocation.treaties.status import ActionFact, StateStatus, status_on


def statuses_on(treaty: Treaty, on: dt.date) -> dict[str, StateStatus]:
    """The status of every State on a day, keyed by ISO code, from two queries."""
    facts: dict[str, list[ActionFact]] = defaultdict(list)
    for code, kind, date in TreatyAction.objects.filter(treaty=treaty).values_list(
        "state_id", "kind", "date"
    ):
        facts[code].append(ActionFact(kind, date))
    return {
        code: status_on(
            facts.get(code, ()),
            on,
            entry_into_force=treaty.entry_into_force,
            delay_days=treaty.entry_into_force_delay_days,
        )
        for code in State.objects.values_list("code", flat=True)
    }


def status_of(state: State, treaty: Treaty, on: dt.date) -> StateStatus:
    facts = [
        ActionFact(kind, date)
        for kind, date in state.treaty_actions.filter(treaty=treaty).values_list("kind", "date")
    ]
    return status_on(
        facts,
        on,
        entry_into_force=treaty.entry_into_force,
        delay_days=treaty.entry_into_force_delay_days,
    )
