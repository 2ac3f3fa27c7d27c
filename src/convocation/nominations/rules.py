"""Who may nominate for a vacant office, and who sees the nominations: plain functions.

A nomination comes from a State that is a State Party on the day it is submitted (its
status derived from its treaty actions, never stored), through the State's focal point,
before the deadline. Nothing here reads the database.
"""

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from convocation.treaties.status import StateStatus


class Refusal(enum.StrEnum):
    """Why a signed-in user may not nominate, in the order the reasons are checked."""

    NOT_OPEN = "not_open"
    DEADLINE_PASSED = "deadline_passed"
    NOT_FOCAL_POINT = "not_focal_point"
    NOT_A_PARTY = "not_a_party"


@dataclass(frozen=True)
class Eligibility:
    states: list[str]  # codes of the States the user may nominate for
    refusal: Refusal | None


def deadline_passed(deadline: dt.date, today: dt.date) -> bool:
    """The deadline day itself still takes nominations."""
    return today > deadline


def eligibility(
    *,
    vacancy_open: bool,
    deadline: dt.date,
    today: dt.date,
    focal_point_states: Iterable[str],
    statuses: Mapping[str, StateStatus],
) -> Eligibility:
    """The States a focal point may nominate for today, or the first reason they may not.

    ``statuses`` gives each State's status on ``today`` (``treaties.queries``).
    """
    if not vacancy_open:
        return Eligibility([], Refusal.NOT_OPEN)
    if deadline_passed(deadline, today):
        return Eligibility([], Refusal.DEADLINE_PASSED)
    states = list(focal_point_states)
    if not states:
        return Eligibility([], Refusal.NOT_FOCAL_POINT)
    parties = [code for code in states if statuses.get(code) == StateStatus.STATE_PARTY]
    if not parties:
        return Eligibility([], Refusal.NOT_A_PARTY)
    return Eligibility(parties, None)


def may_see_nominations(*, secretariat: bool, person_id: int | None, president_id: int | None):
    """The Secretariat, and the President of the cycle (the person holding the office)."""
    if secretariat:
        return True
    return person_id is not None and president_id is not None and person_id == president_id
