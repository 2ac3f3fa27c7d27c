"""Who may nominate and who sees the nominations, as tables, without a database."""

import datetime as dt

import pytest

from convocation.nominations.rules import Refusal, eligibility, may_see_nominations
from convocation.treaties.status import StateStatus

DEADLINE = dt.date(2026, 2, 16)
PARTY, SIGNATORY, OBSERVER = (
    StateStatus.STATE_PARTY,
    StateStatus.SIGNATORY,
    StateStatus.OBSERVER,
)


@pytest.mark.parametrize(
    ("is_open", "today", "states", "statuses", "expected"),
    [
        (True, DEADLINE, ["ROU"], {"ROU": PARTY}, (["ROU"], None)),
        (True, DEADLINE - dt.timedelta(days=30), ["ROU"], {"ROU": PARTY}, (["ROU"], None)),
        (True, DEADLINE + dt.timedelta(days=1), ["ROU"], {"ROU": PARTY}, ([], "deadline_passed")),
        (False, DEADLINE, ["ROU"], {"ROU": PARTY}, ([], "not_open")),
        (True, DEADLINE, [], {}, ([], "not_focal_point")),
        (True, DEADLINE, ["USA"], {"USA": SIGNATORY}, ([], "not_a_party")),
        (True, DEADLINE, ["KEN"], {"KEN": OBSERVER}, ([], "not_a_party")),
        # A focal point of two States nominates for the one that is a Party.
        (True, DEADLINE, ["USA", "ROU"], {"USA": SIGNATORY, "ROU": PARTY}, (["ROU"], None)),
    ],
)
def test_eligibility(is_open, today, states, statuses, expected):
    found = eligibility(
        vacancy_open=is_open,
        deadline=DEADLINE,
        today=today,
        focal_point_states=states,
        statuses=statuses,
    )
    assert (found.states, found.refusal and str(found.refusal)) == expected


def test_refusals_are_checked_in_order():
    assert list(Refusal) == ["not_open", "deadline_passed", "not_focal_point", "not_a_party"]


@pytest.mark.parametrize(
    ("secretariat", "person", "president", "sees"),
    [
        (True, None, None, True),
        (False, 7, 7, True),
        (False, 7, 8, False),
        (False, 7, None, False),
        (False, None, None, False),
    ],
)
def test_may_see_nominations(secretariat, person, president, sees):
    assert (
        may_see_nominations(secretariat=secretariat, person_id=person, president_id=president)
        is sees
    )
